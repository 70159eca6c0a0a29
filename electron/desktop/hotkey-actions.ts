// What a hotkey press does to the mixer: the commands for an action, from what the main
// process knows of the devices and sessions. Pure; the main process sends the commands
// and shows an error where there is nothing to act on.
import type { Command } from '../../core/contract';
import { defaultDevice } from '../../core/mixer-view';
import type { HotkeyAction } from '../../core/settings';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';

export type HotkeyOutcome = { ok: true; commands: Command[] } | { ok: false; reason: string };

type Change = 'up' | 'down' | 'mute';

const CHANGES: Record<HotkeyAction, { target: 'foreground' | 'default' | 'app' | 'mic'; change: Change }> = {
  'foreground-volume-up': { target: 'foreground', change: 'up' },
  'foreground-volume-down': { target: 'foreground', change: 'down' },
  'foreground-mute': { target: 'foreground', change: 'mute' },
  'default-volume-up': { target: 'default', change: 'up' },
  'default-volume-down': { target: 'default', change: 'down' },
  'default-mute': { target: 'default', change: 'mute' },
  'app-volume-up': { target: 'app', change: 'up' },
  'app-volume-down': { target: 'app', change: 'down' },
  'app-mute': { target: 'app', change: 'mute' },
  'mic-mute': { target: 'mic', change: 'mute' },
};

export function hotkeyTarget(action: HotkeyAction): 'foreground' | 'default' | 'app' | 'mic' {
  return CHANGES[action].target;
}

const round = (value: number) => Math.round(value * 100) / 100;
const clampUnit = (value: number) => Math.min(1, Math.max(0, round(value)));

/** Commands for a device action (default playback device, microphone). */
export function deviceHotkeyCommands(action: HotkeyAction, devices: Iterable<DeviceRecord>, stepPercent: number): HotkeyOutcome {
  const { target, change } = CHANGES[action];
  const flow = target === 'mic' ? 'capture' : 'render';
  const device = defaultDevice(devices, flow);
  if (!device) return { ok: false, reason: `there is no ${flow === 'capture' ? 'recording' : 'playback'} device` };
  if (change === 'mute') {
    if (device.muted === null) return { ok: false, reason: `${device.name}'s mute cannot be read here` };
    return { ok: true, commands: [{ type: 'set-device-mute', deviceId: device.id, muted: !device.muted }] };
  }
  if (device.volume === null) return { ok: false, reason: `${device.name}'s volume cannot be read here` };
  const volume = clampUnit(device.volume + ((change === 'up' ? 1 : -1) * stepPercent) / 100);
  return { ok: true, commands: [{ type: 'set-device-volume', deviceId: device.id, volume }] };
}

/** Commands for an app action: all its sessions move together, from the loudest one's level, like a grouped strip. */
export function sessionHotkeyCommands(action: HotkeyAction, sessions: readonly SessionRecord[], stepPercent: number): HotkeyOutcome {
  const { change } = CHANGES[action];
  const [first] = sessions;
  if (!first) return { ok: false, reason: 'that app has no audio session' };
  const sessionIds = sessions.map((session) => session.id);
  if (change === 'mute') {
    const muted = !sessions.every((session) => session.muted);
    return { ok: true, commands: [{ type: 'set-mute', sessionIds, muted }] };
  }
  const from = Math.max(...sessions.map((session) => session.volume));
  const volume = clampUnit(from + ((change === 'up' ? 1 : -1) * stepPercent) / 100);
  return { ok: true, commands: [{ type: 'set-volume', sessionIds, volume }] };
}
