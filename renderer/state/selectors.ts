// Selectors over the store. Strips are derived with core's stripGroups/toStrip and
// memoised per sessions map; unchanged strips keep their object identity across patches, so
// a component selecting one strip re-renders only when that strip really changed.
// A strip is made when it is first selected: a list of hundreds needs only their keys,
// and the strips of those it mounts.
import type { DeviceRecord, Flow } from '../../native-bridge/types';
import type { SessionRecord } from '../../native-bridge/types';
import type { AppPreference, LastChange, Preferences } from '../../core/contract';
import { OUTSIDE_ORIGINS } from '../../core/contract';
import type { MixerStrip } from '../../core/mixer-view';
import { defaultDevice as defaultDeviceOf, groupKey, isShown, stripGroups, toStrip } from '../../core/mixer-view';
import { deltaIds } from './deltas';
import type { MixerState } from './store';

interface StripsMemo {
  /** Its device and flow, as `latest` is keyed. */
  memoKey: string;
  /** The sessions these strips were derived from. */
  sessions: MixerState['sessions'];
  /** Which strips there are: shared by every memo derived without a strip coming, going or moving. */
  layout: StripLayout;
  /**
   * The strips made so far, by key (see stripOf): one map handed on from memo to memo,
   * each taking out the strips its sessions changed, so a patch costs its own strips.
   * Only the newest memo of a device and flow (`latest`) uses it; an older one (an older
   * state asked again) keeps what it makes in `own`.
   */
  byKey: Map<string, MixerStrip>;
  own: Map<string, MixerStrip> | null;
  /** The strips this memo took out of byKey: one equal to the new one is kept instead of it. */
  before: ReadonlyMap<string, MixerStrip>;
  /** Every strip, once someone asked for all of them. */
  all: MixerStrip[] | null;
}

interface StripLayout {
  /** Each strip's session ids by key, in the strips' order. */
  groups: ReadonlyMap<string, readonly string[]>;
  /** The strip each shown session is in. */
  keyOf: ReadonlyMap<string, string>;
  /** The strips' keys, in order: the same array while no strip came, went or moved. */
  keys: readonly string[];
}

const memos = new WeakMap<MixerState['sessions'], Map<string, StripsMemo>>();
/** The last result per device and flow, to reuse equal strips from. */
const latest = new Map<string, StripsMemo>();

/** Every strip (each one made now if it was not yet). */
export function selectStrips(state: MixerState, deviceId: string, flow: Flow): MixerStrip[] {
  const memo = stripsMemo(state, deviceId, flow);
  memo.all ??= memo.layout.keys.map((key) => stripOf(memo, key) as MixerStrip);
  return memo.all;
}

/** The strips' keys: a list component selects these and re-renders only when strips come, go or move. */
export function selectStripKeys(state: MixerState, deviceId: string, flow: Flow): readonly string[] {
  return stripsMemo(state, deviceId, flow).layout.keys;
}

export function selectStrip(state: MixerState, deviceId: string, flow: Flow, key: string): MixerStrip | undefined {
  return stripOf(stripsMemo(state, deviceId, flow), key);
}

/**
 * The keys of the strips that can show something else in `state` than in `previous`:
 * those whose sessions or notes changed, when nothing else in the state did and the same
 * strips are there in both. Null when any strip may have changed.
 */
export function changedStripKeys(state: MixerState, previous: MixerState, deviceId: string, flow: Flow): ReadonlySet<string> | null {
  for (const field in state) {
    if (field !== 'sessions' && field !== 'notes' && state[field as keyof MixerState] !== previous[field as keyof MixerState]) return null;
  }
  const before = memos.get(previous.sessions)?.get(memoKeyOf(deviceId, flow));
  const sessionIds = deltaIds(state.sessions, previous.sessions);
  const noteIds = deltaIds(state.notes, previous.notes);
  if (!before || !sessionIds || !noteIds) return null;
  const { layout } = stripsMemo(state, deviceId, flow);
  if (layout !== before.layout) return null;
  const keys = new Set<string>();
  for (const ids of [sessionIds, noteIds]) {
    for (const id of ids) {
      const key = layout.keyOf.get(id);
      if (key !== undefined) keys.add(key);
    }
  }
  return keys;
}

/** A strip, made on first use: the one from before when equal (so its selectors see no change). */
function stripOf(memo: StripsMemo, key: string): MixerStrip | undefined {
  const made = latest.get(memo.memoKey) === memo ? memo.byKey : (memo.own ??= new Map());
  const strip = made.get(key);
  if (strip) return strip;
  const ids = memo.layout.groups.get(key);
  if (!ids) return undefined;
  const fresh = reuse(memo.before.get(key), toStrip(key, ids.map((id) => memo.sessions.get(id) as SessionRecord)));
  made.set(key, fresh);
  return fresh;
}

