// Engine behaviour beyond the rules (those are pinned in rules.test.ts).
import { describe, expect, it } from 'vitest';
import { AUDCLNT_E_NOT_STOPPED, E_INVALIDARG, E_NOTFOUND, E_UNEXPECTED, isComError, S_FALSE, S_OK } from '../com/hresult';
import type { EndpointEvents, SessionEvents } from '../coreaudio/system';
import type { DeviceRole, Flow } from '../types';
import { GUID_NULL } from '../types';
import { SimEngine } from './engine';
import { DUCKED_PEAK_SCALE } from './peaks';
import { SimScenarioError } from './scenario-checks';
import type { SimAudioSystem } from './system';
import { DEVICES, EXPIRE_MS, GUID_A, MIXER_CONTEXT, controlOf, managerOf, recordCreated, recordSession, startApp, world } from './test-helpers';

function peak(system: SimAudioSystem, sessionId: string): number {
  return controlOf(system, sessionId).peak();
}

/** Expects a promise to reject with a ComError of that HRESULT. */
async function failsWith(promise: Promise<unknown>, hresult: number): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => isComError(error, hresult));
}

function endpointEvents(events: Partial<EndpointEvents>): EndpointEvents {
  const ignore = () => undefined;
  return { deviceAdded: ignore, deviceRemoved: ignore, stateChanged: ignore, defaultChanged: ignore, propertyChanged: ignore, ...events };
}

describe('SimEngine streams', () => {
  it('answers Start on a running stream and Stop on a stopped one as IAudioClient does', () => {
    const { engine } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100 });
    expect(engine.stopStream(stream.streamId)).toBe(S_FALSE);
    expect(engine.startStream(stream.streamId)).toBe(S_OK);
    expect(engine.startStream(stream.streamId)).toBe(AUDCLNT_E_NOT_STOPPED);
    expect(engine.releaseStream(stream.streamId)).toBe(S_OK);
    expect(() => engine.startStream(stream.streamId)).toThrow(/unknown stream/);
  });

  it('makes an expired session inactive again when a stream joins it', () => {
    const { engine, clock } = world();
    startApp(engine, 100);
    const first = engine.openStream({ pid: 100 });
    clock.advance(EXPIRE_MS);
    expect(engine.getSession(first.sessionId)?.state).toBe('expired');
    engine.openStream({ pid: 100 });
    expect(engine.getSession(first.sessionId)?.state).toBe('inactive');
    clock.advance(EXPIRE_MS);
    expect(engine.getSession(first.sessionId)?.state).toBe('expired');
  });

  it('plays a system sound: System Sounds is active for the sound, then inactive, and never expires', () => {
    const { engine, clock } = world();
    const systemSounds = engine.systemSoundsSessionId(DEVICES.speakers) as string;
    engine.playSystemSound(undefined, 300);
    expect(engine.getSession(systemSounds)?.state).toBe('active');
    clock.advance(300);
    expect(engine.getSession(systemSounds)?.state).toBe('inactive');
    clock.advance(100 * EXPIRE_MS);
    expect(engine.getSession(systemSounds)?.state).toBe('inactive');
    expect(() => engine.playSystemSound(DEVICES.microphone)).toThrow(/capture device/);
  });

  it('replaces a disconnected System Sounds session so a render device always has one', async () => {
    const { engine, system } = world();
    const manager = managerOf(system, DEVICES.speakers);
    manager.listSessions();
    const created = await recordCreated(manager);
    const before = engine.getSession(engine.systemSoundsSessionId(DEVICES.speakers) as string);
    engine.disconnectSession(before?.id as string, 'server-shutdown');
    const after = engine.getSession(engine.systemSoundsSessionId(DEVICES.speakers) as string);
    expect(after?.isSystemSounds).toBe(true);
    expect(after?.sessionInstanceIdentifier).not.toBe(before?.sessionInstanceIdentifier);
    expect(created).toEqual([after?.sessionInstanceIdentifier]);
    expect(engine.listSessions(DEVICES.speakers).filter((session) => session.isSystemSounds)).toHaveLength(1);
  });
});

