// One test per rule of shared/notes/session-rules.md, each pinning what the rule says
// on the sim engine (and, where the rule is about what a mixer shows, on the sim
// backend read through core/mixer-view).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mixerStrips } from '../../core/mixer-view';
import type { BackendEvent, DisconnectReason, SessionRecord } from '../types';
import { BackendError } from '../types';
import { createSimBackend } from './backend';
import { ManualClock } from './clock';
import { SYSTEM_SOUNDS_DISPLAY_NAME, SimEngine, SimScenarioError } from './engine';
import type { SimSessionControl, SimSessionEnumerator } from './facade';
import {
  AUDCLNT_E_DEVICE_INVALIDATED,
  AUDCLNT_S_NO_SINGLE_PROCESS,
  E_ACCESSDENIED,
  E_POINTER,
  S_FALSE,
  S_OK,
  outParam,
} from './hresult';
import { SYSTEM_SOUNDS_ICON } from './icons';
import { GUID_NULL } from './identity';
import { JsonSessionStore, SIM_STATE_FILE_NAME } from './persistence';
import {
  DEVICES,
  EXPIRE_MS,
  GUID_A,
  GUID_B,
  MIXER_CONTEXT,
  controlOf,
  enumerate,
  instanceOf,
  managerOf,
  read,
  recordCreated,
  recordDucking,
  recordSession,
  startApp,
  world,
} from './test-helpers';

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sndmix-sim-rules-'));
  tempDirs.push(dir);
  return dir;
}

/** An engine persisting into `dir`, on its own manual clock. */
function persistentEngine(dir: string) {
  const clock = new ManualClock();
  const engine = new SimEngine({ clock, expireAfterMs: EXPIRE_MS, settingsStore: new JsonSessionStore({ stateDir: dir, clock }) });
  engine.addDevice({ id: DEVICES.speakers, name: 'Speakers', flow: 'render' });
  engine.addDevice({ id: DEVICES.microphone, name: 'Microphone', flow: 'capture' });
  return engine;
}

