import { describe, expect, it } from 'vitest';
import { GUID_NULL } from '../com/guid';
import type { BackendEvent, SessionRecord } from '../types';
import { BackendError } from '../types';
import { createCoreAudioBackend, type CoreAudioBackend } from './backend';
import { PropertyKeys } from './constants';
import { SYSTEM_SOUNDS_LABEL } from '../windows-rules/display-names';
import { sessionIdFor as sessionIdOf } from '../windows-rules/session-identity';
import { FakeAudioSystem, type FakeSession } from './testing/fake-system';

const GUID_A = '{11111111-2222-3333-4444-555555555555}';
const GUID_B = '{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}';
/** The engine host spells its context in lower case: echoes must come back spelled the same. */
const HOST_CONTEXT = '{0f0f0f0f-1111-2222-3333-444444444444}';
const OTHER_CONTEXT = '{12345678-9ABC-DEF0-1234-56789ABCDEF0}';
const SPEAKERS = 'speakers';
const HEADSET = 'headset';
const MIC = 'microphone';
const ICON = 'data:image/png;base64,AAAA';

function world() {
  const system = new FakeAudioSystem();
  system.addDevice(SPEAKERS, 'render', { name: 'Speakers (Realtek)' });
  system.addDevice(HEADSET, 'render', { name: 'Headset' });
  system.addDevice(MIC, 'capture', { name: 'Microphone' });
  for (const role of ['console', 'multimedia'] as const) system.setDefault('render', role, SPEAKERS);
  system.setDefault('render', 'communications', HEADSET);
  for (const role of ['console', 'multimedia', 'communications'] as const) system.setDefault('capture', role, MIC);
  system.processes.set(100, {
    executablePath: 'C:\\Apps\\player.exe',
    windowTitle: 'Player - song.mp3',
    fileDescription: 'Music Player',
  });
  system.processes.set(200, { executablePath: 'C:\\Apps\\chat.exe', fileDescription: 'Chat App' });
  system.processes.set(300, { executablePath: 'C:\\Apps\\tool.exe' });
  system.icons.set('C:\\Apps\\player.exe', ICON);
  return system;
}

async function open(system: FakeAudioSystem, pollIntervalMs: number | null = 1000) {
  const warnings: string[] = [];
  const backend = await createCoreAudioBackend({ system, pollIntervalMs, onWarning: (message) => warnings.push(message) });
  const events: BackendEvent[] = [];
  backend.subscribe((event) => events.push(event));
  return { backend, events, warnings };
}

function device(system: FakeAudioSystem, id: string) {
  const found = system.devices.get(id);
  if (!found) throw new Error(`no fake device ${id}`);
  return found;
}

/** Lets handlers the backend started (async session adoption) finish. */
const settle = () => new Promise((done) => setTimeout(done, 0));

async function sessionOf(backend: CoreAudioBackend, session: FakeSession): Promise<SessionRecord> {
  const found = (await backend.listSessions(session.device.info.id)).find(
    (record) => record.sessionGuid === session.guid && record.pid === session.pid,
  );
  if (!found) throw new Error(`session ${session.guid} of pid ${session.pid} not listed`);
  return found;
}