describe('SimEngine devices', () => {
  it('gives a new device every role of its flow that has no default yet, and passes roles on when it goes', () => {
    const engine = new SimEngine({ onWarning: () => undefined });
    const changes: [Flow, DeviceRole, string | null][] = [];
    engine.watchEndpoints(endpointEvents({ defaultChanged: (flow, role, deviceId) => changes.push([flow, role, deviceId]) }));
    const first = engine.addDevice({ name: 'First', flow: 'render' });
    expect(first.defaultFor).toEqual(['console', 'multimedia', 'communications']);
    expect(first.id).toMatch(/^\{0\.0\.0\.00000000\}\.\{[0-9a-f-]{36}\}$/);
    const second = engine.addDevice({ name: 'Second', flow: 'render', defaultFor: ['communications'] });
    expect(engine.getDevice(first.id)?.defaultFor).toEqual(['console', 'multimedia']);
    expect(second.defaultFor).toEqual(['communications']);

    changes.length = 0;
    engine.removeDevice(first.id);
    expect(changes).toEqual([
      ['render', 'console', second.id],
      ['render', 'multimedia', second.id],
    ]);
    engine.removeDevice(second.id);
    expect(engine.getDefaultDevice('render', 'console')).toBeNull();
    expect(() => engine.openStream({ pid: startApp(engine, 1).pid })).toThrow(/no default render device/);
  });

  it('reports endpoint volume and mute changes with the event context, and no mute that changes nothing', () => {
    const { engine } = world();
    const changed: [number, boolean, string][] = [];
    engine.watchDeviceVolume(DEVICES.speakers, ({ volume, muted, eventContext }) => changed.push([volume, muted, eventContext]));
    engine.setDeviceVolume(DEVICES.speakers, 0.4, MIXER_CONTEXT);
    engine.setDeviceMute(DEVICES.speakers, true);
    engine.setDeviceMute(DEVICES.speakers, true);
    expect(changed).toEqual([
      [0.4, false, MIXER_CONTEXT],
      [0.4, true, GUID_NULL],
    ]);
    expect(() => engine.setDeviceVolume(DEVICES.speakers, 1.5)).toThrow(SimScenarioError);
  });

  it('rejects malformed scenarios with clear errors', () => {
    const { engine } = world();
    startApp(engine, 100);
    expect(() => engine.addDevice({ id: DEVICES.speakers, name: 'Again', flow: 'render' })).toThrow(/already exists/);
    expect(() => engine.addDevice({ name: 'X', flow: 'sideways' as Flow })).toThrow(/flow must be/);
    expect(() => engine.addDevice({ name: 'X', flow: 'render', channelCount: 0 })).toThrow(/channelCount/);
    expect(() => startApp(engine, 100)).toThrow(/already running/);
    expect(() => engine.startProcess({ pid: -1, exePath: 'a.exe' })).toThrow(/positive integer/);
    expect(() => engine.startProcess({ pid: 5, exePath: 'a.exe', icon: 'http://x/icon.png' })).toThrow(/data URL/);
    expect(() => engine.openStream({ pid: 999 })).toThrow(/no process with pid 999/);
    expect(() => engine.openStream({ pid: 100, sessionGuid: 'not-a-guid' })).toThrow(/not a GUID/);
    expect(() => engine.openStream({ pid: 100, deviceId: 'nowhere' })).toThrow(/unknown device "nowhere"/);
    expect(() => engine.openStream({ pid: 100, crossProcess: 'yes' as unknown as boolean })).toThrow(/crossProcess must be true or false/);
    expect(() => engine.removeDevice('nowhere')).toThrow(SimScenarioError);
    expect(() => engine.client(999)).toThrow(/no process/);
  });
});

describe('SimEngine default-following streams (R27)', () => {
  const deviceOf = (engine: SimEngine, streamId: number) => engine.getSession(engine.getStream(streamId)?.sessionId ?? '')?.deviceId;

  it('moves them to a device plugged in as the new default, the running ones still running', () => {
    const { engine } = world();
    startApp(engine, 100);
    const playing = engine.openStream({ pid: 100, start: true });
    const paused = engine.openStream({ pid: 100, sessionGuid: GUID_A });
    engine.addDevice({ id: 'usb', name: 'USB Headphones', flow: 'render', defaultFor: ['console'] });
    expect([deviceOf(engine, playing.streamId), deviceOf(engine, paused.streamId)]).toEqual(['usb', 'usb']);
    expect(engine.getStream(playing.streamId)?.running).toBe(true);
    expect(engine.getSession(engine.getStream(playing.streamId)?.sessionId ?? '')?.state).toBe('active');
    expect(engine.getSession(playing.sessionId)).toBeUndefined();
  });

  it('invalidates them, not moves them, when their default device is removed (R25)', () => {
    const { engine } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100, start: true });
    engine.removeDevice(DEVICES.speakers);
    expect(engine.getDefaultDevice('render', 'console')).toBe(DEVICES.headset);
    expect(engine.getStream(stream.streamId)).toMatchObject({ sessionId: stream.sessionId, invalidated: true, running: false });
    expect(engine.listSessions(DEVICES.headset).filter((session) => !session.isSystemSounds)).toEqual([]);
  });

  it('tells endpoint listeners of the new default before the streams move', () => {
    const { engine } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100, start: true });
    const told: string[] = [];
    engine.watchEndpoints(endpointEvents({ defaultChanged: (_, role, id) => told.push(`${role} ${id} while on ${deviceOf(engine, stream.streamId)}`) }));
    engine.setDefaultDevice(DEVICES.headset, ['console']);
    expect(told).toEqual([`console ${DEVICES.headset} while on ${DEVICES.speakers}`]);
    expect(deviceOf(engine, stream.streamId)).toBe(DEVICES.headset);
  });
});