/** A sim backend on an empty world with the standard devices, for the rules about what a mixer shows. */
function backendWorld() {
  const clock = new ManualClock(1_000_000);
  const backend = createSimBackend({ stateDir: null, scenario: 'empty', live: false, clock, expireAfterMs: EXPIRE_MS });
  const { engine } = backend;
  engine.addDevice({ id: DEVICES.speakers, name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia'] });
  engine.addDevice({ id: DEVICES.headset, name: 'Headset', flow: 'render', defaultFor: ['communications'] });
  engine.addDevice({ id: DEVICES.microphone, name: 'Microphone', flow: 'capture' });
  const events: BackendEvent[] = [];
  backend.subscribe((event) => events.push(event));
  return { backend, engine, clock, events };
}

async function allSessions(backend: ReturnType<typeof backendWorld>['backend']): Promise<SessionRecord[]> {
  const devices = await backend.listDevices();
  return (await Promise.all(devices.map((device) => backend.listSessions(device.id)))).flat();
}

describe('session rules R1..R25 on the sim engine', () => {
  it('R1 identifies a session by GUID + cross-process + pid + device + flow', () => {
    const { engine } = world();
    startApp(engine, 100);
    startApp(engine, 101);
    const first = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const sameIdentity = engine.openStream({
      pid: 100,
      sessionGuid: GUID_A.toLowerCase().slice(1, -1),
      deviceId: DEVICES.speakers,
      flow: 'render',
    });
    expect(sameIdentity.sessionId).toBe(first.sessionId);
    expect(engine.getSession(first.sessionId)).toMatchObject({
      sessionGuid: GUID_A,
      crossProcess: false,
      pid: 100,
      deviceId: DEVICES.speakers,
      flow: 'render',
      streamIds: [first.streamId, sameIdentity.streamId],
    });

    // Changing any one element of the identity gives another session.
    const others = [
      engine.openStream({ pid: 100, sessionGuid: GUID_B }),
      engine.openStream({ pid: 100, sessionGuid: GUID_A, crossProcess: true }),
      engine.openStream({ pid: 101, sessionGuid: GUID_A }),
      engine.openStream({ pid: 100, sessionGuid: GUID_A, deviceId: DEVICES.headset }),
      engine.openStream({ pid: 100, sessionGuid: GUID_A, loopback: true }),
    ].map((handle) => handle.sessionId);
    expect(new Set([first.sessionId, ...others]).size).toBe(6);
  });

  it('R2 makes process-specific sessions with one GUID in two processes two sessions', () => {
    const { engine } = world();
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'player.exe');
    const one = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const two = engine.openStream({ pid: 200, sessionGuid: GUID_A });
    expect(one.sessionId).not.toBe(two.sessionId);

    const pids = enumerate(managerOf(engine, DEVICES.speakers))
      .filter((control) => control.isSystemSoundsSession() === S_FALSE)
      .map((control) => read<number>((out) => control.getProcessId(out)));
    expect(pids).toEqual([100, 200]);
  });

  it('R3 keeps a cross-process session apart from every process-specific one with its GUID, GUID_NULL included', () => {
    const { engine } = world();
    startApp(engine, 100);
    startApp(engine, 200, 'other.exe');
    const ownX = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const crossX = engine.openStream({ pid: 100, sessionGuid: GUID_A, crossProcess: true });
    const crossXFromOther = engine.openStream({ pid: 200, sessionGuid: GUID_A, crossProcess: true });
    const ownDefault = engine.openStream({ pid: 100 });
    const crossNull = engine.openStream({ pid: 100, sessionGuid: GUID_NULL, crossProcess: true });

    expect(crossX.sessionId).not.toBe(ownX.sessionId);
    expect(crossNull.sessionId).not.toBe(ownDefault.sessionId);
    // One cross-process session spans both processes.
    expect(crossXFromOther.sessionId).toBe(crossX.sessionId);
    expect(engine.getSession(crossX.sessionId)).toMatchObject({ crossProcess: true, pid: 0 });

    const control = controlOf(engine, crossX.sessionId);
    const pid = outParam<number>();
    expect(control.getProcessId(pid)).toBe(AUDCLNT_S_NO_SINGLE_PROCESS);
    expect(pid.value).toBe(0);
  });

  it('R4 makes one GUID and pid on two devices two sessions', () => {
    const { engine } = world();
    startApp(engine, 100);
    const onSpeakers = engine.openStream({ pid: 100, sessionGuid: GUID_A, deviceId: DEVICES.speakers });
    const onHeadset = engine.openStream({ pid: 100, sessionGuid: GUID_A, deviceId: DEVICES.headset });
    expect(onSpeakers.sessionId).not.toBe(onHeadset.sessionId);
    expect(engine.listSessions(DEVICES.speakers).map((session) => session.id)).toContain(onSpeakers.sessionId);
    expect(engine.listSessions(DEVICES.speakers).map((session) => session.id)).not.toContain(onHeadset.sessionId);
    expect(engine.listSessions(DEVICES.headset).map((session) => session.id)).toContain(onHeadset.sessionId);
  });

  it('R5 puts a stream without a session GUID in its process default GUID_NULL session', () => {
    const { engine } = world();
    startApp(engine, 100);
    const unassigned = engine.openStream({ pid: 100 });
    expect(engine.getSession(unassigned.sessionId)).toMatchObject({ sessionGuid: GUID_NULL, crossProcess: false, pid: 100 });
    expect(engine.openStream({ pid: 100 }).sessionId).toBe(unassigned.sessionId);
    expect(engine.openStream({ pid: 100, sessionGuid: GUID_NULL }).sessionId).toBe(unassigned.sessionId);
  });

  it('R6 gives two instances the same session identifier but unique instance identifiers', () => {
    const { engine } = world();
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'player.exe');
    const oneStream = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const one = controlOf(engine, oneStream.sessionId);
    const two = controlOf(engine, engine.openStream({ pid: 200, sessionGuid: GUID_A }).sessionId);
    const identifier = (control: SimSessionControl) => read<string>((out) => control.getSessionIdentifier(out));
    expect(identifier(one)).toBe(identifier(two));
    expect(instanceOf(one)).not.toBe(instanceOf(two));

    // The same identity again after termination: same identifier, a new instance.
    engine.releaseStream(oneStream.streamId);
    const again = controlOf(engine, engine.openStream({ pid: 100, sessionGuid: GUID_A }).sessionId);
    expect(identifier(again)).toBe(identifier(one));
    expect([instanceOf(one), instanceOf(two)]).not.toContain(instanceOf(again));
  });

  it('R7 keeps a stream in its session for life; moving it means release and reopen', () => {
    const { engine } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100, start: true });
    engine.setDefaultDevice(DEVICES.headset, ['console']);
    // The default moved; the open stream did not.
    expect(engine.getStream(stream.streamId)?.sessionId).toBe(stream.sessionId);
    expect(engine.getSession(stream.sessionId)?.deviceId).toBe(DEVICES.speakers);

    engine.releaseStream(stream.streamId);
    const reopened = engine.openStream({ pid: 100, start: true });
    expect(engine.getSession(stream.sessionId)).toBeUndefined();
    expect(engine.getSession(reopened.sessionId)?.deviceId).toBe(DEVICES.headset);
  });

  it('R8 keeps render and capture streams in separate sessions, loopback counting as capture', () => {
    const { engine } = world();
    startApp(engine, 100);
    const render = engine.openStream({ pid: 100, deviceId: DEVICES.speakers });
    const loopback = engine.openStream({ pid: 100, deviceId: DEVICES.speakers, loopback: true });
    const capture = engine.openStream({ pid: 100, flow: 'capture' });
    expect(loopback.sessionId).not.toBe(render.sessionId);
    expect(engine.getSession(render.sessionId)).toMatchObject({ flow: 'render', deviceId: DEVICES.speakers });
    expect(engine.getSession(loopback.sessionId)).toMatchObject({ flow: 'capture', deviceId: DEVICES.speakers });
    expect(engine.getSession(capture.sessionId)).toMatchObject({ flow: 'capture', deviceId: DEVICES.microphone });

    expect(() => engine.openStream({ pid: 100, flow: 'render', deviceId: DEVICES.microphone })).toThrow(SimScenarioError);
    expect(() => engine.openStream({ pid: 100, flow: 'capture', deviceId: DEVICES.speakers })).toThrow(/needs a capture device/);
    expect(() => engine.openStream({ pid: 100, loopback: true, deviceId: DEVICES.microphone })).toThrow(/needs a render device/);
  });

  it('R9 is active iff a stream runs, inactive after the last stops, expired after a while, revived by a restart', () => {
    const { engine, clock } = world();
    startApp(engine, 100);
    const first = engine.openStream({ pid: 100 });
    const second = engine.openStream({ pid: 100 });
    const events = recordSession(controlOf(engine, first.sessionId));
    const state = () => engine.getSession(first.sessionId)?.state;
    expect(state()).toBe('inactive');

    expect(engine.startStream(first.streamId)).toBe(S_OK);
    expect(engine.startStream(second.streamId)).toBe(S_OK);
    expect(state()).toBe('active');
    engine.stopStream(first.streamId);
    expect(state()).toBe('active');
    engine.stopStream(second.streamId);
    expect(state()).toBe('inactive');

    clock.advance(EXPIRE_MS - 1);
    expect(state()).toBe('inactive');
    clock.advance(1);
    expect(state()).toBe('expired');

    engine.startStream(second.streamId);
    expect(state()).toBe('active');
    expect(events).toEqual([
      { type: 'state', state: 'active', terminated: false },
      { type: 'state', state: 'inactive', terminated: false },
      { type: 'state', state: 'expired', terminated: false },
      { type: 'state', state: 'active', terminated: false },
    ]);
  });

  it('R10 terminates a session when its last stream is released', () => {
    const { engine } = world();
    startApp(engine, 100);
    startApp(engine, 200, 'other.exe');
    const first = engine.openStream({ pid: 100, start: true });
    const second = engine.openStream({ pid: 100 });
    const events = recordSession(controlOf(engine, first.sessionId));

    engine.releaseStream(first.streamId);
    expect(engine.getSession(first.sessionId)?.streamIds).toEqual([second.streamId]);
    engine.releaseStream(second.streamId);
    expect(events.at(-1)).toEqual({ type: 'state', state: 'expired', terminated: true });
    expect(engine.getSession(first.sessionId)).toBeUndefined();
    expect(enumerate(managerOf(engine, DEVICES.speakers)).map(instanceOf)).toHaveLength(1); // System Sounds only

    // A process that exits releases its streams.
    const other = engine.openStream({ pid: 200, start: true });
    engine.exitProcess(200);
    expect(engine.getSession(other.sessionId)).toBeUndefined();
  });

  it('R11 shows active and inactive render sessions, drops expired and terminated ones, always shows System Sounds', async () => {
    const { backend, engine, clock } = backendWorld();
    startApp(engine, 100, 'active.exe');
    startApp(engine, 200, 'inactive.exe');
    startApp(engine, 300, 'expiring.exe');
    startApp(engine, 400, 'ending.exe');
    engine.openStream({ pid: 100, start: true });
    engine.openStream({ pid: 300 });
    clock.advance(EXPIRE_MS);
    engine.openStream({ pid: 200 });
    const ending = engine.openStream({ pid: 400, start: true });
    engine.releaseStream(ending.streamId);
    engine.playSystemSound(DEVICES.speakers, 10);

    const names = async () => mixerStrips(await allSessions(backend), DEVICES.speakers).map((strip) => strip.displayName);
    expect(await names()).toEqual(['System Sounds', 'active.exe', 'inactive.exe']);

    clock.advance(10 * EXPIRE_MS);
    expect(await names()).toEqual(['System Sounds', 'active.exe']);
    const systemSounds = (await allSessions(backend)).find((session) => session.isSystemSounds);
    expect(systemSounds?.state).toBe('inactive');
  });

  it('R12 keeps capture sessions, loopback included, out of the render mixer and lists them apart', async () => {
    const { backend, engine } = backendWorld();
    startApp(engine, 100, 'recorder.exe');
    const capture = engine.openStream({ pid: 100, flow: 'capture', start: true });
    const loopback = engine.openStream({ pid: 100, loopback: true, start: true });
    const sessions = await allSessions(backend);

    const renderIds = [DEVICES.speakers, DEVICES.microphone].flatMap((device) =>
      mixerStrips(sessions, device).flatMap((strip) => strip.sessionIds),
    );
    expect(renderIds).not.toContain(capture.sessionId);
    expect(renderIds).not.toContain(loopback.sessionId);
    expect(mixerStrips(sessions, DEVICES.microphone, 'capture').map((strip) => strip.sessionIds)).toEqual([[capture.sessionId]]);
    expect(mixerStrips(sessions, DEVICES.speakers, 'capture').map((strip) => strip.sessionIds)).toEqual([[loopback.sessionId]]);
  });

  it('R13 applies volume and mute uniformly to every stream of the session', () => {
    const { engine } = world();
    startApp(engine, 100);
    const one = engine.openStream({ pid: 100, start: true });
    const two = engine.openStream({ pid: 100 });
    const control = controlOf(engine, one.sessionId);
    const gains = () => [one, two].map((stream) => engine.getStream(stream.streamId)?.effectiveVolume);

    expect(control.setMasterVolume(0.25, MIXER_CONTEXT)).toBe(S_OK);
    expect(gains()).toEqual([0.25, 0.25]);
    expect(control.setMute(true, MIXER_CONTEXT)).toBe(S_OK);
    expect(gains()).toEqual([0, 0]);
    control.setMute(false, MIXER_CONTEXT);
    expect(gains()).toEqual([0.25, 0.25]);
  });

  it('R14 persists render sessions (process-specific and cross-process) but never capture or loopback', async () => {
    const dir = stateDir();
    const before = persistentEngine(dir);
    startApp(before, 100, 'player.exe');
    const handles = {
      own: before.openStream({ pid: 100, sessionGuid: GUID_A }),
      cross: before.openStream({ pid: 100, sessionGuid: GUID_B, crossProcess: true }),
      capture: before.openStream({ pid: 100, sessionGuid: GUID_A, flow: 'capture' }),
      loopback: before.openStream({ pid: 100, sessionGuid: GUID_A, loopback: true }),
    };
    const settings = { own: [0.3, true], cross: [0.4, false], capture: [0.5, true], loopback: [0.6, true] } as const;
    for (const [name, [volume, muted]] of Object.entries(settings)) {
      const control = controlOf(before, handles[name as keyof typeof handles].sessionId);
      control.setMasterVolume(volume, MIXER_CONTEXT);
      control.setMute(muted, MIXER_CONTEXT);
    }
    await before.close();

    // SndMix restarts; the app too, under a new pid.
    const after = persistentEngine(dir);
    startApp(after, 900, 'player.exe');
    const restored = (spec: Parameters<SimEngine['openStream']>[0]) => {
      const session = after.getSession(after.openStream(spec).sessionId);
      return [session?.volume, session?.muted];
    };
    expect(restored({ pid: 900, sessionGuid: GUID_A })).toEqual([0.3, true]);
    expect(restored({ pid: 900, sessionGuid: GUID_B, crossProcess: true })).toEqual([0.4, false]);
    expect(restored({ pid: 900, sessionGuid: GUID_A, flow: 'capture' })).toEqual([1, false]);
    expect(restored({ pid: 900, sessionGuid: GUID_A, loopback: true })).toEqual([1, false]);
    expect(readFileSync(join(dir, SIM_STATE_FILE_NAME), 'utf8')).not.toContain('capture');
    await after.close();
  });

  it('R15 keeps only the settings of the last instance to terminate, and a new instance inherits them', async () => {
    for (const lastToTerminate of [100, 200]) {
      const dir = stateDir();
      const engine = persistentEngine(dir);
      startApp(engine, 100, 'player.exe');
      startApp(engine, 200, 'player.exe');
      const one = engine.openStream({ pid: 100, sessionGuid: GUID_A });
      const two = engine.openStream({ pid: 200, sessionGuid: GUID_A });
      controlOf(engine, one.sessionId).setMasterVolume(0.2, MIXER_CONTEXT);
      controlOf(engine, two.sessionId).setMasterVolume(0.7, MIXER_CONTEXT);
      const [first, last] = lastToTerminate === 100 ? [200, 100] : [100, 200];
      engine.exitProcess(first);
      engine.exitProcess(last);
      const expected = lastToTerminate === 100 ? 0.2 : 0.7;

      startApp(engine, 300, 'player.exe');
      const inheritedNow = engine.getSession(engine.openStream({ pid: 300, sessionGuid: GUID_A }).sessionId);
      expect(inheritedNow?.volume).toBe(expected);
      await engine.close();

      const restarted = persistentEngine(dir);
      startApp(restarted, 400, 'player.exe');
      expect(restarted.getSession(restarted.openStream({ pid: 400, sessionGuid: GUID_A }).sessionId)?.volume).toBe(expected);
      await restarted.close();
    }
  });

  it('R16 lets an app control only its own sessions and never System Sounds; the mixer controls all', () => {
    const { engine } = world();
    startApp(engine, 100, 'mine.exe');
    startApp(engine, 200, 'theirs.exe');
    const mine = engine.openStream({ pid: 100 }).sessionId;
    const theirs = engine.openStream({ pid: 200 }).sessionId;
    const shared = engine.openStream({ pid: 100, sessionGuid: GUID_A, crossProcess: true }).sessionId;
    const systemSounds = engine.systemSoundsSessionId(DEVICES.speakers) as string;
    const app = engine.client(100);

    expect(app.setVolume(mine, 0.5)).toBe(S_OK);
    expect(app.setVolume(shared, 0.5)).toBe(S_OK);
    expect(app.setVolume(theirs, 0.5)).toBe(E_ACCESSDENIED);
    expect(app.setMute(theirs, true)).toBe(E_ACCESSDENIED);
    expect(app.setDisplayName(theirs, 'Hijacked')).toBe(E_ACCESSDENIED);
    expect(engine.client(200).setVolume(shared, 0.1)).toBe(E_ACCESSDENIED);
    expect(app.setVolume(systemSounds, 0.1)).toBe(E_ACCESSDENIED);
    expect(app.setMute(systemSounds, true)).toBe(E_ACCESSDENIED);
    expect(engine.getSession(theirs)).toMatchObject({ volume: 1, muted: false, displayName: '' });
    expect(engine.getSession(systemSounds)).toMatchObject({ volume: 1, muted: false });

    expect(controlOf(engine, theirs).setMasterVolume(0.3, MIXER_CONTEXT)).toBe(S_OK);
    expect(controlOf(engine, systemSounds).setMute(true, MIXER_CONTEXT)).toBe(S_OK);
    expect(engine.getSession(theirs)?.volume).toBe(0.3);
    expect(engine.getSession(systemSounds)?.muted).toBe(true);
  });

  it('R17 shows a client name and icon set with the first stream, and forgets them when the session terminates', () => {
    const { engine } = world();
    startApp(engine, 100);
    const manager = managerOf(engine, DEVICES.speakers);
    enumerate(manager);
    const seen: string[][] = [];
    manager.registerSessionNotification({
      onSessionCreated: (control) =>
        seen.push([read<string>((out) => control.getDisplayName(out)), read<string>((out) => control.getIconPath(out))]),
    });

    const stream = engine.openStream({ pid: 100, sessionGuid: GUID_A, displayName: 'Night Radio', iconPath: 'C:\\radio.ico,0' });
    expect(seen).toEqual([['Night Radio', 'C:\\radio.ico,0']]);

    engine.releaseStream(stream.streamId);
    const again = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    expect(engine.getSession(again.sessionId)).toMatchObject({ displayName: '', iconPath: '' });
  });

  it('R18 defaults a name from the app (window title, FileDescription, executable) for process-specific sessions only', async () => {
    const { backend, engine, events } = backendWorld();
    engine.startProcess({ pid: 100, exePath: 'C:\\Apps\\radio.exe', windowTitle: 'Radio - Jazz FM', fileDescription: 'Radio Player', icon: 'data:image/png;base64,AAAA' });
    engine.startProcess({ pid: 200, exePath: 'C:\\Apps\\tray.exe', fileDescription: 'Tray Helper' });
    engine.startProcess({ pid: 300, exePath: 'C:\\Apps\\bare.exe' });
    const titled = engine.openStream({ pid: 100 }).sessionId;
    const described = engine.openStream({ pid: 200 }).sessionId;
    const bare = engine.openStream({ pid: 300 }).sessionId;
    const crossUnnamed = engine.openStream({ pid: 100, sessionGuid: GUID_A, crossProcess: true }).sessionId;
    const crossNamed = engine.openStream({ pid: 100, sessionGuid: GUID_B, crossProcess: true, displayName: 'Shared Player' }).sessionId;

    const records = new Map((await backend.listSessions(DEVICES.speakers)).map((record) => [record.id, record]));
    const label = (id: string) => [records.get(id)?.displayName, records.get(id)?.displayNameSource];
    expect(label(titled)).toEqual(['Radio - Jazz FM', 'window-title']);
    expect(label(described)).toEqual(['Tray Helper', 'file-description']);
    expect(label(bare)).toEqual(['bare.exe', 'executable']);
    expect(label(crossUnnamed)).toEqual([expect.stringMatching(/^Shared audio session /), 'generic']);
    expect(label(crossNamed)).toEqual(['Shared Player', 'client']);
    expect(records.get(titled)?.icon).toBe('data:image/png;base64,AAAA');
    expect(records.get(crossUnnamed)?.icon).toBeNull();

    // A client name wins while set; clearing it falls back to the default.
    engine.client(100).setDisplayName(titled, 'My Radio');
    engine.client(100).setDisplayName(titled, '');
    expect(events.filter((event) => event.type === 'display-name-changed')).toEqual([
      { type: 'display-name-changed', sessionId: titled, displayName: 'My Radio', displayNameSource: 'client' },
      { type: 'display-name-changed', sessionId: titled, displayName: 'Radio - Jazz FM', displayNameSource: 'window-title' },
    ]);
  });

  it('R19 labels System Sounds as such, with its own icon', async () => {
    const { backend, engine } = backendWorld();
    startApp(engine, 100);
    const app = engine.openStream({ pid: 100 }).sessionId;
    const systemSoundsId = engine.systemSoundsSessionId(DEVICES.speakers) as string;
    const records = await backend.listSessions(DEVICES.speakers);
    expect(records.filter((record) => record.isSystemSounds)).toEqual([
      expect.objectContaining({ id: systemSoundsId, displayName: 'System Sounds', displayNameSource: 'system-sounds', icon: SYSTEM_SOUNDS_ICON }),
    ]);
    expect(records.find((record) => record.id === app)?.icon).not.toBe(SYSTEM_SOUNDS_ICON);

    // What Core Audio itself reports: a resource string, and IsSystemSoundsSession.
    const control = controlOf(engine, systemSoundsId);
    expect(read<string>((out) => control.getDisplayName(out))).toBe(SYSTEM_SOUNDS_DISPLAY_NAME);
    expect(control.isSystemSoundsSession()).toBe(S_OK);
    expect(controlOf(engine, app).isSystemSoundsSession()).toBe(S_FALSE);
    expect((await backend.listSessions(DEVICES.microphone)).some((record) => record.isSystemSounds)).toBe(false);
  });

  it('R20 shows sessions sharing a grouping parameter as one control', async () => {
    const { backend, engine, events } = backendWorld();
    for (const pid of [100, 200, 300]) startApp(engine, pid, 'browser.exe');
    const one = engine.openStream({ pid: 100, sessionGuid: GUID_A, groupingParam: GUID_B, start: true }).sessionId;
    const two = engine.openStream({ pid: 200, sessionGuid: GUID_A, groupingParam: GUID_B }).sessionId;
    const three = engine.openStream({ pid: 300, sessionGuid: GUID_A }).sessionId;

    const strips = async () =>
      mixerStrips(await backend.listSessions(DEVICES.speakers), DEVICES.speakers)
        .filter((strip) => !strip.isSystemSounds)
        .map((strip) => [strip.sessionIds, strip.pids, strip.state]);
    expect(await strips()).toEqual([
      [[one, two], [100, 200], 'active'],
      [[three], [300], 'inactive'],
    ]);

    expect(engine.client(300).setGroupingParam(three, GUID_B.toLowerCase(), MIXER_CONTEXT)).toBe(S_OK);
    expect(events.filter((event) => event.type === 'grouping-changed')).toEqual([
      { type: 'grouping-changed', sessionId: three, groupingParam: GUID_B, eventContext: MIXER_CONTEXT },
    ]);
    expect(await strips()).toEqual([[[one, two, three], [100, 200, 300], 'active']]);
  });

  it('R21 notifies session creation and every per-session change, disconnection with its reason', () => {
    const { engine } = world();
    startApp(engine, 100);
    const manager = managerOf(engine, DEVICES.speakers);
    enumerate(manager);
    const created = recordCreated(manager);
    const stream = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const control = controlOf(engine, stream.sessionId);
    expect(created).toEqual([instanceOf(control)]);

    const events = recordSession(control);
    const app = engine.client(100);
    const appContext = '{12345678-1234-1234-1234-123456789ABC}';
    app.setDisplayName(stream.sessionId, 'Radio', appContext);
    app.setIconPath(stream.sessionId, 'C:\\radio.ico,0', appContext);
    control.setMasterVolume(0.5, MIXER_CONTEXT);
    control.setChannelVolume(1, 0.25, MIXER_CONTEXT);
    app.setGroupingParam(stream.sessionId, GUID_B, appContext);
    engine.startStream(stream.streamId);
    engine.disconnectSession(stream.sessionId, 'format-changed');
    expect(events).toEqual([
      { type: 'display-name', displayName: 'Radio', eventContext: appContext },
      { type: 'icon-path', iconPath: 'C:\\radio.ico,0', eventContext: appContext },
      { type: 'volume', volume: 0.5, muted: false, eventContext: MIXER_CONTEXT },
      { type: 'channel-volume', channelVolumes: [1, 0.25], changedChannel: 1, eventContext: MIXER_CONTEXT },
      { type: 'grouping', groupingParam: GUID_B, eventContext: appContext },
      { type: 'state', state: 'active', terminated: false },
      { type: 'disconnected', reason: 'format-changed' },
    ]);

    const reasons: DisconnectReason[] = ['server-shutdown', 'session-logoff', 'session-disconnected', 'exclusive-mode-override'];
    for (const reason of reasons) {
      const session = engine.openStream({ pid: 100, sessionGuid: GUID_A }).sessionId;
      const recorded = recordSession(controlOf(engine, session));
      engine.disconnectSession(session, reason);
      expect(recorded).toEqual([{ type: 'disconnected', reason }]);
    }
  });

  it('R22 sends session-created notifications only after the device sessions were enumerated once', () => {
    const { engine } = world();
    startApp(engine, 100);
    const manager = managerOf(engine, DEVICES.speakers);
    const created = recordCreated(manager);
    const neverEnumerates = recordCreated(managerOf(engine, DEVICES.speakers));

    engine.openStream({ pid: 100, sessionGuid: GUID_A });
    expect(created).toEqual([]);
    expect(enumerate(manager)).toHaveLength(2);
    const later = engine.openStream({ pid: 100, sessionGuid: GUID_B });
    expect(created).toEqual([engine.getSession(later.sessionId)?.sessionInstanceIdentifier]);
    expect(neverEnumerates).toEqual([]);
  });

  it('R23 raises duck when a communications stream starts on the default communications device, unduck when it closes', () => {
    const { engine } = world();
    startApp(engine, 100, 'chat.exe');
    startApp(engine, 200, 'player.exe');
    const onHeadset = recordDucking(managerOf(engine, DEVICES.headset));
    const onSpeakers = recordDucking(managerOf(engine, DEVICES.speakers));

    const call = engine.openStream({ pid: 100, communications: true });
    const callSession = engine.getSession(call.sessionId);
    expect(callSession?.deviceId).toBe(DEVICES.headset);
    const instance = callSession?.sessionInstanceIdentifier as string;
    expect(onHeadset).toEqual([]);
    engine.startStream(call.streamId);
    expect(onHeadset).toEqual([{ type: 'duck', session: instance, count: 1 }]);
    engine.stopStream(call.streamId);
    expect(onHeadset.at(-1)).toEqual({ type: 'unduck', session: instance });
    engine.startStream(call.streamId);
    engine.releaseStream(call.streamId);
    expect(onHeadset.slice(2)).toEqual([
      { type: 'duck', session: instance, count: 1 },
      { type: 'unduck', session: instance },
    ]);

    // Neither a media stream on the communications device nor a communications stream elsewhere ducks.
    engine.openStream({ pid: 200, deviceId: DEVICES.headset, start: true });
    engine.openStream({ pid: 100, communications: true, deviceId: DEVICES.speakers, start: true });
    expect(onHeadset).toHaveLength(4);
    expect(onSpeakers).toEqual([]);

    // A listener speaking for the communications session is not told about its own stream.
    const second = engine.openStream({ pid: 100, sessionGuid: GUID_A, communications: true });
    const own = recordDucking(managerOf(engine, DEVICES.headset), engine.getSession(second.sessionId)?.sessionInstanceIdentifier);
    engine.startStream(second.streamId);
    expect(own).toEqual([]);
    expect(onHeadset.at(-1)).toMatchObject({ type: 'duck', count: 1 });
  });

  it('R24 answers a null out-pointer with E_POINTER', () => {
    const { engine } = world();
    startApp(engine, 100);
    const sessionId = engine.openStream({ pid: 100 }).sessionId;
    const manager = managerOf(engine, DEVICES.speakers);
    const enumerator = read<SimSessionEnumerator>((out) => manager.getSessionEnumerator(out));
    const control = controlOf(engine, sessionId);

    expect(E_POINTER).toBe(0x80004003);
    expect([
      engine.activateSessionManager(DEVICES.speakers, null),
      manager.getSessionEnumerator(null),
      manager.registerSessionNotification(null),
      manager.registerDuckNotification(null, null),
      enumerator.getCount(null),
      enumerator.getSession(0, null),
      control.getState(null),
      control.getDisplayName(null),
      control.getIconPath(null),
      control.getGroupingParam(null),
      control.getProcessId(null),
      control.getSessionIdentifier(null),
      control.getSessionInstanceIdentifier(null),
      control.getMasterVolume(null),
      control.getMute(null),
      control.getChannelCount(null),
      control.getChannelVolume(0, null),
      control.getAllVolumes(null),
      control.getPeakValue(null),
      control.registerAudioSessionNotification(null),
    ]).toEqual(Array.from({ length: 20 }, () => E_POINTER));
  });

  it('R25 reports a session on a removed device as AUDCLNT_E_DEVICE_INVALIDATED, and the backend as disconnected', async () => {
    const { backend, engine, events } = backendWorld();
    startApp(engine, 100, 'chat.exe');
    const call = engine.openStream({ pid: 100, communications: true, start: true });
    await backend.listSessions(DEVICES.headset);
    const control = controlOf(engine, call.sessionId);
    const manager = managerOf(engine, DEVICES.headset);
    const recorded = recordSession(control);

    engine.removeDevice(DEVICES.headset);
    expect(recorded).toEqual([{ type: 'disconnected', reason: 'device-removed' }]);
    expect(AUDCLNT_E_DEVICE_INVALIDATED).toBe(0x88890004);
    expect([
      control.getState(outParam()),
      control.getSessionIdentifier(outParam()),
      control.getMasterVolume(outParam()),
      control.setMasterVolume(0.5, MIXER_CONTEXT),
      control.setMute(true, MIXER_CONTEXT),
      control.isSystemSoundsSession(),
      manager.getSessionEnumerator(outParam()),
      engine.startStream(call.streamId),
      engine.client(100).setVolume(call.sessionId, 0.5),
    ]).toEqual(Array.from({ length: 9 }, () => AUDCLNT_E_DEVICE_INVALIDATED));
    expect(engine.releaseStream(call.streamId)).toBe(S_OK);

    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'disconnected', sessionId: call.sessionId, reason: 'device-removed' },
        { type: 'device-removed', deviceId: DEVICES.headset },
        { type: 'default-device-changed', flow: 'render', role: 'communications', deviceId: DEVICES.speakers },
      ]),
    );
    const failure = await backend.setSessionVolume(call.sessionId, 0.5, MIXER_CONTEXT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).code).toBe('disconnected');
    await expect(backend.listSessions(DEVICES.headset)).rejects.toMatchObject({ code: 'not-found' });
  });
});
