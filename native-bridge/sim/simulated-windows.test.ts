import { describe, expect, it } from 'vitest';
import type { BackendEvent } from '../types';
import { BackendError } from '../types';
import { GUID_NULL } from '../com/guid';
import { sessionIdFor } from '../windows-rules/session-identity';
import type { SimBackendOptions } from './simulated-windows';
import { createSimBackend } from './simulated-windows';
import type { SimEngine } from './engine';
import { DEVICES, EXPIRE_MS, GUID_A, MIXER_CONTEXT, backendWorld, settle, startApp, temporaryDirs } from './test-helpers';

const tempDir = temporaryDirs('sndmix-sim-backend-');

/** Speakers at 80 %, a headset for communications, a mono microphone. */
function addDesk(engine: SimEngine): void {
  engine.addDevice({ id: DEVICES.speakers, name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia'], volume: 0.8 });
  engine.addDevice({ id: DEVICES.headset, name: 'Headset', flow: 'render', defaultFor: ['communications'] });
  engine.addDevice({ id: DEVICES.microphone, name: 'Microphone', flow: 'capture', channelCount: 1 });
}

const simBackend = (options: Partial<SimBackendOptions> = {}) => backendWorld(options, addDesk);

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof BackendError)) throw new Error(`expected a BackendError, got ${String(error)}`);
  return error;
}