describe('the simulated Windows at the OS seam', () => {
  it('validates levels, channels and event contexts with E_INVALIDARG, and an unknown device with E_NOTFOUND', async () => {
    const { engine, system } = world();
    startApp(engine, 100);
    const control = controlOf(system, engine.openStream({ pid: 100 }).sessionId);
    await failsWith(control.setVolume(1.01, MIXER_CONTEXT), E_INVALIDARG);
    await failsWith(control.setVolume(Number.NaN, MIXER_CONTEXT), E_INVALIDARG);
    await failsWith(control.setVolume(0.5, 'me'), E_INVALIDARG);
    await failsWith(control.setChannelVolume(2, 0.5, MIXER_CONTEXT), E_INVALIDARG);
    await failsWith(system.openEndpoint(DEVICES.speakers).setVolume(2, MIXER_CONTEXT), E_INVALIDARG);
    expect(control.channelVolumes()).toEqual([1, 1]);
    await control.setChannelVolume(0, 0.5, MIXER_CONTEXT);
    expect(control.channelVolumes()).toEqual([0.5, 1]);
    let failure: unknown;
    try {
      system.openEndpoint('nowhere');
    } catch (error) {
      failure = error;
    }
    expect(isComError(failure, E_NOTFOUND)).toBe(true);
  });

  it('answers getters with final values after termination and refuses changes with E_UNEXPECTED', async () => {
    const { engine, system } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100 });
    const control = controlOf(system, stream.sessionId);
    await control.setVolume(0.3, MIXER_CONTEXT);
    engine.releaseStream(stream.streamId);
    expect(control.state()).toBe('expired');
    expect(control.volume()).toEqual({ volume: 0.3, muted: false });
    await failsWith(control.setVolume(0.5, MIXER_CONTEXT), E_UNEXPECTED);
  });

  it('keeps notifying the other listeners when one throws, and warns', async () => {
    const { engine, system, warnings } = world();
    startApp(engine, 100);
    const control = controlOf(system, engine.openStream({ pid: 100 }).sessionId);
    const before = await recordSession(control);
    const ignore = () => undefined;
    const throwing: SessionEvents = {
      displayNameChanged: ignore,
      iconPathChanged: ignore,
      volumeChanged: () => {
        throw new Error('listener bug');
      },
      channelVolumeChanged: ignore,
      groupingParamChanged: ignore,
      stateChanged: ignore,
      disconnected: ignore,
    };
    await control.watch(throwing);
    const after = await recordSession(control);
    await control.setVolume(0.5, MIXER_CONTEXT);
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining('listener bug')]);
  });

  it('counts every reference it hands out, as COM does, back to none once all are released', async () => {
    const { engine, system } = world();
    startApp(engine, 100);
    engine.openStream({ pid: 100 });
    const endpoint = system.openEndpoint(DEVICES.speakers);
    const manager = endpoint.sessionManager();
    const controls = manager.listSessions();
    const watches = [await manager.watchSessions(() => undefined), await endpoint.watchVolume(() => undefined)];
    expect(system.liveReferences()).toBe(2 + controls.length + watches.length);
    for (const watch of watches) await watch.stop();
    for (const control of controls) control.release();
    endpoint.release();
    expect(system.liveReferences()).toBe(0);
    expect(() => endpoint.release()).toThrow(/released twice/);
  });
});

describe('SimEngine peaks', () => {
  it('are deterministic for a given time, scaled by volume, and 0 when muted or not active', async () => {
    const { engine, clock, system } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100 });
    const control = controlOf(system, stream.sessionId);
    expect(peak(system, stream.sessionId)).toBe(0);
    engine.startStream(stream.streamId);
    const full = peak(system, stream.sessionId);
    expect(full).toBeGreaterThan(0);
    expect(full).toBeLessThanOrEqual(1);
    expect(peak(system, stream.sessionId)).toBe(full);
    await control.setVolume(0.5, MIXER_CONTEXT);
    expect(peak(system, stream.sessionId)).toBeCloseTo(full / 2, 10);
    await control.setMute(true, MIXER_CONTEXT);
    expect(peak(system, stream.sessionId)).toBe(0);
    await control.setMute(false, MIXER_CONTEXT);

    const samples = new Set<number>();
    for (let step = 0; step < 20; step += 1) {
      clock.advance(37);
      samples.add(peak(system, stream.sessionId));
    }
    expect(samples.size).toBeGreaterThan(10);
  });

  it('drop while another session communications stream ducks, and recover after', () => {
    const { engine, system } = world();
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'chat.exe');
    const music = engine.openStream({ pid: 100, start: true });
    const call = engine.openStream({ pid: 200, sessionGuid: GUID_A, communications: true });
    const normal = peak(system, music.sessionId);
    engine.startStream(call.streamId);
    expect(peak(system, music.sessionId)).toBeCloseTo(normal * DUCKED_PEAK_SCALE, 10);
    expect(peak(system, call.sessionId)).toBeGreaterThan(0);
    engine.stopStream(call.streamId);
    expect(peak(system, music.sessionId)).toBe(normal);
  });
});
