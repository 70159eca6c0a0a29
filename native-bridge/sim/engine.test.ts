// Engine behaviour beyond the rules (those are pinned in rules.test.ts).
import { describe, expect, it } from 'vitest';
import type { DeviceRole, Flow, SessionState } from '../types';
import { DUCKED_PEAK_SCALE, SimEngine, SimScenarioError } from './engine';
import {
  AUDCLNT_E_NOT_STOPPED,
  E_INVALIDARG,
  E_NOTFOUND,
  E_UNEXPECTED,
  S_FALSE,
  S_OK,
  describeHResult,
  outParam,
  succeeded,
} from './hresult';
import {
  DEVICES,
  EXPIRE_MS,
  GUID_A,
  MIXER_CONTEXT,
  controlOf,
  enumerate,
  managerOf,
  read,
  recordCreated,
  recordSession,
  startApp,
  world,
} from './test-helpers';

function peak(engine: SimEngine, sessionId: string): number {
  const control = controlOf(engine, sessionId);
  return read<number>((out) => control.getPeakValue(out));
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

  it('replaces a disconnected System Sounds session so a render device always has one', () => {
    const { engine } = world();
    const manager = managerOf(engine, DEVICES.speakers);
    enumerate(manager);
    const created = recordCreated(manager);
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
    engine.registerEndpointNotificationCallback({
      onDeviceAdded: () => undefined,
      onDeviceRemoved: () => undefined,
      onDeviceChanged: () => undefined,
      onDefaultDeviceChanged: (flow, role, deviceId) => changes.push([flow, role, deviceId]),
    });
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

  it('reports endpoint volume and mute changes', () => {
    const { engine } = world();
    const changed: [number, boolean][] = [];
    engine.registerEndpointNotificationCallback({
      onDeviceAdded: () => undefined,
      onDeviceRemoved: () => undefined,
      onDeviceChanged: (device) => changed.push([device.volume, device.muted]),
      onDefaultDeviceChanged: () => undefined,
    });
    engine.setDeviceVolume(DEVICES.speakers, 0.4);
    engine.setDeviceMute(DEVICES.speakers, true);
    expect(changed).toEqual([
      [0.4, false],
      [0.4, true],
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

describe('SimEngine mixer facade', () => {
  it('validates levels, channels and event contexts with E_INVALIDARG', () => {
    const { engine } = world();
    startApp(engine, 100);
    const control = controlOf(engine, engine.openStream({ pid: 100 }).sessionId);
    expect(control.setMasterVolume(1.01, MIXER_CONTEXT)).toBe(E_INVALIDARG);
    expect(control.setMasterVolume(Number.NaN, MIXER_CONTEXT)).toBe(E_INVALIDARG);
    expect(control.setMasterVolume(0.5, 'me')).toBe(E_INVALIDARG);
    expect(control.setChannelVolume(2, 0.5, MIXER_CONTEXT)).toBe(E_INVALIDARG);
    expect(control.getChannelVolume(2, outParam())).toBe(E_INVALIDARG);
    expect(read<number[]>((out) => control.getAllVolumes(out))).toEqual([1, 1]);
    expect(control.setChannelVolume(0, 0.5, MIXER_CONTEXT)).toBe(S_OK);
    expect(read<number>((out) => control.getChannelVolume(0, out))).toBe(0.5);
    expect(engine.activateSessionManager('nowhere', outParam())).toBe(E_NOTFOUND);
  });

  it('answers getters with final values after termination and refuses changes with E_UNEXPECTED', () => {
    const { engine } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100 });
    const control = controlOf(engine, stream.sessionId);
    control.setMasterVolume(0.3, MIXER_CONTEXT);
    engine.releaseStream(stream.streamId);
    expect(read<SessionState>((out) => control.getState(out))).toBe('expired');
    expect(read<number>((out) => control.getMasterVolume(out))).toBe(0.3);
    expect(control.setMasterVolume(0.5, MIXER_CONTEXT)).toBe(E_UNEXPECTED);
  });

  it('keeps notifying the other listeners when one throws, and warns', () => {
    const { engine, warnings } = world();
    startApp(engine, 100);
    const control = controlOf(engine, engine.openStream({ pid: 100 }).sessionId);
    const before = recordSession(control);
    control.registerAudioSessionNotification({
      onDisplayNameChanged: () => undefined,
      onIconPathChanged: () => undefined,
      onSimpleVolumeChanged: () => {
        throw new Error('listener bug');
      },
      onChannelVolumeChanged: () => undefined,
      onGroupingParamChanged: () => undefined,
      onStateChanged: () => undefined,
      onSessionDisconnected: () => undefined,
    });
    const after = recordSession(control);
    expect(control.setMasterVolume(0.5, MIXER_CONTEXT)).toBe(S_OK);
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining('listener bug')]);
  });
});

describe('SimEngine peaks', () => {
  it('are deterministic for a given time, scaled by volume, and 0 when muted or not active', () => {
    const { engine, clock } = world();
    startApp(engine, 100);
    const stream = engine.openStream({ pid: 100 });
    const control = controlOf(engine, stream.sessionId);
    expect(peak(engine, stream.sessionId)).toBe(0);
    engine.startStream(stream.streamId);
    const full = peak(engine, stream.sessionId);
    expect(full).toBeGreaterThan(0);
    expect(full).toBeLessThanOrEqual(1);
    expect(peak(engine, stream.sessionId)).toBe(full);
    control.setMasterVolume(0.5, MIXER_CONTEXT);
    expect(peak(engine, stream.sessionId)).toBeCloseTo(full / 2, 10);
    control.setMute(true, MIXER_CONTEXT);
    expect(peak(engine, stream.sessionId)).toBe(0);
    control.setMute(false, MIXER_CONTEXT);

    const samples = new Set<number>();
    for (let step = 0; step < 20; step += 1) {
      clock.advance(37);
      samples.add(peak(engine, stream.sessionId));
    }
    expect(samples.size).toBeGreaterThan(10);
  });

  it('drop while another session communications stream ducks, and recover after', () => {
    const { engine } = world();
    startApp(engine, 100, 'player.exe');
    startApp(engine, 200, 'chat.exe');
    const music = engine.openStream({ pid: 100, start: true });
    const call = engine.openStream({ pid: 200, sessionGuid: GUID_A, communications: true });
    const normal = peak(engine, music.sessionId);
    engine.startStream(call.streamId);
    expect(peak(engine, music.sessionId)).toBeCloseTo(normal * DUCKED_PEAK_SCALE, 10);
    expect(peak(engine, call.sessionId)).toBeGreaterThan(0);
    engine.stopStream(call.streamId);
    expect(peak(engine, music.sessionId)).toBe(normal);
  });
});

describe('HRESULT helpers', () => {
  it('name and classify codes', () => {
    expect(describeHResult(E_INVALIDARG)).toBe('E_INVALIDARG (0x80070057)');
    expect(describeHResult(0x80004005)).toBe('0x80004005');
    expect(succeeded(S_FALSE)).toBe(true);
    expect(succeeded(E_INVALIDARG)).toBe(false);
    expect(succeeded(E_INVALIDARG | 0)).toBe(false);
  });
});
