// One test per session rule of docs/session-rules.md, each run through the coreaudio
// backend's logic (the code that ships for Windows) on the simulated Windows: the
// simulated apps do what the rule is about, and the test checks what the backend reports
// (and, for rules about what a mixer shows, what core/mixer-view makes of it). Rules about
// what Core Audio itself answers (R6, R22, R24, R25) are also checked at the OS seam.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mixerStrips } from '../../core/mixer-view';
import { GUID_NULL } from '../com/guid';
import { AUDCLNT_E_DEVICE_INVALIDATED, E_ACCESSDENIED, E_POINTER, isComError, S_OK } from '../com/hresult';
import type { DisconnectReason, SessionRecord } from '../types';
import { BackendError } from '../types';
import { ManualClock } from './clock';
import { SYSTEM_SOUNDS_ICON } from './icons';
import { SIM_STATE_FILE_NAME } from './persistence';
import { SimScenarioError } from './scenario-checks';
import { createSimBackend } from './simulated-windows';
import { SimAudioSystem } from './system';
import { SYSTEM_SOUNDS_DISPLAY_NAME } from './system-sounds';
import {
  DEVICES,
  EXPIRE_MS,
  GUID_A,
  GUID_B,
  MIXER_CONTEXT,
  backendWorld,
  controlOf,
  managerOf,
  recordCreated,
  recordSession,
  settle,
  startApp,
  temporaryDirs,
  world,
} from './test-helpers';

const stateDir = temporaryDirs('sndmix-sim-rules-');

/** `--backend sim` persisting into `dir`, with speakers and a microphone: one run of SndMix. */
async function persistentRun(dir: string) {
  const backend = await createSimBackend({ stateDir: dir, scenario: 'empty', live: false, clock: new ManualClock(), expireAfterMs: EXPIRE_MS });
  backend.engine.addDevice({ id: DEVICES.speakers, name: 'Speakers', flow: 'render' });
  backend.engine.addDevice({ id: DEVICES.microphone, name: 'Microphone', flow: 'capture' });
  await settle();
  return backend;
}

type Backend = Awaited<ReturnType<typeof backendWorld>>['backend'];

async function allSessions(backend: Backend): Promise<SessionRecord[]> {
  const devices = await backend.listDevices();
  return (await Promise.all(devices.map((device) => backend.listSessions(device.id)))).flat();
}

async function recordOf(backend: Backend, sessionId: string): Promise<SessionRecord | undefined> {
  return (await allSessions(backend)).find((record) => record.id === sessionId);
}

