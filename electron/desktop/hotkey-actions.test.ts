import { describe, expect, it } from 'vitest';
import { device, session } from '../../core/testing/fake-backend';
import { deviceHotkeyCommands, sessionHotkeyCommands } from './hotkey-actions';

const speakers = device({ id: 'spk', name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia'], volume: 0.5, muted: false });
const headset = device({ id: 'hs', name: 'Headset', flow: 'render', defaultFor: [], volume: 0.9, muted: false });
const mic = device({ id: 'mic', name: 'Microphone', flow: 'capture', defaultFor: ['console'], volume: 0.7, muted: false });

describe('hotkey actions', () => {
  it('move the default playback device by the step, within 0..100', () => {
    expect(deviceHotkeyCommands('default-volume-up', [headset, speakers], 5)).toEqual({
      ok: true,
      commands: [{ type: 'set-device-volume', deviceId: 'spk', volume: 0.55 }],
    });
    const loud = { ...speakers, volume: 0.99 };
    expect(deviceHotkeyCommands('default-volume-up', [loud], 5)).toMatchObject({ commands: [{ volume: 1 }] });
    expect(deviceHotkeyCommands('default-volume-down', [{ ...speakers, volume: 0.01 }], 2)).toMatchObject({ commands: [{ volume: 0 }] });
  });

  it('toggle mute on the default device, and on the microphone for mic-mute', () => {
    expect(deviceHotkeyCommands('default-mute', [speakers, mic], 2)).toEqual({ ok: true, commands: [{ type: 'set-device-mute', deviceId: 'spk', muted: true }] });
    expect(deviceHotkeyCommands('mic-mute', [speakers, { ...mic, muted: true }], 2)).toEqual({
      ok: true,
      commands: [{ type: 'set-device-mute', deviceId: 'mic', muted: false }],
    });
  });

  it('say why when there is nothing to act on', () => {
    expect(deviceHotkeyCommands('mic-mute', [speakers], 2)).toEqual({ ok: false, reason: 'there is no recording device' });
    expect(deviceHotkeyCommands('default-volume-up', [{ ...speakers, volume: null }], 2)).toEqual({
      ok: false,
      reason: "Speakers's volume cannot be read here",
    });
    expect(sessionHotkeyCommands('app-mute', [], 2)).toEqual({ ok: false, reason: 'that app has no audio session' });
  });

  it("move all of an app's sessions together, from the loudest", () => {
    const a = session({ id: 'a', volume: 0.3 });
    const b = session({ id: 'b', volume: 0.6 });
    expect(sessionHotkeyCommands('foreground-volume-down', [a, b], 10)).toEqual({
      ok: true,
      commands: [{ type: 'set-volume', sessionIds: ['a', 'b'], volume: 0.5 }],
    });
  });

  it("mute an app's sessions unless all are muted already, then unmute", () => {
    const a = session({ id: 'a', muted: true });
    const b = session({ id: 'b', muted: false });
    expect(sessionHotkeyCommands('app-mute', [a, b], 2)).toMatchObject({ commands: [{ type: 'set-mute', muted: true }] });
    expect(sessionHotkeyCommands('app-mute', [a, { ...b, muted: true }], 2)).toMatchObject({ commands: [{ type: 'set-mute', muted: false }] });
  });
});
