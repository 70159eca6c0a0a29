import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import type { PersistedSessionIdentity } from './persistence';
import { JsonSessionStore, SIM_STATE_FILE_NAME, openSessionStore, settingsKey } from './persistence';
import { SimEngine } from './engine';
import { GUID_A, MIXER_CONTEXT, startApp, temporaryDirs } from './test-helpers';

const tempDir = temporaryDirs('sndmix-sim-store-');

const player: PersistedSessionIdentity = {
  sessionGuid: GUID_A,
  crossProcess: false,
  exePath: 'C:\\Apps\\Player.exe',
  deviceId: 'speakers',
  flow: 'render',
};

function open(stateDir: string, warnings: string[] = []) {
  const clock = new ManualClock();
  return { clock, store: new JsonSessionStore({ stateDir, clock, debounceMs: 100, onWarning: (message) => warnings.push(message) }) };
}

describe('settingsKey', () => {
  it('keys process-specific sessions by GUID + executable (any case), cross-process ones by GUID alone, per device and flow', () => {
    expect(settingsKey(player)).toBe(settingsKey({ ...player, exePath: 'c:\\apps\\PLAYER.EXE' }));
    expect(settingsKey(player)).not.toBe(settingsKey({ ...player, exePath: 'C:\\Apps\\Other.exe' }));
    expect(settingsKey(player)).not.toBe(settingsKey({ ...player, deviceId: 'headset' }));
    const cross = { ...player, crossProcess: true, exePath: null };
    expect(settingsKey(cross)).not.toBe(settingsKey(player));
    expect(settingsKey(cross)).toBe(settingsKey({ ...cross, exePath: 'C:\\Apps\\Anything.exe' }));
  });

  it('never keys capture sessions (loopback ones are capture sessions)', () => {
    expect(settingsKey({ ...player, flow: 'capture' })).toBeNull();
  });
});

describe('JsonSessionStore', () => {
  it('writes after the debounce, atomically (a new file renamed into place), and reads it back', async () => {
    const dir = tempDir();
    const { clock, store } = open(dir);
    const file = join(dir, SIM_STATE_FILE_NAME);
    store.remember(player, { volume: 0.4, muted: false });
    store.remember(player, { volume: 0.3, muted: true });
    expect(existsSync(file)).toBe(false);
    clock.advance(250);
    await store.flush();
    const firstInode = statSync(file).ino;

    store.remember(player, { volume: 0.6, muted: false });
    await store.close();
    expect(statSync(file).ino).not.toBe(firstInode);
    expect(readdirSync(dir)).toEqual([SIM_STATE_FILE_NAME]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      sessions: { [settingsKey(player) as string]: { volume: 0.6, muted: false } },
    });
    expect(open(dir).store.recall({ ...player, exePath: 'c:\\apps\\player.exe' })).toEqual({ volume: 0.6, muted: false });
  });

  it('creates a missing state dir and ignores capture sessions', async () => {
    const dir = join(tempDir(), 'nested', 'state');
    const { store } = open(dir);
    store.remember({ ...player, flow: 'capture' }, { volume: 0.1, muted: true });
    store.remember(player, { volume: 0.2, muted: false });
    await store.close();
    expect(Object.keys(JSON.parse(readFileSync(join(dir, SIM_STATE_FILE_NAME), 'utf8')).sessions)).toEqual([settingsKey(player)]);
  });

  it.each([
    ['broken JSON', '{"version": 1, "sessions": {'],
    ['another format', JSON.stringify({ version: 1, sessions: { key: { volume: 7, muted: 'no' } } })],
  ])('warns about %s, starts fresh and replaces the file on the next save', async (_, content) => {
    const dir = tempDir();
    const file = join(dir, SIM_STATE_FILE_NAME);
    writeFileSync(file, content);
    const warnings: string[] = [];
    const { store } = open(dir, warnings);
    expect(warnings).toEqual([expect.stringContaining(file)]);
    expect(store.recall(player)).toBeUndefined();
    store.remember(player, { volume: 0.5, muted: false });
    await store.close();
    expect(open(dir).store.recall(player)).toEqual({ volume: 0.5, muted: false });
  });

  it('warns when the file cannot be read, and close rejects with one line when the change is not on disk', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, SIM_STATE_FILE_NAME));
    const warnings: string[] = [];
    const { store } = open(dir, warnings);
    expect(warnings).toEqual([expect.stringMatching(/^cannot read .*sim-sessions\.json: it is not a regular file/)]);
    store.remember(player, { volume: 0.5, muted: false });
    await expect(store.close()).rejects.toThrow(/^not saved to .*sim-sessions\.json: .*EISDIR/);
  });

  it('writes a change within the delay (not pushed back by later changes), and keeps one write in flight, never a queue', async () => {
    const dir = tempDir();
    const { clock, store } = open(dir);
    const file = join(dir, SIM_STATE_FILE_NAME);
    const saved = () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { sessions: Record<string, { volume: number }> }) : null);
    store.remember(player, { volume: 0.1, muted: false });
    clock.advance(50);
    store.remember(player, { volume: 0.2, muted: false }); // does not restart the delay
    clock.advance(50); // 100 ms after the first change: its write has started, nobody asked for it
    for (let step = 1; step <= 100; step += 1) store.remember(player, { volume: 0.2 + step / 1000, muted: false }); // changes pour in during it
    await expect.poll(() => Object.values(saved()?.sessions ?? {})[0]?.volume).toBeCloseTo(0.3, 10);
    // Everything remembered during that write went out in one more write right after it, without a timer.
    await store.close();
  });

  it('reports a failed write once, says when saving works again, and rejects close while a change is not on disk', async () => {
    const dir = tempDir();
    const stateDir = join(dir, 'state');
    writeFileSync(stateDir, 'a file where the state dir should be');
    const warnings: string[] = [];
    const clock = new ManualClock();
    const store = new JsonSessionStore({ stateDir, clock, debounceMs: 100, onWarning: (message) => warnings.push(message) });
    store.remember(player, { volume: 0.1, muted: false });
    clock.advance(100);
    await store.flush().catch(() => undefined);
    store.remember(player, { volume: 0.2, muted: false });
    clock.advance(100);
    await expect(store.flush()).rejects.toThrow(/is not a folder/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([expect.stringMatching(/^session volumes are not saved to .*: .*is not a folder$/)]);

    rmSync(stateDir);
    await store.close();
    expect(warnings[1]).toMatch(/saved again/);
    expect(open(stateDir).store.recall(player)).toEqual({ volume: 0.2, muted: false });
  });

  it('ignores changes after close', async () => {
    const dir = tempDir();
    const { clock, store } = open(dir);
    await store.close();
    store.remember(player, { volume: 0.5, muted: false });
    clock.advance(1_000);
    await store.flush();
    expect(existsSync(join(dir, SIM_STATE_FILE_NAME))).toBe(false);
  });

  it('is off for a null state dir', () => {
    expect(openSessionStore({ stateDir: null })).toBeNull();
  });
});