describe('session rules R1..R28, through the coreaudio logic on the simulated Windows', () => {
  it('R1 identifies a session by GUID + cross-process + pid + device + flow', async () => {
    const { backend, engine } = await backendWorld();
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

    // Changing any one element of the identity gives another session.
    const others = [
      engine.openStream({ pid: 100, sessionGuid: GUID_B }),
      engine.openStream({ pid: 100, sessionGuid: GUID_A, crossProcess: true }),
      engine.openStream({ pid: 101, sessionGuid: GUID_A }),
      engine.openStream({ pid: 100, sessionGuid: GUID_A, deviceId: DEVICES.headset }),
      engine.openStream({ pid: 100, sessionGuid: GUID_A, loopback: true }),
    ].map((handle) => handle.sessionId);
    expect(new Set([first.sessionId, ...others]).size).toBe(6);

    const records = await allSessions(backend);
    const identities = [first.sessionId, ...others].map((id) => {
      const record = records.find((candidate) => candidate.id === id);
      return record && [record.sessionGuid, record.crossProcess, record.pid, record.deviceId, record.flow];
    });
    expect(identities).toEqual([
      [GUID_A, false, 100, DEVICES.speakers, 'render'],
      [GUID_B, false, 100, DEVICES.speakers, 'render'],
      [GUID_A, true, 0, DEVICES.speakers, 'render'],
      [GUID_A, false, 101, DEVICES.speakers, 'render'],
      [GUID_A, false, 100, DEVICES.headset, 'render'],
      [GUID_A, false, 100, DEVICES.speakers, 'capture'],
    ]);
  });

  it('R2 makes process-specific sessions with one GUID in two processes two sessions', async () => {
    const { backend, engine } = await backendWorld();
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'player.exe');
    const one = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const two = engine.openStream({ pid: 200, sessionGuid: GUID_A });
    expect(one.sessionId).not.toBe(two.sessionId);
    const apps = (await backend.listSessions(DEVICES.speakers)).filter((record) => !record.isSystemSounds);
    expect(apps.map((record) => [record.id, record.pid, record.sessionGuid])).toEqual([
      [one.sessionId, 100, GUID_A],
      [two.sessionId, 200, GUID_A],
    ]);
  });

  it('R3 keeps a cross-process session apart from every process-specific one with its GUID, GUID_NULL included', async () => {
    const { backend, engine } = await backendWorld();
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
    expect(await recordOf(backend, crossX.sessionId)).toMatchObject({ crossProcess: true, pid: 0, processName: null });
    expect(await recordOf(backend, crossNull.sessionId)).toMatchObject({ crossProcess: true, sessionGuid: GUID_NULL });
    expect(await recordOf(backend, ownDefault.sessionId)).toMatchObject({ crossProcess: false, sessionGuid: GUID_NULL, pid: 100 });
  });

  it('R4 makes one GUID and pid on two devices two sessions', async () => {
    const { backend, engine } = await backendWorld();
    startApp(engine, 100);
    const onSpeakers = engine.openStream({ pid: 100, sessionGuid: GUID_A, deviceId: DEVICES.speakers });
    const onHeadset = engine.openStream({ pid: 100, sessionGuid: GUID_A, deviceId: DEVICES.headset });
    expect(onSpeakers.sessionId).not.toBe(onHeadset.sessionId);
    const ids = async (deviceId: string) => (await backend.listSessions(deviceId)).map((record) => record.id);
    expect(await ids(DEVICES.speakers)).toContain(onSpeakers.sessionId);
    expect(await ids(DEVICES.speakers)).not.toContain(onHeadset.sessionId);
    expect(await ids(DEVICES.headset)).toContain(onHeadset.sessionId);
  });

  it('R5 puts a stream without a session GUID in its process default GUID_NULL session', async () => {
    const { backend, engine } = await backendWorld();
    startApp(engine, 100);
    const unassigned = engine.openStream({ pid: 100 });
    expect(engine.openStream({ pid: 100 }).sessionId).toBe(unassigned.sessionId);
    expect(engine.openStream({ pid: 100, sessionGuid: GUID_NULL }).sessionId).toBe(unassigned.sessionId);
    expect(await recordOf(backend, unassigned.sessionId)).toMatchObject({ sessionGuid: GUID_NULL, crossProcess: false, pid: 100 });
  });

  it('R6 gives two instances the same session identifier but unique instance identifiers', async () => {
    const { backend, engine } = await backendWorld();
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'player.exe');
    const oneStream = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    const two = engine.openStream({ pid: 200, sessionGuid: GUID_A }).sessionId;
    const before = await allSessions(backend);
    const recordIn = (records: SessionRecord[], id: string) => records.find((record) => record.id === id) as SessionRecord;
    const [first, second] = [recordIn(before, oneStream.sessionId), recordIn(before, two)];
    expect(first.sessionIdentifier).toBe(second.sessionIdentifier);
    expect(first.sessionInstanceIdentifier).not.toBe(second.sessionInstanceIdentifier);

    // The same identity again after termination: same id and identifier, a new instance.
    engine.releaseStream(oneStream.streamId);
    const again = engine.openStream({ pid: 100, sessionGuid: GUID_A }).sessionId;
    expect(again).toBe(oneStream.sessionId);
    const renewed = recordIn(await allSessions(backend), again);
    expect(renewed.sessionIdentifier).toBe(first.sessionIdentifier);
    expect([first.sessionInstanceIdentifier, second.sessionInstanceIdentifier]).not.toContain(renewed.sessionInstanceIdentifier);
  });

  it('R7 keeps a stream in its session for life; moving it means release and reopen', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100);
    await allSessions(backend);
    // Opened on the speakers by name: the default moving does not move it (R27 moves only streams that follow the default).
    const stream = engine.openStream({ pid: 100, deviceId: DEVICES.speakers, start: true });
    engine.setDefaultDevice(DEVICES.headset, ['console']);
    await settle();
    // The default moved; the open stream did not.
    expect(engine.getStream(stream.streamId)?.sessionId).toBe(stream.sessionId);
    expect(await recordOf(backend, stream.sessionId)).toMatchObject({ deviceId: DEVICES.speakers, state: 'active' });

    engine.releaseStream(stream.streamId);
    const reopened = engine.openStream({ pid: 100, start: true });
    await settle();
    expect(events).toContainEqual({ type: 'state-changed', sessionId: stream.sessionId, state: 'expired', terminated: true });
    expect(events).toContainEqual({ type: 'session-created', session: expect.objectContaining({ id: reopened.sessionId, deviceId: DEVICES.headset }) });
    expect(await recordOf(backend, stream.sessionId)).toBeUndefined();
  });

  it('R8 keeps render and capture streams in separate sessions, loopback counting as capture', async () => {
    const { backend, engine } = await backendWorld();
    startApp(engine, 100);
    const render = engine.openStream({ pid: 100, deviceId: DEVICES.speakers });
    const loopback = engine.openStream({ pid: 100, deviceId: DEVICES.speakers, loopback: true });
    const capture = engine.openStream({ pid: 100, flow: 'capture' });
    expect(loopback.sessionId).not.toBe(render.sessionId);
    expect(await recordOf(backend, render.sessionId)).toMatchObject({ flow: 'render', deviceId: DEVICES.speakers });
    expect(await recordOf(backend, loopback.sessionId)).toMatchObject({ flow: 'capture', deviceId: DEVICES.speakers });
    expect(await recordOf(backend, capture.sessionId)).toMatchObject({ flow: 'capture', deviceId: DEVICES.microphone });

    expect(() => engine.openStream({ pid: 100, flow: 'render', deviceId: DEVICES.microphone })).toThrow(SimScenarioError);
    expect(() => engine.openStream({ pid: 100, flow: 'capture', deviceId: DEVICES.speakers })).toThrow(/needs a capture device/);
    expect(() => engine.openStream({ pid: 100, loopback: true, deviceId: DEVICES.microphone })).toThrow(/needs a render device/);
  });

  it('R9 is active iff a stream runs, inactive after the last stops, expired after a while, revived by a restart', async () => {
    const { backend, engine, clock, events } = await backendWorld();
    startApp(engine, 100);
    const first = engine.openStream({ pid: 100 });
    const second = engine.openStream({ pid: 100 });
    expect((await recordOf(backend, first.sessionId))?.state).toBe('inactive');

    expect(engine.startStream(first.streamId)).toBe(S_OK);
    expect(engine.startStream(second.streamId)).toBe(S_OK);
    engine.stopStream(first.streamId);
    engine.stopStream(second.streamId);
    clock.advance(EXPIRE_MS - 1);
    const beforeExpiry = events.length;
    clock.advance(1);
    expect(events.length).toBe(beforeExpiry + 1);
    // The mixer lets go of the expired session's control; the stream starting again is told as a new session of the same record.
    await settle();
    engine.startStream(second.streamId);
    await settle();
    expect(events.filter((event) => event.type === 'state-changed')).toEqual(
      (['active', 'inactive', 'expired', 'active'] as const).map((state) => ({
        type: 'state-changed',
        sessionId: first.sessionId,
        state,
        terminated: false,
      })),
    );
    expect((await recordOf(backend, first.sessionId))?.state).toBe('active');
  });

  it('R10 terminates a session when its last stream is released', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100);
    startApp(engine, 200, 'other.exe');
    const first = engine.openStream({ pid: 100, start: true });
    const second = engine.openStream({ pid: 100 });
    await allSessions(backend);
    const terminated = (sessionId: string) =>
      events.filter((event) => event.type === 'state-changed' && event.sessionId === sessionId && event.terminated);

    engine.releaseStream(first.streamId);
    expect(terminated(first.sessionId)).toEqual([]);
    engine.releaseStream(second.streamId);
    expect(terminated(first.sessionId)).toHaveLength(1);
    expect((await backend.listSessions(DEVICES.speakers)).map((record) => record.isSystemSounds)).toEqual([true]);

    // A process that exits releases its streams.
    const other = engine.openStream({ pid: 200, start: true });
    await settle();
    engine.exitProcess(200);
    expect(terminated(other.sessionId)).toHaveLength(1);
  });

  it('R11 shows active and inactive render sessions, drops expired and terminated ones, always shows System Sounds', async () => {
    const { backend, engine, clock } = await backendWorld();
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
    const { backend, engine } = await backendWorld();
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

  it('R13 applies volume and mute uniformly to every stream of the session', async () => {
    const { backend, engine } = await backendWorld();
    startApp(engine, 100);
    const one = engine.openStream({ pid: 100, start: true });
    const two = engine.openStream({ pid: 100 });
    await allSessions(backend);
    const gains = () => [one, two].map((stream) => engine.getStream(stream.streamId)?.effectiveVolume);

    await backend.setSessionVolume(one.sessionId, 0.25, MIXER_CONTEXT);
    expect(gains()).toEqual([0.25, 0.25]);
    await backend.setSessionMute(one.sessionId, true, MIXER_CONTEXT);
    expect(gains()).toEqual([0, 0]);
    await backend.setSessionMute(one.sessionId, false, MIXER_CONTEXT);
    expect(gains()).toEqual([0.25, 0.25]);
  });

  it('R14 persists render sessions (process-specific and cross-process) but never capture or loopback', async () => {
    const dir = stateDir();
    const before = await persistentRun(dir);
    startApp(before.engine, 100, 'player.exe');
    const handles = {
      own: before.engine.openStream({ pid: 100, sessionGuid: GUID_A }),
      cross: before.engine.openStream({ pid: 100, sessionGuid: GUID_B, crossProcess: true }),
      capture: before.engine.openStream({ pid: 100, sessionGuid: GUID_A, flow: 'capture' }),
      loopback: before.engine.openStream({ pid: 100, sessionGuid: GUID_A, loopback: true }),
    };
    await allSessions(before);
    const settings = { own: [0.3, true], cross: [0.4, false], capture: [0.5, true], loopback: [0.6, true] } as const;
    for (const [name, [volume, muted]] of Object.entries(settings)) {
      const { sessionId } = handles[name as keyof typeof handles];
      await before.setSessionVolume(sessionId, volume, MIXER_CONTEXT);
      await before.setSessionMute(sessionId, muted, MIXER_CONTEXT);
    }
    await before.close();

    // SndMix restarts; the app too, under a new pid.
    const after = await persistentRun(dir);
    startApp(after.engine, 900, 'player.exe');
    const restored = async (spec: Parameters<typeof after.engine.openStream>[0]) => {
      const record = await recordOf(after, after.engine.openStream(spec).sessionId);
      return [record?.volume, record?.muted];
    };
    expect(await restored({ pid: 900, sessionGuid: GUID_A })).toEqual([0.3, true]);
    expect(await restored({ pid: 900, sessionGuid: GUID_B, crossProcess: true })).toEqual([0.4, false]);
    expect(await restored({ pid: 900, sessionGuid: GUID_A, flow: 'capture' })).toEqual([1, false]);
    expect(await restored({ pid: 900, sessionGuid: GUID_A, loopback: true })).toEqual([1, false]);
    expect(readFileSync(join(dir, SIM_STATE_FILE_NAME), 'utf8')).not.toContain('capture');
    await after.close();
  });

  it('R15 keeps only the settings of the last instance to terminate, and a new instance inherits them', async () => {
    for (const lastToTerminate of [100, 200]) {
      const dir = stateDir();
      const backend = await persistentRun(dir);
      const { engine } = backend;
      startApp(engine, 100, 'player.exe');
      startApp(engine, 200, 'player.exe');
      const one = engine.openStream({ pid: 100, sessionGuid: GUID_A });
      const two = engine.openStream({ pid: 200, sessionGuid: GUID_A });
      await allSessions(backend);
      await backend.setSessionVolume(one.sessionId, 0.2, MIXER_CONTEXT);
      await backend.setSessionVolume(two.sessionId, 0.7, MIXER_CONTEXT);
      const [first, last] = lastToTerminate === 100 ? [200, 100] : [100, 200];
      engine.exitProcess(first);
      engine.exitProcess(last);
      const expected = lastToTerminate === 100 ? 0.2 : 0.7;

      startApp(engine, 300, 'player.exe');
      const inheritedNow = await recordOf(backend, engine.openStream({ pid: 300, sessionGuid: GUID_A }).sessionId);
      expect(inheritedNow?.volume).toBe(expected);
      await backend.close();

      const restarted = await persistentRun(dir);
      startApp(restarted.engine, 400, 'player.exe');
      const inherited = await recordOf(restarted, restarted.engine.openStream({ pid: 400, sessionGuid: GUID_A }).sessionId);
      expect(inherited?.volume).toBe(expected);
      await restarted.close();
    }
  });

  it('R16 lets an app control only its own sessions and never System Sounds; the mixer controls all', async () => {
    const { backend, engine } = await backendWorld();
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
    expect(await recordOf(backend, theirs)).toMatchObject({ volume: 1, muted: false, displayName: 'theirs.exe' });
    expect(await recordOf(backend, systemSounds)).toMatchObject({ volume: 1, muted: false });

    await backend.setSessionVolume(theirs, 0.3, MIXER_CONTEXT);
    await backend.setSessionMute(systemSounds, true, MIXER_CONTEXT);
    expect(engine.getSession(theirs)?.volume).toBe(0.3);
    expect(engine.getSession(systemSounds)?.muted).toBe(true);
  });

  it('R17 shows a client name and icon set with the first stream, and forgets them when the session terminates', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100);
    await allSessions(backend);
    const icon = 'data:image/png;base64,UkFESU8=';
    const stream = engine.openStream({ pid: 100, sessionGuid: GUID_A, displayName: 'Night Radio', iconPath: icon });
    await settle();
    expect(events).toEqual([
      {
        type: 'session-created',
        session: expect.objectContaining({ id: stream.sessionId, displayName: 'Night Radio', displayNameSource: 'client', iconPath: icon, icon }),
      },
    ]);

    engine.releaseStream(stream.streamId);
    const again = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    await settle();
    expect(await recordOf(backend, again.sessionId)).toMatchObject({ displayName: 'player.exe', displayNameSource: 'executable', iconPath: '' });
  });

  it('R18 defaults a name from the app (window title, FileDescription, executable) for process-specific sessions only', async () => {
    const { backend, engine, events } = await backendWorld();
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
    const { backend, engine } = await backendWorld();
    startApp(engine, 100);
    const app = engine.openStream({ pid: 100 }).sessionId;
    const systemSoundsId = engine.systemSoundsSessionId(DEVICES.speakers) as string;
    const records = await backend.listSessions(DEVICES.speakers);
    expect(records.filter((record) => record.isSystemSounds)).toEqual([
      expect.objectContaining({ id: systemSoundsId, displayName: 'System Sounds', displayNameSource: 'system-sounds', icon: SYSTEM_SOUNDS_ICON }),
    ]);
    expect(records.find((record) => record.id === app)?.icon).not.toBe(SYSTEM_SOUNDS_ICON);

    // What Core Audio itself reports: a resource string, and IsSystemSoundsSession.
    const { system } = world();
    const control = controlOf(system, system.engine.systemSoundsSessionId(DEVICES.speakers) as string);
    expect(control.displayName()).toBe(SYSTEM_SOUNDS_DISPLAY_NAME);
    expect(control.isSystemSounds()).toBe(true);
    expect((await backend.listSessions(DEVICES.microphone)).some((record) => record.isSystemSounds)).toBe(false);
  });

  it('R20 shows sessions sharing a grouping parameter as one control', async () => {
    const { backend, engine, events } = await backendWorld();
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

    // A GUID has no spelling on Windows: the app's context and grouping come back canonical.
    expect(engine.client(300).setGroupingParam(three, GUID_B.toLowerCase(), GUID_A.toLowerCase())).toBe(S_OK);
    expect(events.filter((event) => event.type === 'grouping-changed')).toEqual([
      { type: 'grouping-changed', sessionId: three, groupingParam: GUID_B, eventContext: GUID_A },
    ]);
    expect(await strips()).toEqual([[[one, two, three], [100, 200, 300], 'active']]);
  });

  it('R21 notifies session creation and every per-session change, disconnection with its reason', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100);
    await allSessions(backend);
    const stream = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    await settle();
    const id = stream.sessionId;
    const app = engine.client(100);
    const appContext = '{12345678-1234-1234-1234-123456789ABC}';
    app.setDisplayName(id, 'Radio', appContext);
    app.setIconPath(id, 'C:\\radio.ico,0', appContext);
    await backend.setSessionVolume(id, 0.5, MIXER_CONTEXT);
    await backend.setChannelVolume(id, 1, 0.25, MIXER_CONTEXT);
    app.setGroupingParam(id, GUID_B, appContext);
    engine.startStream(stream.streamId);
    engine.disconnectSession(id, 'format-changed');
    expect(events.map((event) => event.type)).toEqual([
      'session-created',
      'display-name-changed',
      'icon-changed',
      'volume-changed',
      'channel-volume-changed',
      'grouping-changed',
      'state-changed',
      'disconnected',
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'display-name-changed', sessionId: id, displayName: 'Radio', displayNameSource: 'client' },
      { type: 'icon-changed', sessionId: id, iconPath: 'C:\\radio.ico,0', icon: null },
      { type: 'volume-changed', sessionId: id, volume: 0.5, muted: false, eventContext: MIXER_CONTEXT },
      { type: 'channel-volume-changed', sessionId: id, channelVolumes: [1, 0.25], changedChannel: 1, eventContext: MIXER_CONTEXT },
      { type: 'grouping-changed', sessionId: id, groupingParam: GUID_B, eventContext: appContext },
      { type: 'state-changed', sessionId: id, state: 'active', terminated: false },
      { type: 'disconnected', sessionId: id, reason: 'format-changed' },
    ]);

    const reasons: DisconnectReason[] = ['server-shutdown', 'session-logoff', 'session-disconnected', 'exclusive-mode-override'];
    for (const reason of reasons) {
      const session = engine.openStream({ pid: 100, sessionGuid: GUID_A }).sessionId;
      await settle();
      events.length = 0;
      engine.disconnectSession(session, reason);
      expect(events).toEqual([{ type: 'disconnected', sessionId: session, reason }]);
    }
  });

  it('R22 sends session-created notifications only after the device sessions were enumerated once', async () => {
    // At the seam: a manager that enumerated hears of new sessions; one that never did, does not.
    const { engine, system } = world();
    startApp(engine, 100);
    const manager = managerOf(system, DEVICES.speakers);
    const created = await recordCreated(manager);
    const neverEnumerates = await recordCreated(managerOf(system, DEVICES.speakers));
    engine.openStream({ pid: 100, sessionGuid: GUID_A });
    expect(created).toEqual([]);
    expect(manager.listSessions()).toHaveLength(2);
    const later = engine.openStream({ pid: 100, sessionGuid: GUID_B });
    expect(created).toEqual([engine.getSession(later.sessionId)?.sessionInstanceIdentifier]);
    expect(neverEnumerates).toEqual([]);

    // Through the backend: nothing is announced for a device before its first listing.
    const { backend, engine: simulated, events } = await backendWorld();
    startApp(simulated, 100);
    simulated.openStream({ pid: 100, sessionGuid: GUID_A });
    await settle();
    expect(events.filter((event) => event.type === 'session-created')).toEqual([]);
    await backend.listSessions(DEVICES.speakers);
    const announced = simulated.openStream({ pid: 100, sessionGuid: GUID_B }).sessionId;
    await settle();
    expect(events.filter((event) => event.type === 'session-created').map((event) => event.type === 'session-created' && event.session.id)).toEqual([
      announced,
    ]);
  });

  it('R23 raises duck when a communications stream starts on the default communications device, unduck when it closes', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100, 'chat.exe');
    startApp(engine, 200, 'player.exe');
    await allSessions(backend);
    const ducking = () => events.filter((event) => event.type === 'duck' || event.type === 'unduck');

    const call = engine.openStream({ pid: 100, communications: true });
    await settle();
    expect(engine.getSession(call.sessionId)?.deviceId).toBe(DEVICES.headset);
    expect(ducking()).toEqual([]);
    engine.startStream(call.streamId);
    expect(ducking()).toEqual([{ type: 'duck', deviceId: DEVICES.headset, sessionId: call.sessionId, communicationSessions: 1 }]);
    engine.stopStream(call.streamId);
    expect(ducking().at(-1)).toEqual({ type: 'unduck', deviceId: DEVICES.headset, sessionId: call.sessionId });
    engine.startStream(call.streamId);
    engine.releaseStream(call.streamId);
    expect(ducking().slice(2).map((event) => event.type)).toEqual(['duck', 'unduck']);

    // Neither a media stream on the communications device nor a communications stream elsewhere ducks.
    engine.openStream({ pid: 200, deviceId: DEVICES.headset, start: true });
    engine.openStream({ pid: 100, communications: true, deviceId: DEVICES.speakers, start: true });
    await settle();
    expect(ducking()).toHaveLength(4);
  });

  it('R24 answers a null interface pointer with E_POINTER', async () => {
    const { engine, system } = world();
    startApp(engine, 100);
    const sessionId = engine.openStream({ pid: 100 }).sessionId;
    const endpoint = system.openEndpoint(DEVICES.speakers);
    const manager = endpoint.sessionManager();
    const control = controlOf(system, sessionId);
    const nothing = null as never;
    const references = system.liveReferences();

    expect(E_POINTER).toBe(0x80004003);
    const answers = await Promise.all(
      [
        () => system.watchEndpoints(nothing),
        () => endpoint.watchVolume(nothing),
        () => manager.watchSessions(nothing),
        () => manager.watchDucking(nothing),
        () => control.watch(nothing),
      ].map((register) => register().then(() => 'registered', (error: unknown) => (isComError(error, E_POINTER) ? 'E_POINTER' : error))),
    );
    expect(answers).toEqual(Array.from({ length: 5 }, () => 'E_POINTER'));
    expect(system.liveReferences()).toBe(references); // no registration was made
  });

  it('R25 reports a session on a removed device as AUDCLNT_E_DEVICE_INVALIDATED, and the backend as disconnected', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100, 'chat.exe');
    const call = engine.openStream({ pid: 100, communications: true, start: true });
    await backend.listSessions(DEVICES.headset);
    // A second mixer on the same simulated Windows, to see what Core Audio answers.
    const system = new SimAudioSystem(engine);
    const control = controlOf(system, call.sessionId);
    const manager = managerOf(system, DEVICES.headset);
    const recorded = await recordSession(control);

    engine.removeDevice(DEVICES.headset);
    await settle();
    expect(recorded).toEqual([{ type: 'disconnected', reason: 'device-removed' }]);
    expect(AUDCLNT_E_DEVICE_INVALIDATED).toBe(0x88890004);
    const invalidated = (call: () => unknown) => {
      try {
        call();
        return 'answered';
      } catch (error) {
        return isComError(error, AUDCLNT_E_DEVICE_INVALIDATED) ? 'AUDCLNT_E_DEVICE_INVALIDATED' : error;
      }
    };
    expect(
      [
        () => control.state(),
        () => control.sessionIdentifier(),
        () => control.volume(),
        () => control.isSystemSounds(),
        () => manager.listSessions(),
      ].map(invalidated),
    ).toEqual(Array.from({ length: 5 }, () => 'AUDCLNT_E_DEVICE_INVALIDATED'));
    await expect(control.setVolume(0.5, MIXER_CONTEXT)).rejects.toSatisfy((error) => isComError(error, AUDCLNT_E_DEVICE_INVALIDATED));
    expect(engine.startStream(call.streamId)).toBe(AUDCLNT_E_DEVICE_INVALIDATED);
    expect(engine.client(100).setVolume(call.sessionId, 0.5)).toBe(AUDCLNT_E_DEVICE_INVALIDATED);
    expect(engine.releaseStream(call.streamId)).toBe(S_OK);

    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'disconnected', sessionId: call.sessionId, reason: 'device-removed' },
        { type: 'device-removed', deviceId: DEVICES.headset },
        { type: 'default-device-changed', flow: 'render', role: 'communications', deviceId: DEVICES.speakers },
      ]),
    );
    const failure = await backend.setSessionVolume(call.sessionId, 0.5, MIXER_CONTEXT).catch((error: unknown) => error);
    // Gone with its device from the backend; the engine host keeps the disconnected record and says so.
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).code).toBe('not-found');
    await expect(backend.listSessions(DEVICES.headset)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('R26 moves the streams that follow the default when an app gets its own default endpoint: its session ends on the old device and starts on the new one, and the choice is kept across restarts', async () => {
    const dir = stateDir();
    const before = await persistentRun(dir);
    before.engine.addDevice({ id: DEVICES.headset, name: 'Headset', flow: 'render' });
    startApp(before.engine, 100, 'player.exe');
    const follows = before.engine.openStream({ pid: 100, sessionGuid: GUID_A, start: true });
    const pinned = before.engine.openStream({ pid: 100, sessionGuid: GUID_B, deviceId: DEVICES.speakers });
    await allSessions(before);
    const events: string[] = [];
    before.subscribe((event) => {
      if (event.type === 'session-created') events.push(`created ${event.session.deviceId}`);
      if (event.type === 'state-changed' && event.terminated) events.push(`ended ${event.sessionId === follows.sessionId ? 'the speakers session' : event.sessionId}`);
    });
    await before.setOutputDevice(follows.sessionId, DEVICES.headset);
    await settle();
    // The stream joins its session on the headset, then the speakers session ends with it gone.
    expect(events).toEqual([`created ${DEVICES.headset}`, 'ended the speakers session']);
    const moved = before.engine.getSession(before.engine.getStream(follows.streamId)?.sessionId ?? '');
    expect(moved).toMatchObject({ deviceId: DEVICES.headset, pid: 100, sessionGuid: GUID_A, state: 'active' });
    expect(before.engine.getSession(pinned.sessionId)?.deviceId).toBe(DEVICES.speakers);
    await before.close();

    // SndMix and the app restart: the app's new stream goes to its own device.
    const after = await persistentRun(dir);
    after.engine.addDevice({ id: DEVICES.headset, name: 'Headset', flow: 'render' });
    startApp(after.engine, 900, 'player.exe');
    expect(after.engine.getSession(after.engine.openStream({ pid: 900 }).sessionId)?.deviceId).toBe(DEVICES.headset);
    expect(after.appOutputDevice(900, 'render')).toBe(DEVICES.headset);
    await after.close();
  });

  it('R27 moves the streams that follow the default when the user changes the default device: each session ends on the old device and starts on the new one; streams on a named device, apps with their own output device and other roles stay', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'game.exe');
    startApp(engine, 300, 'chat.exe');
    const follows = engine.openStream({ pid: 100, sessionGuid: GUID_A, displayName: 'Player', start: true });
    const named = engine.openStream({ pid: 100, sessionGuid: GUID_B, deviceId: DEVICES.speakers, start: true });
    const ownOutput = engine.openStream({ pid: 200, start: true });
    const call = engine.openStream({ pid: 300, communications: true, start: true });
    await allSessions(backend);
    // The user gave the game its own output device in SndMix: the speakers, where it already plays.
    await backend.setOutputDevice(ownOutput.sessionId, DEVICES.speakers);
    await settle();
    events.length = 0;
    const deviceOf = (streamId: number) => engine.getSession(engine.getStream(streamId)?.sessionId ?? '')?.deviceId;

    // Windows' Sound settings set the default playback device for console and multimedia.
    engine.setDefaultDevice(DEVICES.headset, ['console', 'multimedia']);
    await settle();
    const movedId = engine.getStream(follows.streamId)?.sessionId ?? '';
    expect(movedId).not.toBe(follows.sessionId);
    expect(events.filter((event) => event.type !== 'default-device-changed')).toEqual([
      { type: 'session-created', session: expect.objectContaining({ id: movedId, deviceId: DEVICES.headset, pid: 100, sessionGuid: GUID_A }) },
      { type: 'state-changed', sessionId: follows.sessionId, state: 'expired', terminated: true },
      { type: 'state-changed', sessionId: movedId, state: 'active', terminated: false },
    ]);
    // What the app named its session travels with it.
    expect(await recordOf(backend, movedId)).toMatchObject({ deviceId: DEVICES.headset, state: 'active', displayName: 'Player' });
    expect(await recordOf(backend, follows.sessionId)).toBeUndefined();
    expect([deviceOf(named.streamId), deviceOf(ownOutput.streamId), deviceOf(call.streamId)]).toEqual([DEVICES.speakers, DEVICES.speakers, DEVICES.headset]);

    // Back to the speakers for console and multimedia: the call follows the communications default, which did not move.
    engine.setDefaultDevice(DEVICES.speakers, ['console', 'multimedia']);
    await settle();
    expect([deviceOf(follows.streamId), deviceOf(call.streamId)]).toEqual([DEVICES.speakers, DEVICES.headset]);
    // The communications default moving moves the call, and only the call.
    engine.setDefaultDevice(DEVICES.speakers, ['communications']);
    await settle();
    expect([follows, named, ownOutput, call].map((stream) => deviceOf(stream.streamId))).toEqual(Array(4).fill(DEVICES.speakers));
    expect((await backend.listSessions(DEVICES.headset)).filter((record) => !record.isSystemSounds)).toEqual([]);
  });

  it('R28 plays an app whose own output device is unplugged on the default meanwhile and moves it back when the device returns, its choice kept', async () => {
    const { backend, engine, events } = await backendWorld();
    startApp(engine, 100, 'player.exe');
    const music = engine.openStream({ pid: 100, sessionGuid: GUID_A, displayName: 'Player', start: true });
    const named = engine.openStream({ pid: 100, sessionGuid: GUID_B, deviceId: DEVICES.headset, start: true });
    await allSessions(backend);
    await backend.setOutputDevice(music.sessionId, DEVICES.headset);
    await settle();
    const sessionOf = (streamId: number) => engine.getSession(engine.getStream(streamId)?.sessionId ?? '');
    const onHeadset = sessionOf(music.streamId)?.id ?? '';
    expect(sessionOf(music.streamId)?.deviceId).toBe(DEVICES.headset);
    events.length = 0;

    // Unplugged: the app's session on the headset is disconnected with the device, and the app plays on on the speakers.
    engine.removeDevice(DEVICES.headset);
    await settle();
    const meanwhile = sessionOf(music.streamId);
    expect(meanwhile).toMatchObject({ deviceId: DEVICES.speakers, pid: 100, sessionGuid: GUID_A, state: 'active' });
    expect(engine.getStream(music.streamId)).toMatchObject({ running: true, invalidated: false });
    expect(events.filter((event) => event.type === 'session-created' || (event.type === 'disconnected' && event.sessionId === onHeadset))).toEqual([
      { type: 'disconnected', sessionId: onHeadset, reason: 'device-removed' },
      { type: 'session-created', session: expect.objectContaining({ deviceId: DEVICES.speakers, displayName: 'Player', outputRoute: { kind: 'pinned', deviceId: DEVICES.headset } }) },
    ]);
    // A stream the app opened on the headset by name goes with it (R25).
    expect(engine.getStream(named.streamId)?.invalidated).toBe(true);
    expect(engine.getAppDefaultDevice(100, 'render')).toBe(DEVICES.headset);
    // Meanwhile it follows the default (R27) as an app without its own device does.
    engine.addDevice({ id: 'test-hdmi', name: 'HDMI', flow: 'render' });
    await allSessions(backend);
    engine.setDefaultDevice('test-hdmi', ['console', 'multimedia']);
    await settle();
    const onHdmi = sessionOf(music.streamId);
    expect(onHdmi?.deviceId).toBe('test-hdmi');
    events.length = 0;

    // Plugged in again: the app goes back to its own device, its session on the default ending.
    const back = engine.addDevice({ id: DEVICES.headset, name: 'Headset', flow: 'render' });
    await settle();
    const returned = sessionOf(music.streamId);
    expect(returned).toMatchObject({ deviceId: DEVICES.headset, pid: 100, sessionGuid: GUID_A, state: 'active' });
    expect(back.defaultFor).toEqual([]);
    expect(events.filter((event) => event.type === 'state-changed' && event.terminated)).toEqual([
      { type: 'state-changed', sessionId: onHdmi?.id, state: 'expired', terminated: true },
    ]);
    // The mixer lists the device that came: the app's session is there, still pinned to it.
    expect(await recordOf(backend, returned?.id ?? '')).toMatchObject({ deviceId: DEVICES.headset, state: 'active', outputRoute: { kind: 'pinned', deviceId: DEVICES.headset } });
    expect(engine.getAppDefaultDevice(100, 'render')).toBe(DEVICES.headset);
  });

  it('R28 invalidates the streams of an app whose own output device goes when no other device of the flow is left', async () => {
    const { engine } = world();
    startApp(engine, 100, 'player.exe');
    const music = engine.openStream({ pid: 100, start: true });
    engine.setAppDefaultDevice(100, 'render', DEVICES.headset);
    engine.removeDevice(DEVICES.speakers);
    expect(engine.getStream(music.streamId)?.invalidated).toBe(false);
    // The last playback device goes.
    engine.removeDevice(DEVICES.headset);
    expect(engine.getStream(music.streamId)).toMatchObject({ running: false, invalidated: true });
    expect(engine.startStream(music.streamId)).toBe(AUDCLNT_E_DEVICE_INVALIDATED);
    expect(engine.getAppDefaultDevice(100, 'render')).toBe(DEVICES.headset);
  });
});