describe('createSimBackend', () => {
  it('is the sim backend, with every capability and no poll', async () => {
    const { backend } = await simBackend();
    expect(backend.name).toBe('sim');
    expect(Object.values(backend.capabilities).every(Boolean)).toBe(true);
    expect(backend.pollIntervalMs).toBeNull();
    expect(backend.demo).toBeNull();
    await expect(createSimBackend({ stateDir: null, scenario: 'nope' as 'demo', live: false })).rejects.toThrow(BackendError);
  });

  it('lists devices as DeviceRecords', async () => {
    const { backend } = await simBackend();
    const volumeRangeDb = { minDb: -65.25, maxDb: 0, stepDb: 0.03125, curve: 'linear-db' };
    expect(await backend.listDevices()).toEqual([
      { id: DEVICES.speakers, name: 'Speakers', flow: 'render', state: 'active', defaultFor: ['console', 'multimedia'], volume: 0.8, muted: false, volumeRangeDb },
      { id: DEVICES.headset, name: 'Headset', flow: 'render', state: 'active', defaultFor: ['communications'], volume: 1, muted: false, volumeRangeDb },
      {
        id: DEVICES.microphone,
        name: 'Microphone',
        flow: 'capture',
        state: 'active',
        defaultFor: ['console', 'multimedia', 'communications'],
        volume: 1,
        muted: false,
        volumeRangeDb,
      },
    ]);
  });

  it('lists a session as a complete SessionRecord with an id derived from its identity', async () => {
    const { backend, engine } = await simBackend();
    engine.startProcess({ pid: 100, exePath: 'C:\\Apps\\player.exe', windowTitle: 'Player', icon: 'data:image/png;base64,AA' });
    const stream = engine.openStream({ pid: 100, sessionGuid: GUID_A.toLowerCase(), start: true });
    const engineView = engine.getSession(stream.sessionId);
    const records = await backend.listSessions(DEVICES.speakers);
    expect(records.find((record) => record.id === stream.sessionId)).toEqual({
      id: sessionIdFor({ sessionGuid: GUID_A, crossProcess: false, pid: 100, deviceId: DEVICES.speakers, flow: 'render' }),
      sessionGuid: GUID_A,
      crossProcess: false,
      pid: 100,
      processName: 'player.exe',
      deviceId: DEVICES.speakers,
      flow: 'render',
      state: 'active',
      displayName: 'Player',
      displayNameSource: 'window-title',
      iconPath: '',
      icon: 'data:image/png;base64,AA',
      volume: 1,
      muted: false,
      channelVolumes: [1, 1],
      isSystemSounds: false,
      groupingParam: GUID_NULL,
      sessionIdentifier: engineView?.sessionIdentifier,
      sessionInstanceIdentifier: engineView?.sessionInstanceIdentifier,
      disconnected: null,
      mediaTitles: [],
      streamCount: null,
    });
  });

  it('gives the same identity the same id in another run', async () => {
    const ids = async () => {
      const { backend, engine } = await simBackend();
      startApp(engine, 100);
      engine.openStream({ pid: 100, sessionGuid: GUID_A });
      const listed = (await backend.listSessions(DEVICES.speakers)).map((record) => record.id);
      await backend.close();
      return listed;
    };
    expect(await ids()).toEqual(await ids());
  });

  it('sends a device session events only after that device was listed (R22)', async () => {
    const { backend, engine, events } = await simBackend();
    startApp(engine, 100);
    engine.openStream({ pid: 100, sessionGuid: GUID_A });
    expect(events).toEqual([]);
    await backend.listSessions(DEVICES.speakers);
    const later = engine.openStream({ pid: 100 });
    engine.openStream({ pid: 100, deviceId: DEVICES.headset });
    expect(events).toEqual([{ type: 'session-created', session: expect.objectContaining({ id: later.sessionId, state: 'inactive' }) }]);
  });

  it('maps session notifications to BackendEvents, echoing each change event context as given', async () => {
    const { backend, engine, events, clock } = await simBackend();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100 });
    const id = stream.sessionId;
    await backend.listSessions(DEVICES.speakers);
    await backend.listSessions(DEVICES.speakers); // listed twice: still one listener per session

    await backend.setSessionVolume(id, 0.5, MIXER_CONTEXT);
    await backend.setSessionMute(id, true, MIXER_CONTEXT);
    await backend.setChannelVolume(id, 1, 0.25, MIXER_CONTEXT);
    const appContext = '{ABCDEF01-2345-6789-ABCD-EF0123456789}';
    engine.client(100).setVolume(id, 0.75, appContext);
    engine.client(100).setIconPath(id, 'data:image/svg+xml;base64,AA', appContext);
    engine.startStream(stream.streamId);
    engine.stopStream(stream.streamId);
    clock.advance(EXPIRE_MS);
    engine.releaseStream(stream.streamId);
    // Expired, its control and sink were let go of: the next listing finds it gone (R10).
    await backend.listSessions(DEVICES.speakers);

    expect(events).toEqual([
      { type: 'volume-changed', sessionId: id, volume: 0.5, muted: false, eventContext: MIXER_CONTEXT },
      { type: 'volume-changed', sessionId: id, volume: 0.5, muted: true, eventContext: MIXER_CONTEXT },
      { type: 'channel-volume-changed', sessionId: id, channelVolumes: [1, 0.25], changedChannel: 1, eventContext: MIXER_CONTEXT },
      { type: 'volume-changed', sessionId: id, volume: 0.75, muted: true, eventContext: appContext },
      { type: 'icon-changed', sessionId: id, iconPath: 'data:image/svg+xml;base64,AA', icon: 'data:image/svg+xml;base64,AA' },
      { type: 'state-changed', sessionId: id, state: 'active', terminated: false },
      { type: 'state-changed', sessionId: id, state: 'inactive', terminated: false },
      { type: 'state-changed', sessionId: id, state: 'expired', terminated: false },
      { type: 'state-changed', sessionId: id, state: 'expired', terminated: true },
    ]);
    expect((await rejection(backend.setSessionVolume(id, 0.5, MIXER_CONTEXT))).code).toBe('not-found');
  });

  it('reports device changes, new devices and default moves', async () => {
    const { backend, engine, events } = await simBackend();
    await backend.setDeviceVolume(DEVICES.speakers, 0.3);
    await backend.setDeviceMute(DEVICES.speakers, true);
    engine.addDevice({ id: 'usb', name: 'USB Speakers', flow: 'render' });
    engine.setDefaultDevice('usb', ['console']);
    await settle();
    // Device notifications are handled in order, each reading the device as it is by then.
    expect(events).toEqual([
      { type: 'device-changed', device: expect.objectContaining({ id: DEVICES.speakers, volume: 0.3, muted: false }) },
      { type: 'device-changed', device: expect.objectContaining({ id: DEVICES.speakers, volume: 0.3, muted: true }) },
      { type: 'device-added', device: expect.objectContaining({ id: 'usb', name: 'USB Speakers', defaultFor: ['console'] }) },
      { type: 'default-device-changed', flow: 'render', role: 'console', deviceId: 'usb' },
    ]);
  });

  it('maps ducking to duck and unduck events of the communications device', async () => {
    const { backend, engine, events } = await simBackend();
    startApp(engine, 100, 'chat.exe');
    const call = engine.openStream({ pid: 100, communications: true });
    await backend.listSessions(DEVICES.headset);
    engine.startStream(call.streamId);
    engine.stopStream(call.streamId);
    expect(events.filter((event) => event.type === 'duck' || event.type === 'unduck')).toEqual([
      { type: 'duck', deviceId: DEVICES.headset, sessionId: call.sessionId, communicationSessions: 1 },
      { type: 'unduck', deviceId: DEVICES.headset, sessionId: call.sessionId },
    ]);
  });

  it('reads peaks of known sessions and leaves unknown ones out', async () => {
    const { backend, engine } = await simBackend();
    startApp(engine, 100);
    startApp(engine, 200, 'other.exe');
    const playing = engine.openStream({ pid: 100, start: true }).sessionId;
    const silent = engine.openStream({ pid: 200 }).sessionId;
    await backend.listSessions(DEVICES.speakers);
    const peaks = await backend.getPeaks([playing, silent, 'sUnknown']);
    expect(Object.keys(peaks).sort()).toEqual([playing, silent].sort());
    expect(peaks[playing]).toBeGreaterThan(0);
    expect(peaks[silent]).toBe(0);
  });

  it('rejects bad input and unknown ids with the matching BackendError codes', async () => {
    const { backend, engine } = await simBackend();
    startApp(engine, 100);
    const id = engine.openStream({ pid: 100 }).sessionId;
    await backend.listSessions(DEVICES.speakers);
    const codes = await Promise.all(
      [
        backend.setSessionVolume('sMissing', 0.5, MIXER_CONTEXT),
        backend.setSessionVolume(id, 2, MIXER_CONTEXT),
        backend.setSessionVolume(id, 0.5, 'not-a-guid'),
        backend.setSessionMute(id, 'yes' as unknown as boolean, MIXER_CONTEXT),
        backend.setChannelVolume(id, 2, 0.5, MIXER_CONTEXT),
        backend.setDeviceVolume('nowhere', 0.5),
        backend.setDeviceMute('nowhere', true),
        backend.listSessions('nowhere'),
      ].map(async (promise) => (await rejection(promise)).code),
    );
    expect(codes).toEqual([
      'not-found',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
      'not-found',
      'not-found',
      'not-found',
    ]);
    expect((await rejection(backend.setChannelVolume(id, 2, 0.5, MIXER_CONTEXT))).message).toMatch(/has 2 channels/);
  });

  it('reports a throwing listener as a warning and still tells the others', async () => {
    const { backend, events, warnings } = await simBackend();
    backend.subscribe(() => {
      throw new Error('listener bug');
    });
    const after: BackendEvent[] = [];
    backend.subscribe((event) => after.push(event));
    await backend.setDeviceVolume(DEVICES.speakers, 0.5);
    expect(events).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining('listener bug')]);
  });

  it('keeps session volumes across runs through its state dir', async () => {
    const dir = tempDir();
    const run = async () => {
      const { backend, engine } = await simBackend({ stateDir: dir });
      startApp(engine, 100);
      return { backend, id: engine.openStream({ pid: 100 }).sessionId };
    };
    const first = await run();
    await first.backend.listSessions(DEVICES.speakers);
    await first.backend.setSessionVolume(first.id, 0.42, MIXER_CONTEXT);
    await first.backend.close();

    const second = await run();
    expect((await second.backend.listSessions(DEVICES.speakers)).find((record) => record.id === second.id)?.volume).toBe(0.42);
    await second.backend.close();
  });

  it('stops answering and telling once closed', async () => {
    const { backend, engine, events } = await simBackend();
    startApp(engine, 100);
    await backend.listSessions(DEVICES.speakers);
    await backend.close();
    await backend.close();
    engine.openStream({ pid: 100, start: true });
    expect(events).toEqual([]);
    expect((await rejection(backend.listDevices())).code).toBe('unavailable');
    expect((await rejection(backend.setSessionVolume('s1', 0.5, MIXER_CONTEXT))).code).toBe('unavailable');
  });
});
