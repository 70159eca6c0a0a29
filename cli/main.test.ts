import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../core/contract';
import { deviceDbMapping, formatDb, mappedDb } from '../core/contract';
import type { DeviceRecord, SessionRecord } from '../native-bridge/types';
import { runCli } from './main';

const run = async (args: string[], stop = AbortSignal.abort()) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stop });
  return { code, stdout, stderr };
};

/** The sessions of `list --json` ({backend, sessions}). */
const listed = (stdout: string) => (JSON.parse(stdout) as { sessions: SessionRecord[] }).sessions;

const freshStateDir = () => mkdtempSync(path.join(tmpdir(), 'sndmix-cli-'));

describe('sndmix CLI on the sim backend', () => {
  it('lists the demo sessions of the default playback device with exactly one System Sounds', async () => {
    const { code, stdout } = await run(['list', '--backend', 'sim', '--json', '--state-dir', freshStateDir()]);
    expect(code).toBe(0);
    const sessions = listed(stdout);
    expect(sessions.filter((session) => session.isSystemSounds)).toHaveLength(1);
    expect(sessions.length).toBeGreaterThan(3);
    expect(new Set(sessions.map((session) => session.deviceId)).size).toBe(1);
    expect(sessions.every((session) => session.flow === 'render' && session.state !== 'expired')).toBe(true);
  });

  it('adds capture sessions and other devices with --all', async () => {
    const { stdout } = await run(['list', '--backend', 'sim', '--json', '--all', '--state-dir', freshStateDir()]);
    const sessions = listed(stdout);
    expect(sessions.some((session) => session.flow === 'capture')).toBe(true);
    expect(new Set(sessions.map((session) => session.deviceId)).size).toBeGreaterThan(1);
  });

  it('persists a render volume set by name; the same app\'s capture session keeps its default', async () => {
    const stateDir = freshStateDir();
    const all = listed((await run(['list', '--backend', 'sim', '--json', '--all', '--state-dir', stateDir])).stdout);
    const render = all.find((session) => session.flow === 'render' && all.some((other) => other.flow === 'capture' && other.pid === session.pid));
    if (!render) throw new Error('the demo needs an app with render and capture sessions');
    const capture = all.find((session) => session.flow === 'capture' && session.pid === render.pid) as SessionRecord;

    const set = await run(['set', '--backend', 'sim', '--state-dir', stateDir, '--name', render.displayName, '--volume', '0.3']);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toBe(`${render.displayName}: volume 0.30\n`);

    const after = listed((await run(['list', '--backend', 'sim', '--json', '--all', '--state-dir', stateDir])).stdout);
    expect(after.find((session) => session.id === render.id)?.volume).toBe(0.3);
    expect(after.find((session) => session.id === capture.id)?.volume).toBe(capture.volume);
  });

  it('lists volumes in dB with --db: session volumes through the backend\'s curve, devices without a range in percent with why', async () => {
    const stateDir = freshStateDir();
    const [first] = listed((await run(['list', '--backend', 'sim', '--json', '--state-dir', stateDir])).stdout);
    if (!first) throw new Error('no sessions');
    await run(['set', '--backend', 'sim', '--state-dir', stateDir, '--id', first.id, '--volume', '0.5']);
    const list = await run(['list', '--backend', 'sim', '--db', '--state-dir', stateDir]);
    expect(list.code).toBe(0);
    // Core Audio (and the sim) session volumes are amplitude factors: 0.5 is 20 log10(0.5) dB.
    expect(list.stdout).toMatch(new RegExp(`^ +-6\\.0 dB .*\\(${first.id}\\)$`, 'm'));
    expect(list.stdout).not.toContain('%');
    // Endpoints read in dB where the backend reports their range, else in percent with why.
    const [speakers] = JSON.parse((await run(['devices', '--backend', 'sim', '--json', '--state-dir', stateDir])).stdout) as DeviceRecord[];
    if (!speakers || speakers.volume === null) throw new Error('the demo\'s first endpoint has a volume');
    const mapping = deviceDbMapping(speakers);
    const devices = await run(['devices', '--backend', 'sim', '--db', '--state-dir', stateDir]);
    if (mapping) {
      expect(devices.stdout).toMatch(new RegExp(`^render +${formatDb(mappedDb(speakers.volume, mapping)).replace('.', '\\.')} `, 'm'));
      expect(devices.stdout).not.toContain('* percent');
    } else {
      expect(devices.stdout).toMatch(new RegExp(`^render +${Math.round(speakers.volume * 100)}%\\* `, 'm'));
      expect(devices.stdout).toContain('* percent: the device does not report its dB range\n');
    }
    const both = await run(['list', '--backend', 'sim', '--db', '--json', '--state-dir', stateDir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--db is for the text listing');
  });

  it('mutes by pid and by id', async () => {
    const stateDir = freshStateDir();
    const [first] = listed((await run(['list', '--backend', 'sim', '--json', '--state-dir', stateDir])).stdout);
    if (!first) throw new Error('no sessions');
    expect((await run(['set', '--backend', 'sim', '--state-dir', stateDir, '--id', first.id, '--mute', 'on'])).code).toBe(0);
    const after = listed((await run(['list', '--backend', 'sim', '--json', '--state-dir', stateDir])).stdout);
    expect(after.find((session) => session.id === first.id)?.muted).toBe(true);
  });

  it.each([
    ['an unknown backend', ['list', '--backend', 'alsa'], /unknown backend "alsa"|invalid/],
    ['a volume out of range', ['set', '--backend', 'sim', '--name', 'System Sounds', '--volume', '1.5'], /expected a decimal number from 0 to 1/],
    ['a volume that is not a number', ['set', '--backend', 'sim', '--name', 'System Sounds', '--volume', 'loud'], /expected a decimal number/],
    ['a bad mute state', ['set', '--backend', 'sim', '--name', 'System Sounds', '--mute', 'maybe'], /mute/],
    ['no match', ['set', '--backend', 'sim', '--name', 'No Such App', '--volume', '0.5'], /no session named "No Such App"/],
    ['nothing to set', ['set', '--backend', 'sim', '--name', 'System Sounds'], /nothing to set/],
    ['two selectors', ['set', '--backend', 'sim', '--name', 'System Sounds', '--pid', '0', '--volume', '0.5'], /exactly one/],
    ['an unknown command', ['frobnicate'], /unknown command/],
    ['an unknown option', ['list', '--colour'], /unknown option/],
  ])('rejects %s with one line and exit code 2, changing nothing', async (_what, args, message) => {
    const stateDir = freshStateDir();
    const before = (await run(['list', '--backend', 'sim', '--json', '--all', '--state-dir', stateDir])).stdout;
    const result = await run([...args, '--state-dir', stateDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect((await run(['list', '--backend', 'sim', '--json', '--all', '--state-dir', stateDir])).stdout).toBe(before);
  });

  it('calls a name shown on two playback devices ambiguous', async () => {
    const result = await run(['set', '--backend', 'sim', '--state-dir', freshStateDir(), '--name', 'System Sounds', '--volume', '0.5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/2 sessions named "System Sounds".*use --id or --device/);
  });

  it('survives a corrupt state file with a warning', async () => {
    const stateDir = freshStateDir();
    writeFileSync(path.join(stateDir, 'sim-sessions.json'), '{ this is not json');
    const result = await run(['list', '--backend', 'sim', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning/);
    expect(result.stdout).toContain('System Sounds');
  });

  it('lists devices with their default roles', async () => {
    const { code, stdout } = await run(['devices', '--backend', 'sim', '--json', '--state-dir', freshStateDir()]);
    expect(code).toBe(0);
    const devices = JSON.parse(stdout) as DeviceRecord[];
    expect(devices.filter((device) => device.flow === 'render' && device.defaultFor.includes('console'))).toHaveLength(1);
    expect(devices.some((device) => device.flow === 'capture')).toBe(true);
  });

  it('watches events as NDJSON until stopped', async () => {
    const stop = new AbortController();
    let stdout = '';
    const done = runCli(['watch', '--backend', 'sim', '--json', '--state-dir', freshStateDir()], {
      stdout: (text) => {
        stdout += text;
        // The snapshot, then the first event.
        if (stdout.trim().split('\n').length >= 2) stop.abort();
      },
      stderr: () => undefined,
      stop: stop.signal,
    });
    // The live demo's first stream change comes within seconds of start-up.
    expect(await done).toBe(0);
    const [snapshot, first] = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(snapshot).toMatchObject({ type: 'snapshot', backend: { name: 'sim', notice: null } });
    expect((snapshot?.sessions as SessionRecord[]).some((session) => session.isSystemSounds)).toBe(true);
    expect(first as LoggedEvent).toMatchObject({ seq: 1, source: 'event' });
    expect(typeof first?.time).toBe('number');
  }, 20_000);
});

describe('the sndmix bin', () => {
  // The bin runs the built CLI (dist/cli, built by `npm run build:cli`, which test:unit runs first); the tests above run the source.
  it('runs from a fresh clone through npx-style invocation', async () => {
    const bin = path.resolve('bin/sndmix.js');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'list', '--backend', 'sim', '--state-dir', freshStateDir()]);
    expect(stdout).toContain('System Sounds');
    const failed = await promisify(execFile)(process.execPath, [bin, 'list', '--backend', 'nope']).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
  }, 20_000); // two node start-ups: over vitest's 5 s default when the pulse suites run beside it

  it('ends quietly with the SIGPIPE status when its reader closes early (watch | head -1)', async () => {
    const bin = path.resolve('bin/sndmix.js');
    const script = `"${process.execPath}" "${bin}" watch --backend sim --state-dir "${freshStateDir()}" | head -1; echo "status=\${PIPESTATUS[0]}"`;
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', script], { timeout: 15_000 });
    expect(stdout).toMatch(/^snapshot Backend: sim\nstatus=141\n$/);
    expect(stderr).not.toContain('EPIPE');
  }, 20_000);
});