describe('coreaudio backend: opening', () => {
  it('is unavailable off Windows without a system to talk to', async () => {
    const rejection = createCoreAudioBackend({ platform: 'linux' });
    await expect(rejection).rejects.toBeInstanceOf(BackendError);
    await expect(rejection).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('rejects a nonsense poll interval', async () => {
    await expect(createCoreAudioBackend({ system: world(), pollIntervalMs: -5 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });

  it('reports the poll interval it was given (default 2 s; null for events only)', async () => {
    expect((await createCoreAudioBackend({ system: world() })).pollIntervalMs).toBe(2000);
    expect((await open(world(), null)).backend.pollIntervalMs).toBeNull();
  });

  it('probes capabilities: meters and settable device volume/mute', async () => {
    const { backend } = await open(world());
    expect(backend.capabilities).toEqual({
      peakMeters: true,
      channelVolumes: true,
      icons: true,
      deviceVolume: true,
      deviceMute: true,
      ducking: true,
    });
  });

  it('turns stubs (E_NOTIMPL) and a missing meter into "not supported" at start, without changing anything', async () => {
    const system = world();
    device(system, SPEAKERS).hasMeter = false;
    system.notImplemented.add('SetMasterVolumeLevelScalar').add('SetMute(endpoint)');
    const { backend } = await open(system);
    expect(backend.capabilities).toMatchObject({ peakMeters: false, deviceVolume: false, deviceMute: false });
    expect(device(system, SPEAKERS).volume).toBe(0.5);
  });
});

describe('coreaudio backend: devices', () => {
  it('lists render and capture endpoints with names, states, default roles and endpoint volume', async () => {
    const system = world();
    system.addDevice('old', 'render', { name: 'Old USB', state: 'notpresent' });
    const { backend } = await open(system);
    expect(await backend.listDevices()).toEqual([
      {
        id: SPEAKERS,
        name: 'Speakers (Realtek)',
        flow: 'render',
        state: 'active',
        defaultFor: ['console', 'multimedia'],
        volume: 0.5,
        muted: false,
      },
      {
        id: HEADSET,
        name: 'Headset',
        flow: 'render',
        state: 'active',
        defaultFor: ['communications'],
        volume: 0.5,
        muted: false,
      },
      {
        id: MIC,
        name: 'Microphone',
        flow: 'capture',
        state: 'active',
        defaultFor: ['console', 'multimedia', 'communications'],
        volume: 0.5,
        muted: false,
      },
      { id: 'old', name: 'Old USB', flow: 'render', state: 'notpresent', defaultFor: [], volume: null, muted: null },
    ]);
  });

  it('sets the endpoint volume and mute, and reports the endpoint notification as device-changed', async () => {
    const system = world();
    const { backend, events } = await open(system);
    await backend.listDevices();
    await backend.setDeviceVolume(SPEAKERS, 0.25);
    await backend.setDeviceMute(SPEAKERS, true);
    expect(system.devices.get(SPEAKERS)).toMatchObject({ volume: 0.25, muted: true });
    const changed = events.filter((event) => event.type === 'device-changed');
    expect(changed.map((event) => event.type === 'device-changed' && [event.device.volume, event.device.muted])).toEqual([
      [0.25, false],
      [0.25, true],
    ]);
  });

  it('makes device volume "not supported" on the first E_NOTIMPL and never calls again', async () => {
    const system = world();
    const { backend } = await open(system);
    system.notImplemented.add('SetMasterVolumeLevelScalar');
    await expect(backend.setDeviceVolume(SPEAKERS, 0.3)).rejects.toMatchObject({ code: 'not-supported' });
    expect(backend.capabilities.deviceVolume).toBe(false);
    const calls = system.calls.filter((call) => call === 'SetMasterVolumeLevelScalar').length;
    await expect(backend.setDeviceVolume(SPEAKERS, 0.3)).rejects.toMatchObject({ code: 'not-supported' });
    expect(system.calls.filter((call) => call === 'SetMasterVolumeLevelScalar').length).toBe(calls);
  });

  it('rejects bad device commands clearly', async () => {
    const { backend } = await open(world());
    await expect(backend.setDeviceVolume('nope', 0.5)).rejects.toMatchObject({ code: 'not-found' });
    await expect(backend.setDeviceVolume(SPEAKERS, 1.5)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setDeviceMute(SPEAKERS, 'yes' as unknown as boolean)).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(backend.listSessions('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('turns IMMNotificationClient calls into device events', async () => {
    const system = world();
    const { backend, events } = await open(system);
    await backend.listDevices();
    system.addDevice('usb', 'render', { name: 'USB Speakers' });
    // Handled in the order they came, though adding a device takes longer than the rest.
    system.endpointEvent((watch) => watch.deviceAdded('usb'));
    system.endpointEvent((watch) => watch.defaultChanged('render', 'console', 'usb'));
    await settle();
    device(system, HEADSET).info.name = 'Headset (renamed)';
    system.endpointEvent((watch) => watch.propertyChanged(HEADSET, PropertyKeys.PKEY_Device_FriendlyName));
    system.endpointEvent((watch) => watch.propertyChanged(HEADSET, PropertyKeys.PKEY_AudioEndpoint_FormFactor));
    await settle();
    device(system, HEADSET).info.state = 'unplugged';
    system.endpointEvent((watch) => watch.stateChanged(HEADSET, 'unplugged'));
    await settle();
    system.devices.delete('usb');
    system.endpointEvent((watch) => watch.deviceRemoved('usb'));
    await settle();
    expect(events.map((event) => event.type)).toEqual([
      'device-added',
      'default-device-changed',
      'device-changed',
      'device-changed',
      'device-removed',
    ]);
    expect(events[0]).toMatchObject({ device: { id: 'usb', name: 'USB Speakers', flow: 'render' } });
    expect(events[1]).toEqual({ type: 'default-device-changed', flow: 'render', role: 'console', deviceId: 'usb' });
    expect(events[2]).toMatchObject({ device: { id: HEADSET, name: 'Headset (renamed)' } });
    expect(events[3]).toMatchObject({ device: { id: HEADSET, state: 'unplugged', volume: null } });
  });
});

describe('coreaudio backend: sessions and reconcile', () => {
  it('registers for new sessions before enumerating, so notifications start (R22)', async () => {
    const system = world();
    const { backend, events } = await open(system);
    system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    expect(events).toEqual([]);
    await backend.listSessions(SPEAKERS);
    const order = system.calls.filter((call) => call === 'RegisterSessionNotification' || call === 'GetSessionEnumerator');
    expect(order.slice(0, 2)).toEqual(['RegisterSessionNotification', 'GetSessionEnumerator']);
    system.addSession(SPEAKERS, { guid: GUID_B, pid: 200 });
    await settle();
    expect(events.map((event) => event.type)).toEqual(['session-created']);
    expect(events[0]).toMatchObject({ session: { sessionGuid: GUID_B, pid: 200, displayName: 'Chat App' } });
  });

  it('finds sessions whose notification was missed, and drops those gone from the device', async () => {
    const system = world();
    const { backend } = await open(system);
    const first = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    expect((await backend.listSessions(SPEAKERS)).map((record) => record.pid)).toEqual([100]);
    const missed = system.addSession(SPEAKERS, { guid: GUID_A, pid: 200 }, false);
    expect((await backend.listSessions(SPEAKERS)).map((record) => record.pid)).toEqual([100, 200]);
    system.removeSession(first);
    expect((await backend.listSessions(SPEAKERS)).map((record) => record.pid)).toEqual([missed.pid]);
    expect(backend.liveReferences()).toBe(system.liveReferences());
  });

  it('keeps expired sessions in the list, as expired', async () => {
    const system = world();
    const { backend } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, state: 'active' });
    expect((await sessionOf(backend, session)).state).toBe('active');
    session.state = 'expired';
    expect((await sessionOf(backend, session)).state).toBe('expired');
  });

  it('gives a session an id from its R1 identity: stable across runs, distinct per pid, device and cross-process', async () => {
    const system = world();
    const a = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    system.addSession(SPEAKERS, { guid: GUID_A, pid: 200 });
    system.addSession(SPEAKERS, { guid: GUID_A, crossProcess: true });
    system.addSession(HEADSET, { guid: GUID_A, pid: 100 });
    const first = await open(system);
    const ids = [...(await first.backend.listSessions(SPEAKERS)), ...(await first.backend.listSessions(HEADSET))].map(
      (record) => record.id,
    );
    expect(new Set(ids).size).toBe(4);
    const again = await open(system);
    expect((await sessionOf(again.backend, a)).id).toBe(ids[0]);
    expect(ids[0]).toBe(sessionIdOf({ sessionGuid: GUID_A, crossProcess: false, pid: 100, deviceId: SPEAKERS, flow: 'render' }));
  });

  it('reads the session GUID out of the session identifier (R1) and the owner from GetProcessId', async () => {
    const system = world();
    const cross = system.addSession(SPEAKERS, { guid: GUID_B, crossProcess: true });
    const { backend } = await open(system);
    const record = await sessionOf(backend, cross);
    expect(record).toMatchObject({ sessionGuid: GUID_B, crossProcess: true, pid: 0, processName: null });
    expect(record.sessionIdentifier).toContain(`%b${GUID_B}`);
    expect(record.sessionInstanceIdentifier).toContain('|1%b0');
  });

  it('where enumeration is not implemented (Wine), lists the sessions tracked by GUID', async () => {
    const system = world();
    system.notImplemented.add('GetSessionEnumerator').add('RegisterSessionNotification').add('RegisterDuckNotification');
    const { backend, events, warnings } = await open(system);
    expect(await backend.listSessions(SPEAKERS)).toEqual([]);
    const tracked = await backend.trackSession(SPEAKERS, GUID_A.toLowerCase());
    expect(tracked).toMatchObject({ sessionGuid: GUID_A, pid: 4242, crossProcess: false });
    expect(events.map((event) => event.type)).toEqual(['session-created']);
    expect((await backend.listSessions(SPEAKERS)).map((record) => record.id)).toEqual([tracked.id]);
    expect((await backend.trackSession(SPEAKERS, GUID_A)).id).toBe(tracked.id);
    expect(system.calls.filter((call) => call === 'GetSessionEnumerator')).toHaveLength(1);
    expect(backend.capabilities.ducking).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('re-reads drifted values on every list (missed volume, state and name notifications)', async () => {
    const system = world();
    const { backend } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    await backend.listSessions(SPEAKERS);
    Object.assign(session, { volume: 0.2, muted: true, state: 'active', displayName: 'Renamed', channels: [0.5, 0.25] });
    expect(await sessionOf(backend, session)).toMatchObject({
      volume: 0.2,
      muted: true,
      state: 'active',
      displayName: 'Renamed',
      displayNameSource: 'client',
      channelVolumes: [0.5, 0.25],
    });
  });

  it('turns each IAudioSessionEvents notification into a backend event', async () => {
    const system = world();
    system.icons.set('C:\\Icons\\app.ico', 'data:image/png;base64,ICON');
    const { backend, events } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    const { id } = await sessionOf(backend, session);
    session.notify((watch) => watch.displayNameChanged('New name', OTHER_CONTEXT));
    session.notify((watch) => watch.iconPathChanged('C:\\Icons\\app.ico', OTHER_CONTEXT));
    session.notify((watch) => watch.volumeChanged(0.4, true, OTHER_CONTEXT));
    session.notify((watch) => watch.channelVolumeChanged([0.1, 0.2], -1, OTHER_CONTEXT));
    session.notify((watch) => watch.groupingParamChanged(GUID_B, OTHER_CONTEXT));
    session.notify((watch) => watch.stateChanged('active'));
    session.notify((watch) => watch.disconnected(3));
    expect(events).toEqual([
      { type: 'display-name-changed', sessionId: id, displayName: 'New name', displayNameSource: 'client' },
      { type: 'icon-changed', sessionId: id, iconPath: 'C:\\Icons\\app.ico', icon: 'data:image/png;base64,ICON' },
      { type: 'volume-changed', sessionId: id, volume: 0.4, muted: true, eventContext: OTHER_CONTEXT },
      {
        type: 'channel-volume-changed',
        sessionId: id,
        channelVolumes: [0.1, 0.2],
        changedChannel: -1,
        eventContext: OTHER_CONTEXT,
      },
      { type: 'grouping-changed', sessionId: id, groupingParam: GUID_B, eventContext: OTHER_CONTEXT },
      { type: 'state-changed', sessionId: id, state: 'active', terminated: false },
      { type: 'disconnected', sessionId: id, reason: 'session-logoff' },
    ]);
    expect(await sessionOf(backend, session)).toMatchObject({
      displayName: 'New name',
      volume: 0.4,
      groupingParam: GUID_B,
      disconnected: 'session-logoff',
    });
  });

  it('reads a volume back when the notified one is not a level (a float lost in the callback)', async () => {
    const system = world();
    const { backend, events } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, volume: 0.6 });
    await backend.listSessions(SPEAKERS);
    session.notify((watch) => watch.volumeChanged(Number.NaN, false, OTHER_CONTEXT));
    expect(events).toMatchObject([{ type: 'volume-changed', volume: 0.6 }]);
  });

  it('reports ducking with our session id when the instance identifier is known', async () => {
    const system = world();
    const { backend, events } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    const { id } = await sessionOf(backend, session);
    system.duck(SPEAKERS, session.instanceIdentifier, 1);
    system.duck(SPEAKERS, 'unknown-instance', null);
    expect(events).toEqual([
      { type: 'duck', deviceId: SPEAKERS, sessionId: id, communicationSessions: 1 },
      { type: 'unduck', deviceId: SPEAKERS, sessionId: 'unknown-instance' },
    ]);
  });
});

describe('coreaudio backend: grouping (R20)', () => {
  it("reports each session's grouping parameter: the key a mixer merges an app's instances by", async () => {
    const system = world();
    const { backend } = await open(system);
    system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, groupingParam: GUID_B });
    system.addSession(SPEAKERS, { guid: GUID_A, pid: 200, groupingParam: GUID_B.toLowerCase() });
    system.addSession(SPEAKERS, { guid: GUID_A, pid: 300 });
    const listed = await backend.listSessions(SPEAKERS);
    expect(listed.map((record) => [record.pid, record.groupingParam])).toEqual([
      [100, GUID_B],
      [200, GUID_B],
      [300, GUID_NULL],
    ]);
  });
});

describe('coreaudio backend: volume, mute and channels', () => {
  it('sets them with the host context; the echo comes back spelled as the host spelled it', async () => {
    const system = world();
    const { backend, events } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, channels: [1, 1] });
    const { id } = await sessionOf(backend, session);
    await backend.setSessionVolume(id, 0.5, HOST_CONTEXT);
    await backend.setSessionMute(id, true, HOST_CONTEXT);
    await backend.setChannelVolume(id, 1, 0.25, HOST_CONTEXT);
    expect(session).toMatchObject({ volume: 0.5, muted: true, channels: [1, 0.25] });
    expect(events).toEqual([
      { type: 'volume-changed', sessionId: id, volume: 0.5, muted: false, eventContext: HOST_CONTEXT },
      { type: 'volume-changed', sessionId: id, volume: 0.5, muted: true, eventContext: HOST_CONTEXT },
      { type: 'channel-volume-changed', sessionId: id, channelVolumes: [1, 0.25], changedChannel: 1, eventContext: HOST_CONTEXT },
    ]);
  });

  it('rejects bad commands with clear errors', async () => {
    const system = world();
    const { backend } = await open(system);
    const { id } = await sessionOf(backend, system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, channels: [1, 1] }));
    await expect(backend.setSessionVolume('sMissing', 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'not-found' });
    await expect(backend.setSessionVolume(id, 2, HOST_CONTEXT)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setSessionVolume(id, Number.NaN, HOST_CONTEXT)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setSessionVolume(id, 0.5, 'not-a-guid')).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setSessionMute(id, 1 as unknown as boolean, HOST_CONTEXT)).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(backend.setChannelVolume(id, 2, 0.5, HOST_CONTEXT)).rejects.toThrow(/has 2 channels/);
    await expect(backend.setChannelVolume(id, 0.5, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('reports a session without ISimpleAudioVolume or IChannelAudioVolume as not supported', async () => {
    const system = world();
    const { backend, warnings } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, noVolume: true, noChannels: true });
    const record = await sessionOf(backend, session);
    expect(record.channelVolumes).toEqual([]);
    await expect(backend.setSessionVolume(record.id, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'not-supported' });
    await expect(backend.setChannelVolume(record.id, 0, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'not-supported' });
    expect(warnings).toEqual([]);
  });

  it('reads peaks of the sessions asked for; skips those without a meter', async () => {
    const system = world();
    const { backend } = await open(system);
    const a = await sessionOf(backend, system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, peak: 0.7 }));
    const b = await sessionOf(backend, system.addSession(SPEAKERS, { guid: GUID_B, pid: 200, noMeter: true }));
    expect(await backend.getPeaks([a.id, b.id, 'sMissing'])).toEqual({ [a.id]: 0.7 });
  });
});

