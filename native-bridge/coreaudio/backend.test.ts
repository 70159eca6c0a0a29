// The coreaudio backend's logic on the simulated Windows (sim/system.ts): apps play, name
// and end sessions there as on Windows. What the sim does not model (Wine's stubs, missing
// interfaces, devices gone without a word, endpoint states) is put in by StubbedSystem.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUID_NULL } from '../com/guid';
import { ManualClock } from '../sim/clock';
import { SimEngine } from '../sim/engine';
import type { SimStreamHandle, SimStreamSpec } from '../sim/streams';
import { SimAudioSystem } from '../sim/system';
import type { BackendEvent, SessionRecord } from '../types';
import { BackendError } from '../types';
import { SYSTEM_SOUNDS_LABEL } from '../windows-rules/display-names';
import { sessionIdFor } from '../windows-rules/session-identity';
import { SERVICE_STOPPED_MESSAGE } from './audio-service';
import { createCoreAudioBackend, type CoreAudioBackend } from './backend';
import { PropertyKeys } from './constants';
import { encodePng } from './png';
import { StubbedSystem } from './testing/stubbed-system';

const GUID_A = '{11111111-2222-3333-4444-555555555555}';
const GUID_B = '{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}';
/** The engine host spells its context in lower case: echoes must come back spelled the same. */
const HOST_CONTEXT = '{0f0f0f0f-1111-2222-3333-444444444444}';
const OTHER_CONTEXT = '{12345678-9ABC-DEF0-1234-56789ABCDEF0}';
const SPEAKERS = 'speakers';
const HEADSET = 'headset';
const MIC = 'microphone';
const ICON = 'data:image/png;base64,AAAA';
/** The pid SndMix runs as in the simulated Windows (its own sessions are the ones trackSession opens). */
const SNDMIX_PID = 4242;

function world() {
  const clock = new ManualClock(1_000_000);
  const engine = new SimEngine({ clock, onWarning: (message) => { throw new Error(message); } });
  engine.addDevice({ id: SPEAKERS, name: 'Speakers (Realtek)', flow: 'render', defaultFor: ['console', 'multimedia'], volume: 0.5 });
  engine.addDevice({ id: HEADSET, name: 'Headset', flow: 'render', defaultFor: ['communications'], volume: 0.5 });
  engine.addDevice({ id: MIC, name: 'Microphone', flow: 'capture', volume: 0.5 });
  engine.startProcess({ pid: 100, exePath: 'C:\\Apps\\player.exe', windowTitle: 'Player - song.mp3', fileDescription: 'Music Player', icon: ICON });
  engine.startProcess({ pid: 200, exePath: 'C:\\Apps\\chat.exe', fileDescription: 'Chat App' });
  engine.startProcess({ pid: 300, exePath: 'C:\\Apps\\tool.exe' });
  engine.startProcess({ pid: SNDMIX_PID, exePath: 'C:\\Program Files\\SndMix\\sndmix.exe' });
  const system = new StubbedSystem(new SimAudioSystem(engine, { mixerPid: SNDMIX_PID }));
  /** An app opens a stream: its session appears on the device (on the speakers unless told). */
  const play = (spec: SimStreamSpec): SimStreamHandle => engine.openStream({ deviceId: SPEAKERS, ...spec });
  /** The session instance identifier of a stream's session, as Core Audio reports it. */
  const instanceOf = (handle: SimStreamHandle) => engine.getSession(handle.sessionId)?.sessionInstanceIdentifier ?? '';
  return { engine, clock, system, play, instanceOf };
}

type World = ReturnType<typeof world>;

async function open({ system }: World, pollIntervalMs: number | null = 1000) {
  const warnings: string[] = [];
  const backend = await createCoreAudioBackend({ system, pollIntervalMs, onWarning: (message) => warnings.push(message) });
  const events: BackendEvent[] = [];
  backend.subscribe((event) => events.push(event));
  return { backend, events, warnings };
}

/** Lets handlers the backend started (device notifications, session adoption) finish. */
const settle = () => new Promise((done) => setImmediate(done));

async function sessionOf(backend: CoreAudioBackend, engine: SimEngine, handle: SimStreamHandle): Promise<SessionRecord> {
  const deviceId = engine.getSession(handle.sessionId)?.deviceId ?? SPEAKERS;
  const found = (await backend.listSessions(deviceId)).find((record) => record.id === handle.sessionId);
  if (!found) throw new Error(`session ${handle.sessionId} not listed`);
  return found;
}

/** A device's sessions the apps made (System Sounds left out). */
async function appSessions(backend: CoreAudioBackend, deviceId: string): Promise<SessionRecord[]> {
  return (await backend.listSessions(deviceId)).filter((record) => !record.isSystemSounds);
}