function memoKeyOf(deviceId: string, flow: Flow): string {
  return `${flow}\u0000${deviceId}`;
}

function stripsMemo(state: MixerState, deviceId: string, flow: Flow): StripsMemo {
  const memoKey = memoKeyOf(deviceId, flow);
  let perSessions = memos.get(state.sessions);
  const cached = perSessions?.get(memoKey);
  if (cached) return cached;

  const previous = latest.get(memoKey);
  const memo = (previous && rederiveChanged(previous, state.sessions, deviceId, flow)) ?? derive(previous, memoKey, state.sessions, deviceId, flow);
  if (!perSessions) {
    perSessions = new Map();
    memos.set(state.sessions, perSessions);
  }
  perSessions.set(memoKey, memo);
  latest.set(memoKey, memo);
  return memo;
}

const NO_STRIPS: ReadonlyMap<string, MixerStrip> = new Map();

function derive(previous: StripsMemo | undefined, memoKey: string, sessions: MixerState['sessions'], deviceId: string, flow: Flow): StripsMemo {
  const groups = new Map<string, readonly string[]>();
  const keyOf = new Map<string, string>();
  for (const [key, members] of stripGroups(sessions.values(), deviceId, flow)) {
    groups.set(key, members.map((member) => member.id));
    for (const member of members) keyOf.set(member.id, key);
  }
  const keys = [...groups.keys()];
  return {
    memoKey,
    sessions,
    layout: { groups, keyOf, keys: previous && sameList(previous.layout.keys, keys) ? previous.layout.keys : keys },
    byKey: new Map(),
    own: null,
    before: previous?.byKey ?? NO_STRIPS,
    all: null,
  };
}

/** The strip to keep: the one from before when equal, else the new one (keeping its session list when that is equal). */
function reuse(before: MixerStrip | undefined, strip: MixerStrip): MixerStrip {
  if (!before) return strip;
  if (sameStrip(before, strip)) return before;
  // Same sessions, other values: keep the lists' identity, so what is keyed on them (the
  // peak meter, the head's memo) carries on instead of restarting at every volume step.
  if (!sameList(before.sessionIds, strip.sessionIds)) return strip;
  return { ...strip, sessionIds: before.sessionIds, pids: sameList(before.pids, strip.pids) ? before.pids : strip.pids };
}

/**
 * The common update, one session's values changing, costs the changed strips only: when
 * the same sessions are there and none moved to another strip or in or out of view, the
 * layout is kept and only the strips of changed sessions are made again. Null when the
 * layout may have changed. The changed sessions are the patch's (deltas.ts) when the
 * sessions came from the previous ones by one patch, else found by comparing them all.
 */
function rederiveChanged(previous: StripsMemo, sessions: MixerState['sessions'], deviceId: string, flow: Flow): StripsMemo | null {
  if (sessions.size !== previous.sessions.size) return null;
  const changedKeys = new Set<string>();
  const check = (id: string, session: SessionRecord | undefined): boolean => {
    const before = previous.sessions.get(id);
    if (before === session) return true;
    if (!before || !session || !samePlace(before, session, deviceId, flow)) return false;
    if (session.deviceId === deviceId && isShown(session, flow)) changedKeys.add(groupKey(session));
    return true;
  };
  const ids = deltaIds(sessions, previous.sessions);
  if (ids) {
    for (const id of ids) if (!check(id, sessions.get(id))) return null;
  } else {
    for (const [id, session] of sessions) if (!check(id, session)) return null;
  }
  const before = new Map<string, MixerStrip>();
  for (const key of changedKeys) {
    const strip = previous.byKey.get(key);
    if (strip) before.set(key, strip);
    previous.byKey.delete(key);
  }
  return { memoKey: previous.memoKey, sessions, layout: previous.layout, byKey: previous.byKey, own: null, before, all: null };
}

/** Whether a session changed nothing that decides which strip it is in, or whether it is shown. */
function samePlace(before: SessionRecord, after: SessionRecord, deviceId: string, flow: Flow): boolean {
  return (
    before.deviceId === after.deviceId &&
    groupKey(before) === groupKey(after) &&
    (before.deviceId !== deviceId || isShown(before, flow) === isShown(after, flow))
  );
}

function sameStrip(a: MixerStrip, b: MixerStrip): boolean {
  return sameFieldsOf(STRIP_FIELDS, a, b);
}

/** A strip as its frame shows it: everything but the volume, which its slider takes for itself. */
export type StripApartFromVolume = Omit<MixerStrip, 'volume'>;