describe('coreaudio backend: disconnection (R21, R25)', () => {
  it('marks a session disconnected when a command meets AUDCLNT_E_DEVICE_INVALIDATED; only the command fails', async () => {
    const system = world();
    const { backend, events, warnings } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    const { id } = await sessionOf(backend, session);
    session.invalidated = true;
    await expect(backend.setSessionVolume(id, 0.5, HOST_CONTEXT)).rejects.toMatchObject({ code: 'disconnected' });
    expect(events).toEqual([{ type: 'disconnected', sessionId: id, reason: 'device-removed' }]);
    await expect(backend.setSessionMute(id, true, HOST_CONTEXT)).rejects.toMatchObject({ code: 'disconnected' });
    expect(events).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('keeps a session disconnected by notification listed, marked, until the device stops listing it', async () => {
    const system = world();
    const { backend } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    await backend.listSessions(SPEAKERS);
    session.notify((watch) => watch.disconnected(5));
    expect((await sessionOf(backend, session)).disconnected).toBe('exclusive-mode-override');
    system.removeSession(session);
    expect(await backend.listSessions(SPEAKERS)).toEqual([]);
  });

  it('reports the sessions of an invalidated device as disconnected, then drops them, without warnings', async () => {
    const system = world();
    const { backend, events, warnings } = await open(system);
    const { id } = await sessionOf(backend, system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 }));
    device(system, SPEAKERS).invalidated = true;
    expect(await backend.listSessions(SPEAKERS)).toEqual([]);
    expect(events).toEqual([{ type: 'disconnected', sessionId: id, reason: 'device-removed' }]);
    expect(warnings).toEqual([]);
  });

  it('reports a session whose control went invalid as disconnected when a poll no longer finds it', async () => {
    const system = world();
    const { backend, events, warnings } = await open(system);
    const session = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    const { id } = await sessionOf(backend, session);
    session.invalidated = true;
    expect(await backend.listSessions(SPEAKERS)).toEqual([]);
    expect(events).toEqual([{ type: 'disconnected', sessionId: id, reason: 'device-removed' }]);
    expect(warnings).toEqual([]);
  });

  it('lets go of a device that went inactive unnoticed at the next listDevices', async () => {
    const system = world();
    const { backend, events } = await open(system);
    const { id } = await sessionOf(backend, system.addSession(HEADSET, { guid: GUID_A, pid: 100 }));
    const before = system.liveReferences();
    device(system, HEADSET).info.state = 'disabled';
    expect((await backend.listDevices()).find((listed) => listed.id === HEADSET)).toMatchObject({
      state: 'disabled',
      volume: null,
    });
    expect(events).toEqual([{ type: 'disconnected', sessionId: id, reason: 'device-removed' }]);
    expect(system.liveReferences()).toBeLessThan(before);
  });

  it('drops the sessions of a device that is gone or no longer active', async () => {
    const system = world();
    const { backend } = await open(system);
    system.addSession(HEADSET, { guid: GUID_A, pid: 100 });
    expect(await backend.listSessions(HEADSET)).toHaveLength(1);
    device(system, HEADSET).info.state = 'unplugged';
    expect(await backend.listSessions(HEADSET)).toEqual([]);
  });
});