describe('persistence through the engine', () => {
  it('saves a change right away, so a run that sets a volume and closes leaves it for the next run', async () => {
    const dir = tempDir();
    const run = () => {
      const clock = new ManualClock();
      const engine = new SimEngine({ clock, settingsStore: new JsonSessionStore({ stateDir: dir, clock }) });
      engine.addDevice({ id: 'speakers', name: 'Speakers', flow: 'render' });
      startApp(engine, 100, 'player.exe');
      return { engine, session: engine.openStream({ pid: 100, sessionGuid: GUID_A }).sessionId };
    };
    const first = run();
    first.engine.client(100).setVolume(first.session, 0.35, MIXER_CONTEXT);
    await first.engine.close(); // the session is still alive: saved because it changed, not because it ended

    const second = run();
    expect(second.engine.getSession(second.session)?.volume).toBe(0.35);
    await second.engine.close();
  });

  it('R15: of two live instances, the last one to terminate sets what a new instance inherits', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const engine = new SimEngine({ clock, settingsStore: new JsonSessionStore({ stateDir: dir, clock }) });
    engine.addDevice({ id: 'speakers', name: 'Speakers', flow: 'render' });
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'player.exe');
    const first = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const second = engine.openStream({ pid: 200, sessionGuid: GUID_A });
    engine.client(100).setVolume(first.sessionId, 0.9, MIXER_CONTEXT);
    engine.client(200).setVolume(second.sessionId, 0.1, MIXER_CONTEXT); // the last change...
    engine.releaseStream(second.streamId);
    engine.releaseStream(first.streamId); // ...but the first instance terminates last
    await engine.close();
    const stored = JSON.parse(readFileSync(join(dir, SIM_STATE_FILE_NAME), 'utf8')) as { sessions: Record<string, { volume: number }> };
    expect(Object.values(stored.sessions).map((entry) => entry.volume)).toEqual([0.9]);
  });
});