/** Whether two strips differ in their volume at most (so a volume step need not render the strip's frame again). */
export function sameApartFromVolume(a: StripApartFromVolume | undefined, b: StripApartFromVolume | undefined): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && sameFieldsOf(FIELDS_APART_FROM_VOLUME, a, b);
}

function sameFieldsOf<Strip extends StripApartFromVolume>(fields: readonly (keyof Strip & keyof MixerStrip)[], a: Strip, b: Strip): boolean {
  return fields.every((field) => (STRIP_FIELD_EQUALS[field] as (x: unknown, y: unknown) => boolean)(a[field], b[field]));
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
const FIELDS_APART_FROM_VOLUME = STRIP_FIELDS.filter((field): field is keyof StripApartFromVolume => field !== 'volume');

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

/** A strip's app key, from its first session's note (a strip's sessions are one app); undefined before the note arrived. */
export function selectAppKey(state: Pick<MixerState, 'notes'>, sessionIds: readonly string[]): string | undefined {
  const first = sessionIds[0];
  return first === undefined ? undefined : state.notes[first]?.appKey;
}

/** The user's name for a device, else its own: what its strip, the device pickers and the section headers show. */
export function deviceDisplayName(devicePreferences: Preferences['devices'], device: Pick<DeviceRecord, 'id' | 'name'>): string {
  return devicePreferences[device.id]?.name ?? device.name;
}

export function selectDeviceName(state: Pick<MixerState, 'devices' | 'preferences'>, deviceId: string): string {
  const device = state.devices.get(deviceId);
  return device ? deviceDisplayName(state.preferences.devices, device) : '';
}

/** The user's hide/rename choice for a strip's app; undefined: the defaults (shown, own name). */
export function selectAppPreference(state: Pick<MixerState, 'notes' | 'preferences'>, sessionIds: readonly string[]): AppPreference | undefined {
  return appPreferenceOf(state, sessionIds[0]);
}

function appPreferenceOf(state: Pick<MixerState, 'notes' | 'preferences'>, firstSessionId: string | undefined): AppPreference | undefined {
  const appKey = firstSessionId === undefined ? undefined : state.notes[firstSessionId]?.appKey;
  return appKey === undefined ? undefined : state.preferences.apps[appKey];
}

const visibleKeys = new WeakMap<readonly string[], readonly string[]>();
const hidesAny = new WeakMap<Preferences['apps'], boolean>();

/**
 * The keys of the strips a panel shows: hidden apps' strips only while "Show hidden" is on.
 * The same array while the shown strips hold, so a list can select it without comparing.
 * Every strip is looked at only while some app is hidden (a list selects this at every change).
 */
export function selectVisibleStripKeys(state: MixerState, deviceId: string, flow: Flow): readonly string[] {
  const keys = selectStripKeys(state, deviceId, flow);
  if (state.showHidden || !hidesAnyApp(state.preferences.apps)) return keys;
  const { groups } = stripsMemo(state, deviceId, flow).layout;
  // A strip's app is its first session's (selectAppKey).
  const shown = keys.filter((key) => appPreferenceOf(state, (groups.get(key) as readonly string[])[0])?.hidden !== true);
  if (shown.length === keys.length) return keys;
  const previous = visibleKeys.get(keys);
  if (previous && sameList(previous, shown)) return previous;
  visibleKeys.set(keys, shown);
  return shown;
}

/** Whether the user hid any app: worked out once per preferences object. */
export function hidesAnyApp(apps: Preferences['apps']): boolean {
  let hides = hidesAny.get(apps);
  if (hides === undefined) hidesAny.set(apps, (hides = Object.values(apps).some((preference) => preference.hidden === true)));
  return hides;
}

/** The newest last change among a strip's sessions, with the session it was on; null when none is known. */
export function selectLastChange(state: Pick<MixerState, 'notes'>, sessionIds: readonly string[]): LastChange | null {
  let newest: LastChange | null = null;
  for (const id of sessionIds) {
    const change = state.notes[id]?.lastChange ?? null;
    if (change && (!newest || change.time > newest.time)) newest = change;
  }
  return newest;
}

/** Whether the strip's app keeps changing its own volume (the host's judgement, per session). */
export function selectChangesItself(state: Pick<MixerState, 'notes'>, sessionIds: readonly string[]): boolean {
  return sessionIds.some((id) => state.notes[id]?.changesItself === true);
}

/** The sessions whose last change came from outside SndMix: what "Undo outside change" puts back. */
export function selectOutsideChanged(state: Pick<MixerState, 'notes'>, sessionIds: readonly string[]): string[] {
  return sessionIds.filter((id) => isOutside(state.notes[id]?.lastChange ?? null));
}

export function isOutside(change: LastChange | null): boolean {
  return change !== null && OUTSIDE_ORIGINS.includes(change.origin);
}