describe('coreaudio backend: names and icons (R17..R19)', () => {
  async function named(spec: Parameters<FakeAudioSystem['addSession']>[1], prepare?: (system: FakeAudioSystem) => void) {
    const system = world();
    prepare?.(system);
    const { backend } = await open(system);
    return sessionOf(backend, system.addSession(SPEAKERS, spec));
  }

  it('uses the client name first', async () => {
    expect(await named({ guid: GUID_A, pid: 100, displayName: 'My Player' })).toMatchObject({
      displayName: 'My Player',
      displayNameSource: 'client',
    });
  });

  it('resolves an indirect client name ("@dll,-id")', async () => {
    const record = await named({ guid: GUID_A, pid: 100, displayName: '@%SystemRoot%\\x.dll,-5' }, (system) =>
      system.indirectStrings.set('@%SystemRoot%\\x.dll,-5', 'Resolved'),
    );
    expect(record).toMatchObject({ displayName: 'Resolved', displayNameSource: 'client' });
  });

  it('labels System Sounds as such (R19)', async () => {
    const record = await named({
      guid: GUID_B,
      crossProcess: true,
      systemSounds: true,
      displayName: '@%SystemRoot%\\System32\\AudioSrv.Dll,-202',
    });
    expect(record).toMatchObject({ displayName: SYSTEM_SOUNDS_LABEL, displayNameSource: 'system-sounds', isSystemSounds: true });
  });

  it('falls back to the main window title, then FileDescription, then the file name (R18)', async () => {
    expect(await named({ guid: GUID_A, pid: 100 })).toMatchObject({
      displayName: 'Player - song.mp3',
      displayNameSource: 'window-title',
      processName: 'player.exe',
    });
    expect(await named({ guid: GUID_A, pid: 200 })).toMatchObject({
      displayName: 'Chat App',
      displayNameSource: 'file-description',
    });
    expect(await named({ guid: GUID_A, pid: 300 })).toMatchObject({ displayName: 'tool.exe', displayNameSource: 'executable' });
    expect(await named({ guid: GUID_A, pid: 999 })).toMatchObject({ displayName: 'Process 999', displayNameSource: 'generic' });
  });

  it('gives a cross-process session without a client name a generic label (R18)', async () => {
    expect(await named({ guid: GUID_B, crossProcess: true })).toMatchObject({
      displayName: 'Shared audio session aaaaaaaa',
      displayNameSource: 'generic',
    });
  });

  it('where GetDisplayName is a stub (Wine), falls back without warnings and stops calling it', async () => {
    const system = world();
    system.notImplemented
      .add('GetDisplayName')
      .add('GetIconPath')
      .add('GetGroupingParam')
      .add('GetSessionIdentifier')
      .add('GetSessionInstanceIdentifier');
    const { backend, warnings } = await open(system);
    system.addSession(SPEAKERS, { guid: GUID_A, pid: 200, displayName: 'ignored' });
    for (let poll = 0; poll < 3; poll++) {
      // Without GetSessionIdentifier the GUID of an enumerated session is unknown: GUID_NULL.
      expect(await backend.listSessions(SPEAKERS)).toMatchObject([
        { sessionGuid: GUID_NULL, displayName: 'Chat App', groupingParam: '' },
      ]);
    }
    expect(system.calls.filter((call) => call === 'GetDisplayName')).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it("renders the client's icon, else the executable's; caches renders", async () => {
    const record = await named({ guid: GUID_A, pid: 100 });
    expect(record.icon).toBe(ICON);
    const system = world();
    system.icons.set('C:\\Icons\\given.ico', 'data:image/png;base64,GIVEN');
    const { backend } = await open(system);
    const withIcon = system.addSession(SPEAKERS, { guid: GUID_A, pid: 100, iconPath: 'C:\\Icons\\given.ico' });
    system.addSession(SPEAKERS, { guid: GUID_B, pid: 100, iconPath: 'C:\\Icons\\given.ico' });
    for (let poll = 0; poll < 3; poll++) expect((await sessionOf(backend, withIcon)).icon).toBe('data:image/png;base64,GIVEN');
    expect(system.calls.filter((call) => call === 'renderIcon C:\\Icons\\given.ico')).toHaveLength(1);
  });

  it('shows no executable icon for a cross-process session', async () => {
    expect((await named({ guid: GUID_B, crossProcess: true })).icon).toBeNull();
  });
});

describe('coreaudio backend: reference counting', () => {
  it('releases every control and registration at close, after polls and events', async () => {
    const system = world();
    const { backend } = await open(system);
    system.addSession(SPEAKERS, { guid: GUID_A, pid: 100 });
    system.addSession(SPEAKERS, { guid: GUID_NULL, pid: 200 });
    system.addSession(MIC, { guid: GUID_A, pid: 100 });
    for (let poll = 0; poll < 3; poll++) {
      for (const device of await backend.listDevices()) await backend.listSessions(device.id);
    }
    const running = system.liveReferences();
    system.addSession(SPEAKERS, { guid: GUID_B, pid: 300 });
    await settle();
    for (const device of await backend.listDevices()) await backend.listSessions(device.id);
    expect(system.liveReferences()).toBe(running + 2);
    await backend.close();
    expect(system.liveReferences()).toBe(0);
    expect(system.closed).toBe(true);
    await expect(backend.listDevices()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
