// An app's output device on the coreaudio logic, run on the simulated Windows: SndMix sets
// the app's per-app default endpoint and Windows moves the app's streams.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimEngine } from '../sim/engine';
import { ManualClock } from '../sim/clock';
import { SimAudioSystem } from '../sim/system';
import type { BackendEvent } from '../types';
import { ROUTE_RECHECK_MS } from './app-output';
import { createCoreAudioBackend } from './backend';
import { StubbedSystem } from './testing/stubbed-system';

const SPEAKERS = 'speakers';
const HEADSET = 'headset';
const MIC = 'microphone';
const PLAYER = 100;
const SECOND_PLAYER = 101;

async function world() {
  const engine = new SimEngine({ clock: new ManualClock(1_000_000), onWarning: (message) => { throw new Error(message); } });
  engine.addDevice({ id: SPEAKERS, name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia', 'communications'] });
  engine.addDevice({ id: HEADSET, name: 'Headset', flow: 'render' });
  engine.addDevice({ id: MIC, name: 'Microphone', flow: 'capture' });
  engine.startProcess({ pid: PLAYER, exePath: 'C:\\Apps\\player.exe' });
  engine.startProcess({ pid: SECOND_PLAYER, exePath: 'C:\\APPS\\Player.exe' });
  engine.startProcess({ pid: 300, exePath: 'C:\\Apps\\tool.exe' });
  const system = new StubbedSystem(new SimAudioSystem(engine));
  return { engine, system };
}

async function open(system: StubbedSystem) {
  const warnings: string[] = [];
  const backend = await createCoreAudioBackend({ system, pollIntervalMs: null, onWarning: (message) => warnings.push(message) });
  const events: BackendEvent[] = [];
  backend.subscribe((event) => events.push(event));
  // Notifications of a device's new sessions flow once it was listed (R22).
  for (const device of await backend.listDevices()) await backend.listSessions(device.id);
  return { backend, events, warnings };
}

const settle = () => new Promise((done) => setImmediate(done));

describe('coreaudio: an app\'s output device (the per-app default endpoint)', () => {
  it('sends the app to another device: its session ends on the old one and starts on the new one, and the app reads as pinned there', async () => {
    const { engine, system } = await world();
    const stream = engine.openStream({ pid: PLAYER, start: true });
    const { backend, events } = await open(system);
    expect(backend.capabilities.outputDevice).toBe(true);
    await backend.setOutputDevice(stream.sessionId, HEADSET);
    await settle();

    expect(events).toContainEqual({ type: 'state-changed', sessionId: stream.sessionId, state: 'expired', terminated: true });
    const created = events.flatMap((event) => (event.type === 'session-created' ? [event.session] : []));
    expect(created.map(({ deviceId, pid }) => ({ deviceId, pid }))).toEqual([{ deviceId: HEADSET, pid: PLAYER }]);
    // The stream plays on: the app's session on the headset is active.
    expect((await backend.listSessions(HEADSET)).find((session) => session.pid === PLAYER)?.state).toBe('active');
    expect((await backend.listSessions(SPEAKERS)).map((session) => session.pid)).not.toContain(PLAYER);
    expect(engine.getStream(stream.streamId)?.sessionId).toBe(created[0]?.id);
    expect(backend.appOutputDevice(PLAYER, 'render')).toBe(HEADSET);
  });

  it('says in each record whether the app follows the default or is pinned, and tells a pin that moves nothing as output-route-changed', async () => {
    const { engine, system } = await world();
    const stream = engine.openStream({ pid: PLAYER, start: true });
    const { backend, events } = await open(system);
    const route = async (deviceId: string) => (await backend.listSessions(deviceId)).find((session) => session.pid === PLAYER)?.outputRoute;
    expect(await route(SPEAKERS)).toEqual({ kind: 'follows-default' });

    // Pinned to the device it already plays on: Windows moves no stream, the session stays.
    await backend.setOutputDevice(stream.sessionId, SPEAKERS);
    expect(events).toEqual([{ type: 'output-route-changed', sessionId: stream.sessionId, outputRoute: { kind: 'pinned', deviceId: SPEAKERS } }]);
    expect(await route(SPEAKERS)).toEqual({ kind: 'pinned', deviceId: SPEAKERS });

    await backend.setOutputDevice(stream.sessionId, HEADSET);
    await settle();
    const created = events.flatMap((event) => (event.type === 'session-created' ? [event.session] : []));
    expect(created.map(({ deviceId, outputRoute }) => ({ deviceId, outputRoute }))).toEqual([{ deviceId: HEADSET, outputRoute: { kind: 'pinned', deviceId: HEADSET } }]);

    await backend.setOutputDevice(created[0]?.id ?? '', null);
    await settle();
    expect(await route(SPEAKERS)).toEqual({ kind: 'follows-default' });
  });

  describe('reading routes: once per app, again when the last read is old', () => {
    afterEach(() => vi.useRealTimers());
    const routeReads = (system: StubbedSystem) => system.calls.filter((call) => call === 'GetPersistedDefaultAudioEndpoint').length;

    it('reads no route on a poll while the app\'s last read is recent, and one per app (not per session) once it is old', async () => {
      vi.useFakeTimers({ toFake: ['performance'] });
      const { engine, system } = await world();
      engine.openStream({ pid: PLAYER, start: true });
      engine.openStream({ pid: PLAYER, sessionGuid: '{22222222-3333-4444-5555-666666666666}', start: true });
      engine.openStream({ pid: 300, start: true });
      const { backend } = await open(system);
      expect((await backend.listSessions(SPEAKERS)).filter((session) => session.pid === PLAYER)).toHaveLength(2);
      const readsAfterStart = routeReads(system);

      for (let poll = 0; poll < 4; poll++) for (const device of [SPEAKERS, HEADSET, MIC]) await backend.listSessions(device);
      expect(routeReads(system)).toBe(readsAfterStart);

      vi.advanceTimersByTime(ROUTE_RECHECK_MS);
      for (const device of [SPEAKERS, HEADSET, MIC]) await backend.listSessions(device);
      // Two apps with sessions (the player's two share one read); System Sounds has no route of its own.
      expect(routeReads(system) - readsAfterStart).toBe(2);
    });

    it('tells a pin set by another program that moves no stream as output-route-changed, within ROUTE_RECHECK_MS', async () => {
      vi.useFakeTimers({ toFake: ['performance'] });
      const { engine, system } = await world();
      const first = engine.openStream({ pid: PLAYER, start: true });
      const second = engine.openStream({ pid: PLAYER, sessionGuid: '{22222222-3333-4444-5555-666666666666}', start: true });
      const { backend, events } = await open(system);

      // EarTrumpet pins the player to the speakers it already plays on: no stream moves, Windows says nothing.
      engine.setAppDefaultDevice(PLAYER, 'render', SPEAKERS);
      vi.advanceTimersByTime(ROUTE_RECHECK_MS);
      const listed = await backend.listSessions(SPEAKERS);
      const pinned = { kind: 'pinned', deviceId: SPEAKERS };
      expect(events).toEqual([
        { type: 'output-route-changed', sessionId: first.sessionId, outputRoute: pinned },
        { type: 'output-route-changed', sessionId: second.sessionId, outputRoute: pinned },
      ]);
      expect(listed.filter((session) => session.pid === PLAYER).map((session) => session.outputRoute)).toEqual([pinned, pinned]);
    });

    it('reads a new session\'s route as it appears, though the app\'s last read is recent (another program moved its streams)', async () => {
      vi.useFakeTimers({ toFake: ['performance'] });
      const { engine, system } = await world();
      engine.openStream({ pid: PLAYER, start: true });
      const { events } = await open(system);
      engine.setAppDefaultDevice(PLAYER, 'render', HEADSET);
      await settle();
      const created = events.flatMap((event) => (event.type === 'session-created' ? [event.session] : []));
      expect(created.map(({ deviceId, outputRoute }) => ({ deviceId, outputRoute }))).toEqual([
        { deviceId: HEADSET, outputRoute: { kind: 'pinned', deviceId: HEADSET } },
      ]);
    });
  });

  it('sends it back to the default with null, and the app follows the default again', async () => {
    const { engine, system } = await world();
    const stream = engine.openStream({ pid: PLAYER, start: true });
    const { backend } = await open(system);
    await backend.setOutputDevice(stream.sessionId, HEADSET);
    const onHeadset = engine.getStream(stream.streamId)?.sessionId ?? '';
    await backend.setOutputDevice(onHeadset, null);
    await settle();
    expect(backend.appOutputDevice(PLAYER, 'render')).toBeNull();
    expect(engine.getSession(engine.getStream(stream.streamId)?.sessionId ?? '')?.deviceId).toBe(SPEAKERS);
  });

  it('applies to the app, not to one process: another instance and later streams go there too; a stream opened on a named device stays', async () => {
    const { engine, system } = await world();
    const first = engine.openStream({ pid: PLAYER });
    const pinned = engine.openStream({ pid: SECOND_PLAYER, deviceId: SPEAKERS, sessionGuid: '{11111111-2222-3333-4444-555555555555}' });
    const { backend } = await open(system);
    await backend.setOutputDevice(first.sessionId, HEADSET);
    expect(engine.getSession(engine.openStream({ pid: SECOND_PLAYER }).sessionId)?.deviceId).toBe(HEADSET);
    expect(engine.getSession(engine.getStream(pinned.streamId)?.sessionId ?? '')?.deviceId).toBe(SPEAKERS);
    expect(engine.getSession(engine.openStream({ pid: 300 }).sessionId)?.deviceId).toBe(SPEAKERS);
  });

  it('refuses what has no one app, a device of the other flow, and an unknown device, changing nothing', async () => {
    const { engine, system } = await world();
    const stream = engine.openStream({ pid: PLAYER });
    const { backend } = await open(system);
    const systemSounds = engine.systemSoundsSessionId(SPEAKERS) ?? '';
    await expect(backend.setOutputDevice(systemSounds, HEADSET)).rejects.toMatchObject({ code: 'not-supported' });
    const shared = engine.openStream({ pid: 300, crossProcess: true, sessionGuid: '{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}' });
    await backend.listSessions(SPEAKERS);
    await expect(backend.setOutputDevice(shared.sessionId, HEADSET)).rejects.toMatchObject({ code: 'not-supported' });
    await expect(backend.setOutputDevice(stream.sessionId, MIC)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(backend.setOutputDevice(stream.sessionId, '{0.0.0.00000000}.{no-such-device}')).rejects.toMatchObject({ code: 'not-found' });
    await expect(backend.setOutputDevice('no-such-session', HEADSET)).rejects.toMatchObject({ code: 'not-found' });
    expect(backend.appOutputDevice(PLAYER, 'render')).toBeNull();
    expect(engine.getSession(stream.sessionId)?.deviceId).toBe(SPEAKERS);
  });

  it('is "not supported on this Windows" with the reason where the factory is absent', async () => {
    const { engine, system } = await world();
    system.appEndpointPolicyAbsent = 'Windows build 17134 has no Windows.Media.Internal.AudioPolicyConfig (REGDB_E_CLASSNOTREG)';
    const stream = engine.openStream({ pid: PLAYER });
    const { backend } = await open(system);
    expect(backend.capabilities.outputDevice).toBe(false);
    const refused = backend.setOutputDevice(stream.sessionId, HEADSET);
    await expect(refused).rejects.toMatchObject({ code: 'not-supported' });
    await expect(refused).rejects.toThrow(/not supported on this Windows: Windows build 17134 has no/);
    expect(backend.appOutputDevice(PLAYER, 'render')).toBeNull();
  });
});

describe('coreaudio: endpoint volume ranges', () => {
  it('gives each active device its range in dB from GetVolumeRange (the sim: -65.25..0 dB in 1/32 dB steps)', async () => {
    const { system } = await world();
    const { backend } = await open(system);
    const devices = await backend.listDevices();
    expect(devices.map((device) => device.volumeRangeDb)).toEqual(
      devices.map(() => ({ minDb: -65.25, maxDb: 0, stepDb: 0.03125, curve: 'linear-db' })),
    );
    expect(backend.capabilities.sessionVolumeCurve).toBe('amplitude');
  });
});