describe('coreaudio backend: opening', () => {
  it('is unavailable off Windows without a system to talk to', async () => {
    const rejection = createCoreAudioBackend({ platform: 'linux' });
    await expect(rejection).rejects.toBeInstanceOf(BackendError);
    await expect(rejection).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('rejects a nonsense poll interval', async () => {
    await expect(createCoreAudioBackend({ system: world().system, pollIntervalMs: -5 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });

  it('reports the poll interval it was given (default 2 s; null for events only)', async () => {
    expect((await createCoreAudioBackend({ system: world().system })).pollIntervalMs).toBe(2000);
    expect((await open(world(), null)).backend.pollIntervalMs).toBeNull();
  });

  it('starts with every capability the platform has not disproven', async () => {
    const { backend } = await open(world());
    expect(Object.entries(backend.capabilities).filter(([, able]) => !able)).toEqual([]);
  });

  it('writes nothing to the default device at start: a missing meter is read, stubbed setters are learnt from the first call', async () => {
    const setup = world();
    setup.system.noMeter.add(SPEAKERS);
    setup.system.notImplemented.add('endpoint.setVolume').add('endpoint.setMute');
    const { backend } = await open(setup);
    expect(setup.system.calls.filter((call) => call === 'SetMasterVolumeLevelScalar' || call === 'SetMute(endpoint)')).toEqual([]);
    expect(backend.capabilities).toMatchObject({ peakMeters: false, deviceVolume: true, deviceMute: true });
    await expect(backend.setDeviceVolume(SPEAKERS, 0.3)).rejects.toMatchObject({ code: 'not-supported' });
    await expect(backend.setDeviceMute(SPEAKERS, true)).rejects.toMatchObject({ code: 'not-supported' });
    expect(backend.capabilities).toMatchObject({ deviceVolume: false, deviceMute: false });
    expect(setup.engine.getDevice(SPEAKERS)).toMatchObject({ volume: 0.5, muted: false });
  });
});

describe('coreaudio backend: devices', () => {
  it('lists render and capture endpoints with names, states, default roles and endpoint volume', async () => {
    const setup = world();
    setup.engine.addDevice({ id: 'old', name: 'Old USB', flow: 'render' });
    setup.system.deviceStates.set('old', 'notpresent');
    const { backend } = await open(setup);
    const volumeRangeDb = { minDb: -65.25, maxDb: 0, stepDb: 0.03125, curve: 'linear-db' };
    expect(await backend.listDevices()).toEqual([
      { id: SPEAKERS, name: 'Speakers (Realtek)', flow: 'render', state: 'active', defaultFor: ['console', 'multimedia'], volume: 0.5, muted: false, volumeRangeDb },
      { id: HEADSET, name: 'Headset', flow: 'render', state: 'active', defaultFor: ['communications'], volume: 0.5, muted: false, volumeRangeDb },
      { id: MIC, name: 'Microphone', flow: 'capture', state: 'active', defaultFor: ['console', 'multimedia', 'communications'], volume: 0.5, muted: false, volumeRangeDb },
      { id: 'old', name: 'Old USB', flow: 'render', state: 'notpresent', defaultFor: [], volume: null, muted: null, volumeRangeDb: null },
    ]);
  });

  it('sets the endpoint volume and mute, and reports the endpoint notification as device-changed', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    await backend.listDevices();
    await backend.setDeviceVolume(SPEAKERS, 0.25);
    await backend.setDeviceMute(SPEAKERS, true);
    expect(setup.engine.getDevice(SPEAKERS)).toMatchObject({ volume: 0.25, muted: true });
    const changed = events.filter((event) => event.type === 'device-changed');
    expect(changed.map((event) => event.type === 'device-changed' && [event.device.volume, event.device.muted])).toEqual([
      [0.25, false],
      [0.25, true],
    ]);
  });

  it('makes device volume "not supported" on the first E_NOTIMPL and never calls again', async () => {
    const setup = world();
    const { backend } = await open(setup);
    setup.system.notImplemented.add('endpoint.setVolume');
    await expect(backend.setDeviceVolume(SPEAKERS, 0.3)).rejects.toMatchObject({ code: 'not-supported' });
    expect(backend.capabilities.deviceVolume).toBe(false);
    const calls = setup.system.calls.filter((call) => call === 'SetMasterVolumeLevelScalar').length;
    await expect(backend.setDeviceVolume(SPEAKERS, 0.3)).rejects.toMatchObject({ code: 'not-supported' });
    expect(setup.system.calls.filter((call) => call === 'SetMasterVolumeLevelScalar').length).toBe(calls);
  });

  it('rejects bad device commands clearly', async () => {
    const { backend } = await open(world());
    await expect(backend.setDeviceVolume('nope', 0.5)).rejects.toMatchObject({ code: 'not-found' });
    await expect(backend.setDeviceVolume(SPEAKERS, 1.5)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setDeviceMute(SPEAKERS, 'yes' as unknown as boolean)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.listSessions('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('turns IMMNotificationClient calls into device events, in the order they came', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    await backend.listDevices();
    setup.engine.addDevice({ id: 'usb', name: 'USB Speakers', flow: 'render' });
    setup.engine.setDefaultDevice('usb', ['console']);
    await settle();
    // Windows' renames and states are not modelled by the sim: sent by hand.
    setup.system.endpointEvent((watch) => watch.propertyChanged(HEADSET, PropertyKeys.PKEY_Device_FriendlyName));
    setup.system.endpointEvent((watch) => watch.propertyChanged(HEADSET, PropertyKeys.PKEY_AudioEndpoint_FormFactor));
    await settle();
    setup.system.deviceStates.set(HEADSET, 'unplugged');
    setup.system.endpointEvent((watch) => watch.stateChanged(HEADSET, 'unplugged'));
    await settle();
    setup.engine.removeDevice('usb');
    await settle();
    expect(events.map((event) => event.type)).toEqual([
      'device-added',
      'default-device-changed',
      'device-changed',
      'device-changed',
      'device-removed',
      'default-device-changed',
    ]);
    expect(events[0]).toMatchObject({ device: { id: 'usb', name: 'USB Speakers', flow: 'render' } });
    expect(events[1]).toEqual({ type: 'default-device-changed', flow: 'render', role: 'console', deviceId: 'usb' });
    expect(events[2]).toMatchObject({ device: { id: HEADSET, name: 'Headset' } });
    expect(events[3]).toMatchObject({ device: { id: HEADSET, state: 'unplugged', volume: null } });
    expect(events[5]).toEqual({ type: 'default-device-changed', flow: 'render', role: 'console', deviceId: SPEAKERS });
  });
});

describe('coreaudio backend: sessions and reconcile', () => {
  it('registers for new sessions before enumerating, so notifications start (R22)', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    setup.play({ pid: 100, sessionGuid: GUID_A });
    await settle();
    expect(events).toEqual([]);
    await backend.listSessions(SPEAKERS);
    const order = setup.system.calls.filter((call) => call === 'RegisterSessionNotification' || call === 'GetSessionEnumerator');
    expect(order.slice(0, 2)).toEqual(['RegisterSessionNotification', 'GetSessionEnumerator']);
    setup.play({ pid: 200, sessionGuid: GUID_B });
    await settle();
    expect(events.map((event) => event.type)).toEqual(['session-created']);
    expect(events[0]).toMatchObject({ session: { sessionGuid: GUID_B, pid: 200, displayName: 'Chat App' } });
  });

  it('registers once however many first listings race, and lets go of nothing twice', async () => {
    const setup = world();
    const { backend } = await open(setup);
    await Promise.all([backend.listSessions(SPEAKERS), backend.listSessions(SPEAKERS)]);
    expect(setup.system.calls.filter((call) => call === 'RegisterDuckNotification')).toHaveLength(1);
    await backend.close();
    expect(setup.system.liveReferences()).toBe(0);
  });

  it('where notifications are stubs, finds new sessions at each listing and reports those gone terminated (R10)', async () => {
    const setup = world();
    setup.system.notImplemented.add('watchSessions').add('watch');
    const { backend, events } = await open(setup);
    const first = setup.play({ pid: 100, sessionGuid: GUID_A });
    expect((await appSessions(backend, SPEAKERS)).map((record) => record.pid)).toEqual([100]);
    const missed = setup.play({ pid: 200, sessionGuid: GUID_A });
    expect((await appSessions(backend, SPEAKERS)).map((record) => record.pid)).toEqual([100, 200]);
    setup.engine.releaseStream(first.streamId);
    expect((await appSessions(backend, SPEAKERS)).map((record) => record.id)).toEqual([missed.sessionId]);
    expect(events).toEqual([{ type: 'state-changed', sessionId: first.sessionId, state: 'expired', terminated: true }]);
  });

  it('reports a session terminated as its last stream goes, from its expired notification (R10)', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A, start: true });
    await backend.listSessions(SPEAKERS);
    setup.engine.releaseStream(stream.streamId);
    expect(events).toEqual([{ type: 'state-changed', sessionId: stream.sessionId, state: 'expired', terminated: true }]);
    expect(await appSessions(backend, SPEAKERS)).toEqual([]);
  });

  it('keeps expired sessions in the list, as expired (R9)', async () => {
    const setup = world();
    const { backend } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A, start: true });
    expect((await sessionOf(backend, setup.engine, stream)).state).toBe('active');
    setup.engine.stopStream(stream.streamId);
    setup.clock.advance(setup.engine.expireAfterMs);
    expect((await sessionOf(backend, setup.engine, stream)).state).toBe('expired');
  });

  it('lets go of an expired session (control, sink, per-poll reads), keeps its record, and follows it again when it plays (R9)', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A, start: true });
    await backend.listSessions(SPEAKERS);
    const held = setup.system.liveReferences();
    setup.engine.stopStream(stream.streamId);
    setup.clock.advance(setup.engine.expireAfterMs);
    await settle();
    expect(setup.system.liveReferences()).toBe(held - 2); // its control and its sink
    setup.system.calls.length = 0;
    expect((await sessionOf(backend, setup.engine, stream)).state).toBe('expired');
    expect(setup.system.calls.filter((call) => call === 'GetMasterVolume')).toHaveLength(1); // System Sounds' only
    await expect(backend.setSessionVolume(stream.sessionId, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'not-found' });

    events.length = 0;
    setup.engine.startStream(stream.streamId);
    await settle();
    expect(events).toEqual([{ type: 'state-changed', sessionId: stream.sessionId, state: 'active', terminated: false }]);
    await backend.setSessionVolume(stream.sessionId, 0.5, HOST_CONTEXT);
    expect(setup.engine.getSession(stream.sessionId)?.volume).toBe(0.5);
    await backend.close();
    expect(setup.system.liveReferences()).toBe(0);
  });

  it('merges a session announced while the first listing runs into it, once (R22)', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    setup.play({ pid: 100, sessionGuid: GUID_A }); // the listing has a session to adopt
    let early: SimStreamHandle | null = null;
    // Just after the snapshot: absent from it, announced to the registration made before it.
    setup.system.afterEnumeration = () => (early = setup.play({ pid: 200, sessionGuid: GUID_B }));
    const first = await backend.listSessions(SPEAKERS);
    expect(early).not.toBeNull();
    await settle();
    const announced = events.filter((event) => event.type === 'session-created' && event.session.id === early?.sessionId);
    expect(first.filter((record) => record.id === early?.sessionId).length + announced.length).toBe(1);
    expect((await backend.listSessions(SPEAKERS)).filter((record) => record.id === early?.sessionId)).toHaveLength(1);
    await backend.close();
    expect(setup.system.liveReferences()).toBe(0);
  });

  it('gives a session an id from its R1 identity: stable across runs, distinct per pid, device and cross-process', async () => {
    const setup = world();
    const a = setup.play({ pid: 100, sessionGuid: GUID_A });
    setup.play({ pid: 200, sessionGuid: GUID_A });
    setup.play({ pid: 100, sessionGuid: GUID_A, crossProcess: true });
    setup.play({ pid: 100, sessionGuid: GUID_A, deviceId: HEADSET });
    const first = await open(setup);
    const ids = [...(await appSessions(first.backend, SPEAKERS)), ...(await appSessions(first.backend, HEADSET))].map((record) => record.id);
    expect(new Set(ids).size).toBe(4);
    const again = await open(setup);
    expect((await sessionOf(again.backend, setup.engine, a)).id).toBe(ids[0]);
    expect(ids[0]).toBe(sessionIdFor({ sessionGuid: GUID_A, crossProcess: false, pid: 100, deviceId: SPEAKERS, flow: 'render' }));
  });

  it('reads the session GUID out of the session identifier (R1) and the owner from GetProcessId', async () => {
    const setup = world();
    const cross = setup.play({ pid: 100, sessionGuid: GUID_B, crossProcess: true });
    const { backend } = await open(setup);
    const record = await sessionOf(backend, setup.engine, cross);
    expect(record).toMatchObject({ sessionGuid: GUID_B, crossProcess: true, pid: 0, processName: null });
    expect(record.sessionIdentifier).toContain(`%b${GUID_B}`);
    expect(record.sessionInstanceIdentifier).toMatch(/%b0$/);
  });

  it('where enumeration is not implemented (Wine), lists the sessions tracked by GUID', async () => {
    const setup = world();
    setup.system.notImplemented.add('listSessions').add('watchSessions').add('watchDucking');
    const { backend, events, warnings } = await open(setup);
    expect(await backend.listSessions(SPEAKERS)).toEqual([]);
    setup.play({ pid: SNDMIX_PID, sessionGuid: GUID_A });
    const tracked = await backend.trackSession(SPEAKERS, GUID_A.toLowerCase());
    expect(tracked).toMatchObject({ sessionGuid: GUID_A, pid: SNDMIX_PID, crossProcess: false });
    expect(events.map((event) => event.type)).toEqual(['session-created']);
    expect((await backend.listSessions(SPEAKERS)).map((record) => record.id)).toEqual([tracked.id]);
    expect((await backend.trackSession(SPEAKERS, GUID_A)).id).toBe(tracked.id);
    expect(setup.system.calls.filter((call) => call === 'GetSessionEnumerator')).toHaveLength(1);
    expect(backend.capabilities.ducking).toBe(false);
    await expect(backend.trackSession(SPEAKERS, 'not a guid')).rejects.toMatchObject({ code: 'invalid-argument' });
    // The simulated Windows opens no session that has no stream yet: "not supported", never faked.
    await expect(backend.trackSession(SPEAKERS, GUID_B)).rejects.toMatchObject({ code: 'not-supported' });
    expect(warnings).toEqual([]);
  });

  it('re-reads drifted values on every list (missed volume, state and name notifications)', async () => {
    const setup = world();
    setup.system.notImplemented.add('watch'); // no per-session notifications: only listings see the changes
    const { backend } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
    await backend.listSessions(SPEAKERS);
    const app = setup.engine.client(100);
    app.setVolume(stream.sessionId, 0.2);
    app.setMute(stream.sessionId, true);
    app.setDisplayName(stream.sessionId, 'Renamed');
    app.setChannelVolume(stream.sessionId, 1, 0.25);
    setup.engine.startStream(stream.streamId);
    expect(await sessionOf(backend, setup.engine, stream)).toMatchObject({
      volume: 0.2,
      muted: true,
      state: 'active',
      displayName: 'Renamed',
      displayNameSource: 'client',
      channelVolumes: [1, 0.25],
    });
  });

  it('turns each IAudioSessionEvents notification into a backend event', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
    const { id } = await sessionOf(backend, setup.engine, stream);
    const app = setup.engine.client(100);
    app.setDisplayName(id, 'New name', OTHER_CONTEXT);
    app.setIconPath(id, ICON, OTHER_CONTEXT);
    app.setVolume(id, 0.4, OTHER_CONTEXT);
    app.setMute(id, true, OTHER_CONTEXT);
    app.setChannelVolume(id, 0, 0.1, OTHER_CONTEXT);
    app.setGroupingParam(id, GUID_B, OTHER_CONTEXT);
    setup.engine.startStream(stream.streamId);
    setup.engine.disconnectSession(id, 'session-logoff');
    expect(events).toEqual([
      { type: 'display-name-changed', sessionId: id, displayName: 'New name', displayNameSource: 'client' },
      { type: 'icon-changed', sessionId: id, iconPath: ICON, icon: ICON },
      { type: 'volume-changed', sessionId: id, volume: 0.4, muted: false, eventContext: OTHER_CONTEXT },
      { type: 'volume-changed', sessionId: id, volume: 0.4, muted: true, eventContext: OTHER_CONTEXT },
      { type: 'channel-volume-changed', sessionId: id, channelVolumes: [0.1, 1], changedChannel: 0, eventContext: OTHER_CONTEXT },
      { type: 'grouping-changed', sessionId: id, groupingParam: GUID_B, eventContext: OTHER_CONTEXT },
      { type: 'state-changed', sessionId: id, state: 'active', terminated: false },
      { type: 'disconnected', sessionId: id, reason: 'session-logoff' },
    ]);
  });

  it('reads a volume back when the notified one is not a level (a float lost in the callback)', async () => {
    const setup = world();
    setup.system.lostFloats = true;
    const { backend, events } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
    await backend.listSessions(SPEAKERS);
    setup.engine.client(100).setVolume(stream.sessionId, 0.6, OTHER_CONTEXT);
    expect(events).toMatchObject([{ type: 'volume-changed', volume: 0.6 }]);
  });

  it('reports ducking with our session id', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const call = setup.play({ pid: 200, sessionGuid: GUID_A, deviceId: HEADSET, communications: true });
    const { id } = await sessionOf(backend, setup.engine, call);
    setup.engine.startStream(call.streamId);
    setup.engine.stopStream(call.streamId);
    expect(events.filter((event) => event.type === 'duck' || event.type === 'unduck')).toEqual([
      { type: 'duck', deviceId: HEADSET, sessionId: id, communicationSessions: 1 },
      { type: 'unduck', deviceId: HEADSET, sessionId: id },
    ]);
  });

  it('follows a new instance of a known identity (R6), telling the old one terminated', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const first = setup.play({ pid: 100, sessionGuid: GUID_A });
    const before = await sessionOf(backend, setup.engine, first);
    setup.engine.releaseStream(first.streamId);
    const again = setup.play({ pid: 100, sessionGuid: GUID_A });
    await settle();
    expect(again.sessionId).toBe(first.sessionId);
    expect(events.map((event) => event.type)).toEqual(['state-changed', 'session-created']);
    const after = await sessionOf(backend, setup.engine, again);
    expect(after.sessionInstanceIdentifier).toBe(setup.instanceOf(again));
    expect(after.sessionInstanceIdentifier).not.toBe(before.sessionInstanceIdentifier);
  });
});

