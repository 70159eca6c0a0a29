// The backend in a process of its own, as the desktop app runs it, with a real Node child
// in place of Electron's utilityProcess (the same parent-port protocol): it serves the
// window, dies as a crash would (SIGKILL), and the window is told, then served again.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../core/contract';
import { encodeConfig } from './protocol';
import type { BackendChild, BackendStatus } from './supervisor';
import { BackendSupervisor } from './supervisor';

const ENTRY = path.join(import.meta.dirname, 'process-main.ts');

function nodeChild(stateDir: string, backend: string): BackendChild {
  const child = fork(ENTRY, encodeConfig({ backend, stateDir, e2e: false }), {
    execArgv: ['--import', 'tsx'],
    // No X display: the foreground-app question has one answer on any Linux machine.
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  return {
    pid: child.pid,
    postMessage: (message) => child.send(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(signal ? `signal ${signal}` : `code ${code}`)),
    kill: () => child.kill('SIGKILL'),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(backend = 'sim', restartDelaysMs = [50, 100]) {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-backend-process-'));
  const statuses: BackendStatus[] = [];
  const supervisor = new BackendSupervisor({
    spawn: () => nodeChild(stateDir, backend),
    onStatus: (status) => statuses.push(status),
    restartDelaysMs,
  });
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }), () => supervisor.close());
  const messages: ServerMessage[] = [];
  const client = supervisor.connect((message) => messages.push(message));
  return { supervisor, statuses, messages, client };
}

const snapshots = (messages: ServerMessage[]) => messages.filter((message) => message.type === 'snapshot');

describe('the backend in its own process', () => {
  it('serves a window: snapshot, then a command reaches the backend and comes back as a patch', async () => {
    const { supervisor, messages, client } = setUp();
    const info = await supervisor.start();
    expect(info.name).toBe('sim');
    expect(supervisor.pid).not.toBe(process.pid);
    expect(await client.handle({ type: 'subscribe' })).toEqual({ ok: true });
    await expect.poll(() => snapshots(messages).length).toBe(1);
    const snapshot = snapshots(messages)[0];
    const session = snapshot?.type === 'snapshot' ? snapshot.sessions.find((candidate) => candidate.state === 'active') : undefined;
    if (!session) throw new Error('the demo has no active session');
    expect(await client.handle({ type: 'set-volume', sessionIds: [session.id], volume: 0.25 })).toEqual({ ok: true });
    await expect
      .poll(() => messages.some((message) => message.type === 'patch' && message.sessions.changed.some((change) => change.id === session.id && change.changes.volume === 0.25)))
      .toBe(true);
  }, 30_000);

  it('rejects a bad command in the main process with the contract error, without a round trip', async () => {
    const { supervisor, client } = setUp();
    await supervisor.start();
    const result = await client.handle({ type: 'set-volume', sessionIds: [], volume: 2 });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  }, 30_000);

  it('when it dies, says so, fails commands with the reason, restarts and sends the window a fresh snapshot', async () => {
    const { supervisor, statuses, messages, client } = setUp('sim', [1000, 100]);
    await supervisor.start();
    await client.handle({ type: 'subscribe' });
    await expect.poll(() => snapshots(messages).length).toBe(1);
    const firstPid = supervisor.pid;
    if (firstPid === undefined) throw new Error('no backend pid');

    process.kill(firstPid, 'SIGKILL');
    await expect.poll(() => statuses.some((status) => status.state === 'restarting')).toBe(true);
    const lost = statuses.find((status) => status.state === 'restarting');
    expect(lost).toMatchObject({ reason: 'the backend process exited (signal SIGKILL)' });
    expect(await client.handle({ type: 'set-device-mute', deviceId: 'any', muted: true })).toEqual({
      ok: false,
      error: { code: 'backend-error', message: 'the audio backend stopped (the backend process exited (signal SIGKILL)) and is restarting' },
    });

    await expect.poll(() => snapshots(messages).length, { timeout: 20_000 }).toBe(2);
    expect(supervisor.status.state).toBe('running');
    expect(supervisor.pid).not.toBe(firstPid);
    // Still this process's own client: commands work again.
    const snapshot = snapshots(messages)[1];
    const session = snapshot?.type === 'snapshot' ? snapshot.sessions[0] : undefined;
    if (!session) throw new Error('no session after the restart');
    expect(await client.handle({ type: 'set-mute', sessionIds: [session.id], muted: true })).toEqual({ ok: true });
  }, 40_000);

  it('a backend that cannot open says why, and is retried', async () => {
    const { supervisor, statuses } = setUp('no-such-backend');
    void supervisor.start().catch(() => undefined);
    await expect.poll(() => statuses.find((status) => status.state === 'restarting'), { timeout: 20_000 }).toMatchObject({
      reason: expect.stringContaining('unknown backend "no-such-backend"'),
    });
    await expect.poll(() => statuses.filter((status) => status.state === 'restarting').length, { timeout: 20_000 }).toBeGreaterThan(1);
  }, 40_000);

  it.runIf(process.platform === 'linux')('answers which app is in front from its own process, or why it cannot', async () => {
    const { supervisor } = setUp();
    await supervisor.start();
    expect(await supervisor.foreground()).toMatchObject({ ok: false, reason: 'not supported without an X11 display (DISPLAY is not set)' });
  }, 30_000);

  it('closes cleanly: the process flushes and exits, and the status says stopped', async () => {
    const { supervisor, statuses } = setUp();
    await supervisor.start();
    const pid = supervisor.pid;
    await supervisor.close();
    expect(statuses.at(-1)).toEqual({ state: 'stopped' });
    expect(() => process.kill(pid ?? 0, 0)).toThrow();
  }, 30_000);
});
