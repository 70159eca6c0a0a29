// `sndmix set` acknowledges a change only once it is saved: where the sim's settings
// cannot be written, it exits 1 with one line and prints no new volume. And the bin ends
// within 2 s of SIGTERM or SIGINT, even with a state dir where mkdir -p would loop.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runCli } from './main';

const run = async (args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stop: AbortSignal.abort() });
  return { code, stdout, stderr };
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sndmix-saving-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
function mountTmpfs(options: string): string {
  const dir = tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  cleanups.push(() => spawnSync('umount', ['-l', dir]));
  return dir;
}
const asRoot = it.skipIf(process.getuid?.() !== 0 && !process.env.CI);
const setStarfall = (stateDir: string) => run(['set', '--backend', 'sim', '--state-dir', stateDir, '--name', 'Starfall Odyssey', '--volume', '0.3']);

async function expectNotSaved(stateDir: string, reason: RegExp) {
  const result = await setStarfall(stateDir);
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(/^sndmix: not saved to .*sim-sessions\.json: /);
  expect(lines.at(-1)).toMatch(reason);
  return lines;
}

describe('sndmix set when the change cannot be saved', () => {
  it('saves and says so when it can', async () => {
    const stateDir = tempDir();
    const result = await setStarfall(stateDir);
    expect(result).toMatchObject({ code: 0, stdout: 'Starfall Odyssey: volume 0.30\n', stderr: '' });
    expect(readFileSync(path.join(stateDir, 'sim-sessions.json'), 'utf8')).toContain('0.3');
  });

  it('exits 1 with one line when the state dir is a file', async () => {
    const file = path.join(tempDir(), 'state');
    writeFileSync(file, '');
    expect(await expectNotSaved(file, /is not a folder/)).toHaveLength(1);
  });

  it('exits 1 with one line for a state dir under /proc (where mkdir -p loops), promptly', async () => {
    const started = Date.now();
    expect(await expectNotSaved('/proc/sndmix-nowhere/state', /ENOENT/)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('exits 1 when a directory is where the file should be (after the warning that it cannot be read)', async () => {
    const stateDir = tempDir();
    mkdirSync(path.join(stateDir, 'sim-sessions.json'));
    expect(await expectNotSaved(stateDir, /EISDIR|EEXIST|ENOTEMPTY/)).toEqual([expect.stringMatching(/warning: cannot read .*not a regular file/), expect.anything()]);
  });

  it('exits 1 with one line when the file belongs to a newer SndMix, and leaves it as it was', async () => {
    const stateDir = tempDir();
    const newer = '{"version": 9, "sessions": {}}';
    writeFileSync(path.join(stateDir, 'sim-sessions.json'), newer);
    const result = await setStarfall(stateDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/newer version.*\n.*not saved: .* belongs to a newer version/);
    expect(readFileSync(path.join(stateDir, 'sim-sessions.json'), 'utf8')).toBe(newer);
  });

  asRoot('exits 1 with one line on a read-only filesystem, a full disk and an immutable file', async () => {
    const readOnly = mountTmpfs('size=1m');
    execFileSync('mount', ['-o', 'remount,ro', readOnly]);
    expect(await expectNotSaved(readOnly, /EROFS/)).toHaveLength(1);

    const full = mountTmpfs('size=16k');
    writeFileSync(path.join(full, 'filler'), Buffer.alloc(16 * 1024 - 1));
    expect(await expectNotSaved(full, /ENOSPC/)).toHaveLength(1);

    const stateDir = tempDir();
    const file = path.join(stateDir, 'sim-sessions.json');
    writeFileSync(file, '{"version": 1, "sessions": {}}');
    execFileSync('chattr', ['+i', file]);
    cleanups.push(() => spawnSync('chattr', ['-i', file]));
    expect(await expectNotSaved(stateDir, /EPERM/)).toHaveLength(1);
  });
});

describe('the sndmix bin and signals', () => {
  async function timeToExit(args: string[], signal: NodeJS.Signals): Promise<{ ms: number; code: number | null; stderr: string }> {
    const child = spawn(process.execPath, ['bin/sndmix.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Started once it printed (web: its address) or after start-up (watch prints on change).
    await new Promise<void>((resolve) => {
      child.stdout.once('data', () => resolve());
      setTimeout(resolve, 4000);
    });
    const sent = Date.now();
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    return { ms: Date.now() - sent, code, stderr };
  }

  it('ends watch within 2 s of SIGTERM, with a state dir under /proc', async () => {
    const result = await timeToExit(['watch', '--backend', 'sim', '--state-dir', '/proc/sndmix-nowhere/state'], 'SIGTERM');
    console.log(`watch: exited ${result.ms} ms after SIGTERM with code ${result.code}`);
    expect(result.ms).toBeLessThan(2000);
  }, 15_000);

  it('writes a change acknowledged just before SIGTERM (inside the write delay) before it exits', async () => {
    const stateDir = tempDir();
    const child = spawn(process.execPath, ['bin/sndmix.js', 'web', '--backend', 'sim', '--port', '0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<URL>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /http:\/\/\S+/.exec(out);
        if (found) resolve(new URL(found[0]));
      });
    });
    const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { origin: `http://${url.host}` });
    const frames: { type: string; requestId?: number; sessions?: { id: string; displayName: string }[] }[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ requestId: 1, command: { type: 'subscribe' } }));
    await expect.poll(() => frames.find((frame) => frame.type === 'snapshot')).toBeTruthy();
    const game = frames.find((frame) => frame.type === 'snapshot')?.sessions?.find((session) => session.displayName === 'Starfall Odyssey');
    ws.send(JSON.stringify({ requestId: 2, command: { type: 'set-volume', sessionIds: [game?.id], volume: 0.42 } }));
    await expect.poll(() => frames.find((frame) => frame.requestId === 2), { interval: 1 }).toBeTruthy();
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(readFileSync(path.join(stateDir, 'sim-sessions.json'), 'utf8')).toContain('"volume": 0.42');
  }, 15_000);

  it('ends web within 2 s of SIGINT', async () => {
    const result = await timeToExit(['web', '--backend', 'sim', '--port', '0', '--state-dir', tempDir()], 'SIGINT');
    console.log(`web: exited ${result.ms} ms after SIGINT with code ${result.code}`);
    expect(result.ms).toBeLessThan(2000);
    expect(result.code).toBe(0);
  }, 15_000);
});