describe('coreaudio backend: grouping (R20)', () => {
  it("reports each session's grouping parameter: the key a mixer merges an app's instances by", async () => {
    const setup = world();
    const { backend } = await open(setup);
    setup.play({ pid: 100, sessionGuid: GUID_A, groupingParam: GUID_B });
    setup.play({ pid: 200, sessionGuid: GUID_A, groupingParam: GUID_B.toLowerCase() });
    setup.play({ pid: 300, sessionGuid: GUID_A });
    expect((await appSessions(backend, SPEAKERS)).map((record) => [record.pid, record.groupingParam])).toEqual([
      [100, GUID_B],
      [200, GUID_B],
      [300, GUID_NULL],
    ]);
  });
});

describe('coreaudio backend: volume, mute and channels', () => {
  it('sets them with the host context; the echo comes back spelled as the host spelled it', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
    const { id } = await sessionOf(backend, setup.engine, stream);
    await backend.setSessionVolume(id, 0.5, HOST_CONTEXT);
    await backend.setSessionMute(id, true, HOST_CONTEXT);
    await backend.setChannelVolume(id, 1, 0.25, HOST_CONTEXT);
    expect(setup.engine.getSession(id)).toMatchObject({ volume: 0.5, muted: true, channelVolumes: [1, 0.25] });
    expect(events).toEqual([
      { type: 'volume-changed', sessionId: id, volume: 0.5, muted: false, eventContext: HOST_CONTEXT },
      { type: 'volume-changed', sessionId: id, volume: 0.5, muted: true, eventContext: HOST_CONTEXT },
      { type: 'channel-volume-changed', sessionId: id, channelVolumes: [1, 0.25], changedChannel: 1, eventContext: HOST_CONTEXT },
    ]);
  });

  it('rejects bad commands with clear errors', async () => {
    const setup = world();
    const { backend } = await open(setup);
    const { id } = await sessionOf(backend, setup.engine, setup.play({ pid: 100, sessionGuid: GUID_A }));
    await expect(backend.setSessionVolume('sMissing', 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'not-found' });
    await expect(backend.setSessionVolume(id, 2, HOST_CONTEXT)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setSessionVolume(id, Number.NaN, HOST_CONTEXT)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setSessionVolume(id, 0.5, 'not-a-guid')).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setSessionMute(id, 1 as unknown as boolean, HOST_CONTEXT)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setChannelVolume(id, 2, 0.5, HOST_CONTEXT)).rejects.toThrow(/has 2 channels/);
    await expect(backend.setChannelVolume(id, 0.5, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('reports a session without ISimpleAudioVolume or IChannelAudioVolume as not supported', async () => {
    const setup = world();
    const { backend, warnings } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
    setup.system.missingInterfaces.set(setup.instanceOf(stream), new Set(['volume', 'channels']));
    const record = await sessionOf(backend, setup.engine, stream);
    expect(record.channelVolumes).toEqual([]);
    await expect(backend.setSessionVolume(record.id, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'not-supported' });
    await expect(backend.setChannelVolume(record.id, 0, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'not-supported' });
    expect(warnings).toEqual([]);
  });

  it('reads peaks of the sessions asked for; skips those without a meter', async () => {
    const setup = world();
    const { backend } = await open(setup);
    const playing = setup.play({ pid: 100, sessionGuid: GUID_A, start: true });
    const meterless = setup.play({ pid: 200, sessionGuid: GUID_B, start: true });
    setup.system.missingInterfaces.set(setup.instanceOf(meterless), new Set(['peak']));
    const a = await sessionOf(backend, setup.engine, playing);
    const b = await sessionOf(backend, setup.engine, meterless);
    const peaks = await backend.getPeaks([a.id, b.id, 'sMissing']);
    expect(Object.keys(peaks)).toEqual([a.id]);
    expect(peaks[a.id]).toBeGreaterThan(0);
  });
});

describe('coreaudio backend: disconnection (R21, R25)', () => {
  it('marks a session disconnected when a command meets AUDCLNT_E_DEVICE_INVALIDATED; only the command fails', async () => {
    const setup = world();
    const { backend, events, warnings } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
    const { id } = await sessionOf(backend, setup.engine, stream);
    setup.system.invalidatedSessions.add(setup.instanceOf(stream));
    await expect(backend.setSessionVolume(id, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'disconnected' });
    expect(events).toEqual([{ type: 'disconnected', sessionId: id, reason: 'device-removed' }]);
    await expect(backend.setSessionMute(id, true, HOST_CONTEXT)).rejects.toMatchObject({ code: 'disconnected' });
    expect(events).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('reports a session disconnected by notification, and lets it go when the device stops listing it', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
    const { id } = await sessionOf(backend, setup.engine, stream);
    setup.engine.disconnectSession(id, 'exclusive-mode-override');
    expect(events).toEqual([{ type: 'disconnected', sessionId: id, reason: 'exclusive-mode-override' }]);
    expect(await appSessions(backend, SPEAKERS)).toEqual([]);
    expect(events).toHaveLength(1);
  });

  it('reports the sessions of an invalidated device as disconnected, then drops them, without warnings', async () => {
    const setup = world();
    const { backend, events, warnings } = await open(setup);
    const { id } = await sessionOf(backend, setup.engine, setup.play({ pid: 100, sessionGuid: GUID_A }));
    setup.system.invalidatedDevices.add(SPEAKERS);
    expect(await backend.listSessions(SPEAKERS)).toEqual([]);
    expect(events.filter((event) => event.type === 'disconnected' && event.sessionId === id)).toEqual([
      { type: 'disconnected', sessionId: id, reason: 'device-removed' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('reports the sessions of a removed device disconnected, then the device removed', async () => {
    const setup = world();
    const { backend, events, warnings } = await open(setup);
    const call = setup.play({ pid: 200, sessionGuid: GUID_A, deviceId: HEADSET, start: true });
    const systemSounds = setup.engine.systemSoundsSessionId(HEADSET);
    await backend.listSessions(HEADSET);
    setup.engine.removeDevice(HEADSET);
    await settle();
    expect(events.filter((event) => event.type === 'disconnected' || event.type === 'device-removed')).toEqual([
      { type: 'disconnected', sessionId: systemSounds, reason: 'device-removed' },
      { type: 'disconnected', sessionId: call.sessionId, reason: 'device-removed' },
      { type: 'device-removed', deviceId: HEADSET },
    ]);
    await expect(backend.listSessions(HEADSET)).rejects.toMatchObject({ code: 'not-found' });
    expect(warnings).toEqual([]);
  });

  it('lets go of a device that went inactive unnoticed at the next listDevices', async () => {
    const setup = world();
    const { backend, events } = await open(setup);
    const { id } = await sessionOf(backend, setup.engine, setup.play({ pid: 100, sessionGuid: GUID_A, deviceId: HEADSET }));
    const before = setup.system.liveReferences();
    setup.system.deviceStates.set(HEADSET, 'disabled');
    expect((await backend.listDevices()).find((listed) => listed.id === HEADSET)).toMatchObject({ state: 'disabled', volume: null });
    expect(events).toContainEqual({ type: 'disconnected', sessionId: id, reason: 'device-removed' });
    expect(setup.system.liveReferences()).toBeLessThan(before);
  });

  it('drops the sessions of a device that is no longer active', async () => {
    const setup = world();
    const { backend } = await open(setup);
    setup.play({ pid: 100, sessionGuid: GUID_A, deviceId: HEADSET });
    expect(await appSessions(backend, HEADSET)).toHaveLength(1);
    setup.system.deviceStates.set(HEADSET, 'unplugged');
    expect(await backend.listSessions(HEADSET)).toEqual([]);
  });
});

describe('coreaudio backend: the audio service stopping and coming back', () => {
  it('reports the outage, lets go of what it held of the dead run, and follows the new run once with one registration', async () => {
    const setup = world();
    const { backend, events, warnings } = await open(setup);
    const changes: (string | null)[] = [];
    backend.onConnectionChange((disconnected) => changes.push(disconnected));
    const stream = setup.play({ pid: 100, sessionGuid: GUID_A, start: true });
    await backend.listSessions(SPEAKERS);
    events.length = 0;

    setup.system.stopService();
    for (let poll = 0; poll < 3; poll++) {
      const during = await backend.listSessions(SPEAKERS);
      expect(during.find((record) => record.id === stream.sessionId)?.disconnected).toBe('server-shutdown');
    }
    expect(changes).toEqual([SERVICE_STOPPED_MESSAGE]);
    const disconnects = events.filter((event) => event.type === 'disconnected');
    expect(disconnects).toHaveLength(2); // the player's and System Sounds'
    expect(disconnects).toContainEqual({ type: 'disconnected', sessionId: stream.sessionId, reason: 'server-shutdown' });
    await expect(backend.setSessionVolume(stream.sessionId, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'disconnected' });

    setup.system.startService();
    setup.system.calls.length = 0;
    for (let poll = 0; poll < 3; poll++) await backend.listSessions(SPEAKERS);
    expect(changes).toEqual([SERVICE_STOPPED_MESSAGE, null]);
    expect(setup.system.calls.filter((call) => call === 'RegisterSessionNotification')).toHaveLength(1);
    expect((await sessionOf(backend, setup.engine, stream)).disconnected).toBeNull();
    await backend.setSessionVolume(stream.sessionId, 0.5, HOST_CONTEXT);
    expect(setup.engine.getSession(stream.sessionId)?.volume).toBe(0.5);
    expect(warnings).toEqual([]);
    await backend.close();
    expect(setup.system.liveReferences()).toBe(0);
  });
});

describe('coreaudio backend: names and icons (R17..R19)', () => {
  async function named(spec: SimStreamSpec, prepare?: (setup: World) => void): Promise<SessionRecord> {
    const setup = world();
    prepare?.(setup);
    const { backend } = await open(setup);
    return sessionOf(backend, setup.engine, setup.play(spec));
  }

  it('uses the client name first', async () => {
    expect(await named({ pid: 100, sessionGuid: GUID_A, displayName: 'My Player' })).toMatchObject({
      displayName: 'My Player',
      displayNameSource: 'client',
    });
  });

  it('resolves an indirect client name ("@dll,-id"), and reads one that does not resolve as none', async () => {
    expect(await named({ pid: 300, sessionGuid: GUID_A, displayName: '@%SystemRoot%\\System32\\AudioSrv.Dll,-202' })).toMatchObject({
      displayName: 'System Sounds',
      displayNameSource: 'client',
    });
    expect(await named({ pid: 300, sessionGuid: GUID_A, displayName: '@%SystemRoot%\\x.dll,-5' })).toMatchObject({
      displayName: 'tool.exe',
      displayNameSource: 'executable',
    });
  });

  it('labels System Sounds as such, with its own icon (R19)', async () => {
    const setup = world();
    const { backend } = await open(setup);
    const [record] = (await backend.listSessions(SPEAKERS)).filter((listed) => listed.isSystemSounds);
    expect(record).toMatchObject({ displayName: SYSTEM_SOUNDS_LABEL, displayNameSource: 'system-sounds', isSystemSounds: true });
    expect(record?.icon).toMatch(/^data:image\/svg\+xml/);
  });

  it('falls back to the main window title, then FileDescription, then the file name (R18)', async () => {
    expect(await named({ pid: 100, sessionGuid: GUID_A })).toMatchObject({
      displayName: 'Player - song.mp3',
      displayNameSource: 'window-title',
      processName: 'player.exe',
    });
    expect(await named({ pid: 200, sessionGuid: GUID_A })).toMatchObject({ displayName: 'Chat App', displayNameSource: 'file-description' });
    expect(await named({ pid: 300, sessionGuid: GUID_A })).toMatchObject({ displayName: 'tool.exe', displayNameSource: 'executable' });
  });

  it("defect 9: names a packaged process (GetPackageFullName) after its package where GetPackagePathByFullName installed it, with its logo instead of the executable's icon", async () => {
    const installPath = mkdtempSync(join(tmpdir(), 'sndmix-package-'));
    try {
      const logo = encodePng(1, 1, Uint8Array.of(1, 2, 3, 255));
      mkdirSync(join(installPath, 'Assets'));
      writeFileSync(join(installPath, 'Assets', 'Square44x44Logo.scale-100.png'), logo);
      writeFileSync(
        join(installPath, 'AppxManifest.xml'),
        `<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Identity Name="Contoso.Radio"/>
          <Properties><DisplayName>Contoso Radio</DisplayName></Properties>
          <Applications><Application Id="App"><VisualElements DisplayName="Radio" Square44x44Logo="Assets\\Square44x44Logo.png"/></Application></Applications></Package>`,
      );
      const setup = world();
      setup.system.packagedProcesses.set(100, { packageFullName: 'Contoso.Radio_1.0.0.0_x64__abcdefghjkmnp', appUserModelId: 'Contoso.Radio_abcdefghjkmnp!App', installPath });
      const { backend } = await open(setup);
      const stream = setup.play({ pid: 100, sessionGuid: GUID_A });
      for (let poll = 0; poll < 2; poll++) {
        expect(await sessionOf(backend, setup.engine, stream)).toMatchObject({
          displayName: 'Radio',
          displayNameSource: 'package',
          icon: `data:image/png;base64,${logo.toString('base64')}`,
          processName: 'player.exe',
        });
      }
      expect(setup.system.calls.filter((call) => call === 'renderIcon C:\\Apps\\player.exe')).toEqual([]);
    } finally {
      rmSync(installPath, { recursive: true, force: true });
    }
  });

  it('names a process it may not look into after its pid, and warns once (R18)', async () => {
    const setup = world();
    setup.system.unreadableProcesses.add(300);
    const { backend, warnings } = await open(setup);
    const stream = setup.play({ pid: 300, sessionGuid: GUID_A });
    for (let poll = 0; poll < 3; poll++) {
      expect(await sessionOf(backend, setup.engine, stream)).toMatchObject({ displayName: 'Process 300', displayNameSource: 'generic', processName: null });
    }
    expect(warnings).toEqual([expect.stringContaining('reading process 300 failed')]);
  });

  it('gives a cross-process session without a client name a generic label and no icon (R18)', async () => {
    expect(await named({ pid: 100, sessionGuid: GUID_B, crossProcess: true })).toMatchObject({
      displayName: 'Shared audio session aaaaaaaa',
      displayNameSource: 'generic',
      icon: null,
    });
  });

  it('where the session reads are stubs (Wine), falls back without warnings and stops calling them', async () => {
    const setup = world();
    setup.system.notImplemented.add('displayName').add('iconPath').add('groupingParam').add('sessionIdentifier').add('sessionInstanceIdentifier');
    const { backend, warnings } = await open(setup);
    setup.play({ pid: 200, sessionGuid: GUID_A, displayName: 'ignored' });
    for (let poll = 0; poll < 3; poll++) {
      // Without GetSessionIdentifier the GUID of an enumerated session is unknown: GUID_NULL.
      expect(await appSessions(backend, SPEAKERS)).toMatchObject([{ sessionGuid: GUID_NULL, displayName: 'Chat App', groupingParam: '' }]);
    }
    expect(setup.system.calls.filter((call) => call === 'IAudioSessionControl2.displayName')).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it("renders the client's icon, else the executable's; caches renders", async () => {
    expect((await named({ pid: 100, sessionGuid: GUID_A })).icon).toBe(ICON);
    const setup = world();
    const given = 'data:image/png;base64,R0lWRU4=';
    const { backend } = await open(setup);
    const withIcon = setup.play({ pid: 100, sessionGuid: GUID_A, iconPath: given });
    setup.play({ pid: 100, sessionGuid: GUID_B, iconPath: given });
    for (let poll = 0; poll < 3; poll++) expect((await sessionOf(backend, setup.engine, withIcon)).icon).toBe(given);
    expect(setup.system.calls.filter((call) => call === `renderIcon ${given}`)).toHaveLength(1);
  });
});

describe('coreaudio backend: reference counting', () => {
  it('releases every control and registration at close, after polls and events', async () => {
    const setup = world();
    const { backend } = await open(setup);
    setup.play({ pid: 100, sessionGuid: GUID_A });
    setup.play({ pid: 200 });
    setup.play({ pid: 100, sessionGuid: GUID_A, deviceId: MIC });
    for (let poll = 0; poll < 3; poll++) {
      for (const device of await backend.listDevices()) await backend.listSessions(device.id);
    }
    const running = setup.system.liveReferences();
    setup.play({ pid: 300, sessionGuid: GUID_B });
    await settle();
    for (const device of await backend.listDevices()) await backend.listSessions(device.id);
    expect(setup.system.liveReferences()).toBe(running + 2); // its control and its notification sink
    await backend.close();
    expect(setup.system.liveReferences()).toBe(0);
    await expect(backend.listDevices()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
