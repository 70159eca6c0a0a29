// What the command line accepts, pinned through the real CLI (runCli) on the sim backend:
// every refusal is one line, exit code 2, and changes nothing.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../native-bridge/types';
import { parseHost, parsePid, parseUnitScalar } from './arguments';
import { runCli } from './main';
import { escapeForTerminal } from './terminal-text';

const run = async (args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stop: AbortSignal.abort() });
  return { code, stdout, stderr };
};
const freshStateDir = () => mkdtempSync(path.join(tmpdir(), 'sndmix-args-'));
const listAll = async (stateDir: string) => (await run(['list', '--backend', 'sim', '--json', '--all', '--state-dir', stateDir])).stdout;

describe('argument parsers', () => {
  it.each(['0x1', '0b1', '0o1', '1e0', ' 1', '1 ', '', '+0.5', '-0', 'Infinity', 'NaN', '1.5', '0,5', '.'])('refuses --volume %j', (value) => {
    expect(() => parseUnitScalar(value)).toThrow(/decimal number from 0 to 1/);
  });

  it.each([['0', 0], ['1', 1], ['0.30', 0.3], ['.5', 0.5], ['1.', 1], ['0000.25', 0.25]])('takes --volume %j as %d', (value, expected) => {
    expect(parseUnitScalar(value)).toBe(expected);
  });

  it('refuses a pid out of range instead of rounding it, and takes the largest one', () => {
    expect(() => parsePid('99999999999999999999')).toThrow(/out of range: expected a process id from 0 to 4294967295/);
    expect(() => parsePid('4294967296')).toThrow(/out of range/);
    expect(parsePid('4294967295')).toBe(4294967295);
    expect(parsePid('000123')).toBe(123);
    expect(() => parsePid('0x10')).toThrow(/whole number/);
  });

  it('takes IP addresses and host names, refuses addresses that cannot exist', () => {
    expect(parseHost('127.0.0.1')).toBe('127.0.0.1');
    expect(parseHost('[::1]')).toBe('::1');
    expect(parseHost('localhost')).toBe('localhost');
    expect(parseHost('mixer.lan')).toBe('mixer.lan');
    for (const bad of ['256.1.1.1', '1.2.3', '-bad', 'a..b', '', 'x'.repeat(64)]) expect(() => parseHost(bad)).toThrow(/IP address/);
  });

  it('escapes control characters and bidi overrides for the terminal', () => {
    expect(escapeForTerminal('Evil\u001b[2J\nApp\u202e\u0007')).toBe('Evil\\e[2J\\nApp\\u{202e}\\u{7}');
    expect(escapeForTerminal('Firefox — Musique ♪')).toBe('Firefox — Musique ♪');
  });
});

describe('sndmix command lines that are refused', () => {
  it.each([
    ['a hexadecimal volume', ['set', '--name', 'Spotify', '--volume', '0x1'], /--volume.*decimal number/],
    ['a binary volume', ['set', '--name', 'Spotify', '--volume', '0b1'], /decimal number/],
    ['an octal volume', ['set', '--name', 'Spotify', '--volume', '0o1'], /decimal number/],
    ['a repeated --volume', ['set', '--name', 'Spotify', '--volume', '0.2', '--volume', '0.3'], /--volume.*given more than once/],
    ['a repeated --name', ['set', '--name', 'Spotify', '--name', 'Spotify', '--mute', 'on'], /given more than once/],
    ['a pid out of range', ['set', '--pid', '99999999999999999999', '--volume', '0.5'], /out of range/],
    ['a name with terminal escapes', ['set', '--name', '\u001b]0;pwned\u0007\nsndmix: fake', '--volume', '0.5'], /no session named "\\e\]0;pwned\\u\{7\}\\nsndmix: fake"/],
  ])('refuses %s: one line, exit code 2, nothing changed', async (_what, args, message) => {
    const stateDir = freshStateDir();
    const before = await listAll(stateDir);
    const result = await run([...args, '--backend', 'sim', '--state-dir', stateDir]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).not.toContain('\u0007');
    expect(await listAll(stateDir)).toBe(before);
  });

  it('does not ignore --device next to --id', async () => {
    const stateDir = freshStateDir();
    const [first] = (JSON.parse(await listAll(stateDir)) as { sessions: SessionRecord[] }).sessions;
    if (!first) throw new Error('the demo has no sessions');
    const unknown = await run(['set', '--backend', 'sim', '--state-dir', stateDir, '--id', first.id, '--device', 'nope', '--volume', '0.5']);
    expect(unknown).toMatchObject({ code: 2, stderr: 'sndmix: no device with id nope\n' });
    const other = (JSON.parse((await run(['devices', '--backend', 'sim', '--json', '--state-dir', stateDir])).stdout) as { id: string }[]).find(
      (device) => device.id !== first.deviceId,
    );
    const elsewhere = await run(['set', '--backend', 'sim', '--state-dir', stateDir, '--id', first.id, '--device', other?.id ?? '', '--volume', '0.5']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/is not on device/);
    const same = await run(['set', '--backend', 'sim', '--state-dir', stateDir, '--id', first.id, '--device', first.deviceId, '--volume', '0.5']);
    expect(same.code).toBe(0);
  });

  it('refuses web --host 256.1.1.1 with one line and exit code 2', async () => {
    const result = await run(['web', '--backend', 'sim', '--state-dir', freshStateDir(), '--host', '256.1.1.1']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^sndmix: option '--host <host>' argument '256\.1\.1\.1' is invalid/)]);
  });

  it('refuses a port in use with one line and exit code 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await run(['web', '--backend', 'sim', '--state-dir', freshStateDir(), '--port', String(port)]);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toBe(`sndmix: cannot serve on 127.0.0.1:${port}: the port is in use (pick another with --port, or 0 for a free one)\n`);
    } finally {
      blocker.close();
    }
  });
});
