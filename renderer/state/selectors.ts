// Selectors over the store. Strips are derived with core's mixerStrips and memoised
// per sessions map; unchanged strips keep their object identity across patches, so a
// component selecting one strip re-renders only when that strip really changed.
import type { DeviceRecord, Flow } from '../../native-bridge/types';
import type { MixerStrip } from '../../core/mixer-view';
import { defaultDevice as defaultDeviceOf, mixerStrips } from '../../core/mixer-view';
import type { MixerState } from './store';

interface StripsMemo {
  strips: MixerStrip[];
  byKey: Map<string, MixerStrip>;
}

const memos = new WeakMap<MixerState['sessions'], Map<string, StripsMemo>>();
/** The last result per device and flow, to reuse equal strips from. */
const latest = new Map<string, StripsMemo>();

export function selectStrips(state: MixerState, deviceId: string, flow: Flow): MixerStrip[] {
  return stripsMemo(state, deviceId, flow).strips;
}

export function selectStrip(state: MixerState, deviceId: string, flow: Flow, key: string): MixerStrip | undefined {
  return stripsMemo(state, deviceId, flow).byKey.get(key);
}

function stripsMemo(state: MixerState, deviceId: string, flow: Flow): StripsMemo {
  const memoKey = `${flow}\u0000${deviceId}`;
  let perSessions = memos.get(state.sessions);
  const cached = perSessions?.get(memoKey);
  if (cached) return cached;

  const previous = latest.get(memoKey);
  const strips = mixerStrips([...state.sessions.values()], deviceId, flow).map((strip) => {
    const before = previous?.byKey.get(strip.key);
    if (!before) return strip;
    if (sameStrip(before, strip)) return before;
    // Same sessions, other values: keep the list's identity, so what is keyed on it (the
    // peak meter's animation) carries on instead of restarting at every volume step.
    return sameList(before.sessionIds, strip.sessionIds) ? { ...strip, sessionIds: before.sessionIds } : strip;
  });
  const memo: StripsMemo = { strips, byKey: new Map(strips.map((strip) => [strip.key, strip])) };
  if (!perSessions) {
    perSessions = new Map();
    memos.set(state.sessions, perSessions);
  }
  perSessions.set(memoKey, memo);
  latest.set(memoKey, memo);
  return memo;
}

function sameStrip(a: MixerStrip, b: MixerStrip): boolean {
  return STRIP_FIELDS.every((field) => (STRIP_FIELD_EQUALS[field] as (x: unknown, y: unknown) => boolean)(a[field], b[field]));
}

/** How each strip field compares: every field is listed, so a new one cannot be forgotten. */
const STRIP_FIELD_EQUALS: { [K in keyof MixerStrip]: (a: MixerStrip[K], b: MixerStrip[K]) => boolean } = {
  key: Object.is,
  sessionIds: sameList,
  displayName: Object.is,
  icon: Object.is,
  volume: Object.is,
  muted: Object.is,
  state: Object.is,
  isSystemSounds: Object.is,
  disconnected: Object.is,
  pids: sameList,
};
const STRIP_FIELDS = Object.keys(STRIP_FIELD_EQUALS) as (keyof MixerStrip)[];

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Devices of one flow a user can pick: the present ones. */
export function selectableDevices(state: MixerState, flow: Flow): DeviceRecord[] {
  return [...state.devices.values()].filter((device) => device.flow === flow && device.state === 'active');
}

export function defaultDevice(state: MixerState, flow: Flow): DeviceRecord | undefined {
  return defaultDeviceOf(state.devices.values(), flow);
}

/** The device the mixer shows: the user's pick while it exists, else the default (as Sndvol follows it). */
export function selectShownDeviceId(state: MixerState, flow: Flow): string | null {
  const picked = flow === 'render' ? state.selectedDeviceId : state.selectedCaptureDeviceId;
  const pickedDevice = picked ? state.devices.get(picked) : undefined;
  if (pickedDevice && pickedDevice.flow === flow && pickedDevice.state === 'active') return pickedDevice.id;
  return defaultDevice(state, flow)?.id ?? null;
}

/** Loudest peak of a strip's sessions (a grouped strip meters all of them). */
export function stripPeak(peaks: MixerState['peaks'], sessionIds: readonly string[]): number {
  let loudest = 0;
  for (const sessionId of sessionIds) loudest = Math.max(loudest, peaks[sessionId] ?? 0);
  return loudest;
}
