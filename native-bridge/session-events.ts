// The one event vocabulary: for every backend event type, what it does to the session and
// device records a listener keeps. The engine host's store, the renderer's timeline (through
// core/contract) and the pulse backend's snapshot diff all go through these functions, so an
// event means the same thing everywhere, and a new record field or event type is added here
// once (the tables are checked by the compiler for completeness).
import type {
  BackendEvent,
  BackendEventType,
  DeviceRecord,
  DeviceRole,
  Flow,
  SessionRecord,
} from './types';

type EventOfType<T extends BackendEventType> = Extract<BackendEvent, { type: T }>;

/**
 * For every field of a session record, the one event type that changes it. 'identity'
 * fields are given when the session is created and no event changes them: a session
 * whose identity differs is another session (R1).
 */
export const SESSION_FIELD_CHANGED_BY = {
  id: 'identity',
  sessionGuid: 'identity',
  crossProcess: 'identity',
  pid: 'identity',
  processName: 'identity',
  deviceId: 'identity',
  flow: 'identity',
  isSystemSounds: 'identity',
  sessionIdentifier: 'identity',
  sessionInstanceIdentifier: 'identity',
  state: 'state-changed',
  displayName: 'display-name-changed',
  displayNameSource: 'display-name-changed',
  iconPath: 'icon-changed',
  icon: 'icon-changed',
  volume: 'volume-changed',
  muted: 'volume-changed',
  channelVolumes: 'channel-volume-changed',
  groupingParam: 'grouping-changed',
  disconnected: 'disconnected',
  mediaTitles: 'streams-changed',
  streamCount: 'streams-changed',
  outputRoute: 'output-route-changed',
} as const satisfies Record<keyof SessionRecord, BackendEventType | 'identity'>;

type ChangedBy = typeof SESSION_FIELD_CHANGED_BY;
type SessionField = keyof ChangedBy;
type IdentityField = FieldsChangedBy<'identity'>;
/** The event types that change fields of a session record. */
export type SessionFieldEventType = Exclude<ChangedBy[SessionField], 'identity'>;
export type SessionFieldEvent = EventOfType<SessionFieldEventType>;
type FieldsChangedBy<T> = { [K in SessionField]: ChangedBy[K] extends T ? K : never }[SessionField];
export type SessionChanges = Partial<Omit<SessionRecord, 'id'>>;

/** What a session is before any event says otherwise; a backend gives what it knows on top. */
function newSessionValues(): Omit<SessionRecord, IdentityField> {
  return {
    state: 'inactive',
    displayName: '',
    displayNameSource: 'generic',
    iconPath: '',
    icon: null,
    volume: 1,
    muted: false,
    channelVolumes: [],
    groupingParam: '',
    disconnected: null,
    mediaTitles: [],
    streamCount: null,
    outputRoute: null,
  };
}

/**
 * A new session record: its identity, and whatever else the backend already knows.
 * Object.assign, not two spreads: V8 (Node 20) spreads a second object whose keys overlap
 * the first's on a slow path, ~10-18 µs a record against ~0.3 µs (the pulse backend makes
 * every session's record again at each server event).
 */
export function newSessionRecord(facts: Pick<SessionRecord, IdentityField> & Partial<SessionRecord>): SessionRecord {
  return Object.assign(newSessionValues(), facts);
}

interface SessionFieldRule<T extends SessionFieldEventType> {
  /** The values an event of this type gives the fields it changes. */
  values(event: EventOfType<T>): Pick<SessionRecord, FieldsChangedBy<T>>;
  /**
   * The event that tells a listener `after`'s values of those fields, coming from `before`
   * (they differ in at least one); null where no event of this type can say it.
   */
  derive(after: SessionRecord, before: SessionRecord, eventContext: string): EventOfType<T> | null;
}

// In the order a listener can apply them: the new state last, once the session reads right.
const SESSION_FIELD_RULES: { [T in SessionFieldEventType]: SessionFieldRule<T> } = {
  'display-name-changed': {
    values: ({ displayName, displayNameSource }) => ({ displayName, displayNameSource }),
    derive: ({ id, displayName, displayNameSource }) => ({ type: 'display-name-changed', sessionId: id, displayName, displayNameSource }),
  },
  'icon-changed': {
    values: ({ iconPath, icon }) => ({ iconPath, icon }),
    derive: ({ id, iconPath, icon }) => ({ type: 'icon-changed', sessionId: id, iconPath, icon }),
  },
  'volume-changed': {
    values: ({ volume, muted }) => ({ volume, muted }),
    derive: ({ id, volume, muted }, _before, eventContext) => ({ type: 'volume-changed', sessionId: id, volume, muted, eventContext }),
  },
  'channel-volume-changed': {
    values: ({ channelVolumes }) => ({ channelVolumes }),
    derive: ({ id, channelVolumes }, before, eventContext) => ({
      type: 'channel-volume-changed',
      sessionId: id,
      channelVolumes: [...channelVolumes],
      changedChannel: changedChannel(before.channelVolumes, channelVolumes),
      eventContext,
    }),
  },
  'grouping-changed': {
    values: ({ groupingParam }) => ({ groupingParam }),
    derive: ({ id, groupingParam }, _before, eventContext) => ({ type: 'grouping-changed', sessionId: id, groupingParam, eventContext }),
  },
  'streams-changed': {
    values: ({ mediaTitles, streamCount }) => ({ mediaTitles, streamCount }),
    derive: ({ id, mediaTitles, streamCount }) => ({ type: 'streams-changed', sessionId: id, mediaTitles: [...mediaTitles], streamCount }),
  },
  'output-route-changed': {
    values: ({ outputRoute }) => ({ outputRoute }),
    derive: ({ id, outputRoute }) => ({ type: 'output-route-changed', sessionId: id, outputRoute }),
  },
  disconnected: {
    values: ({ reason }) => ({ disconnected: reason }),
    // A session is never reconnected: it comes back as a new one.
    derive: ({ id, disconnected }) => (disconnected === null ? null : { type: 'disconnected', sessionId: id, reason: disconnected }),
  },
  'state-changed': {
    values: ({ state }) => ({ state }),
    // Ending a session (terminated) is its removal, which no pair of snapshots of it shows.
    derive: ({ id, state }) => ({ type: 'state-changed', sessionId: id, state, terminated: false }),
  },
};

const SESSION_FIELD_EVENT_TYPES = Object.keys(SESSION_FIELD_RULES) as SessionFieldEventType[];

/** Whether an event sets fields of one session (and is read with sessionEventValues). */
export function isSessionFieldEvent<E extends BackendEvent>(event: E): event is Extract<E, SessionFieldEvent> {
  return Object.hasOwn(SESSION_FIELD_RULES, event.type);
}

const FIELDS_BY_EVENT_TYPE = new Map<SessionFieldEventType, SessionField[]>(
  SESSION_FIELD_EVENT_TYPES.map((type) => [
    type,
    (Object.keys(SESSION_FIELD_CHANGED_BY) as SessionField[]).filter((field) => SESSION_FIELD_CHANGED_BY[field] === type),
  ]),
);

/** The session fields an event type changes, in record order. */
export function fieldsChangedBy(type: SessionFieldEventType): readonly SessionField[] {
  return FIELDS_BY_EVENT_TYPE.get(type) ?? [];
}

/** The new values a session field event carries, by field. */
export function sessionEventValues(event: SessionFieldEvent): SessionChanges {
  // One rule per type; TypeScript cannot pair a union event with its rule by itself.
  const rule = SESSION_FIELD_RULES[event.type] as SessionFieldRule<SessionFieldEventType>;
  return rule.values(event as never);
}

/**
 * The events that bring a listener from one snapshot of a session to the next (same id):
 * one per event type whose fields differ. `eventContext` says who made a level change.
 */
export function deriveSessionEvents(before: SessionRecord, after: SessionRecord, eventContext: string): SessionFieldEvent[] {
  const events: SessionFieldEvent[] = [];
  for (const type of SESSION_FIELD_EVENT_TYPES) {
    const differs = fieldsChangedBy(type).some((field) => !sameValue(before[field], after[field]));
    if (!differs) continue;
    const event = (SESSION_FIELD_RULES[type] as SessionFieldRule<SessionFieldEventType>).derive(after, before, eventContext);
    if (event) events.push(event);
  }
  return events;
}

/** The fields of `after` that differ from `before`, or null when none do. */
export function changedSessionFields(before: SessionRecord, after: SessionRecord): SessionChanges | null {
  const changes: Record<string, unknown> = {};
  for (const field of Object.keys(SESSION_FIELD_CHANGED_BY) as SessionField[]) {
    if (field !== 'id' && !sameValue(before[field], after[field])) changes[field] = after[field];
  }
  return Object.keys(changes).length > 0 ? (changes as SessionChanges) : null;
}

/** Whether two device records say the same (devices change as a whole: device-changed). */
export function sameDevice(a: DeviceRecord, b: DeviceRecord): boolean {
  return (Object.keys({ ...a, ...b }) as (keyof DeviceRecord)[]).every((field) => sameValue(a[field], b[field]));
}

/** The records a listener keeps, by id. */
export interface KnownRecords {
  readonly sessions: Map<string, SessionRecord>;
  readonly devices: Map<string, DeviceRecord>;
}

/** What applying an event changed in the known records (nothing, for a repeated notification). */
export type RecordChange =
  | { kind: 'session-added'; session: SessionRecord }
  | { kind: 'session-changed'; id: string; changes: SessionChanges }
  | { kind: 'session-removed'; id: string }
  | { kind: 'device-upserted'; device: DeviceRecord }
  | { kind: 'device-removed'; id: string };

/** Applies a backend event to the known records, in place, and says what changed. */
export function applyEvent(known: KnownRecords, event: BackendEvent): RecordChange[] {
  if (event.type === 'state-changed' && event.terminated) {
    return known.sessions.delete(event.sessionId) ? [{ kind: 'session-removed', id: event.sessionId }] : [];
  }
  if (isSessionFieldEvent(event)) return patchSession(known, event.sessionId, sessionEventValues(event));
  switch (event.type) {
    case 'session-created':
      known.sessions.set(event.session.id, event.session);
      return [{ kind: 'session-added', session: event.session }];
    case 'device-added':
    case 'device-changed':
      return upsertDevice(known, event.device);
    case 'device-removed':
      return known.devices.delete(event.deviceId) ? [{ kind: 'device-removed', id: event.deviceId }] : [];
    case 'default-device-changed':
      return moveDefault(known, event.flow, event.role, event.deviceId);
    case 'duck':
    case 'unduck':
      return [];
  }
}

/** Sets fields of a known session (an event's values, or a command's accepted ones). */
export function patchSession(known: KnownRecords, id: string, fields: SessionChanges): RecordChange[] {
  const current = known.sessions.get(id);
  if (!current) return [];
  const next = { ...current, ...fields };
  const changes = changedSessionFields(current, next);
  if (!changes) return [];
  known.sessions.set(id, next);
  return [{ kind: 'session-changed', id, changes }];
}

export function upsertDevice(known: KnownRecords, device: DeviceRecord): RecordChange[] {
  const current = known.devices.get(device.id);
  if (current && sameDevice(current, device)) return [];
  known.devices.set(device.id, device);
  return [{ kind: 'device-upserted', device }];
}

/** The role's default moves to `deviceId` (null: no device has it) among the flow's devices. */
function moveDefault(known: KnownRecords, flow: Flow, role: DeviceRole, deviceId: string | null): RecordChange[] {
  const changes: RecordChange[] = [];
  for (const device of [...known.devices.values()]) {
    if (device.flow !== flow) continue;
    const has = device.defaultFor.includes(role);
    const should = device.id === deviceId;
    if (has === should) continue;
    const defaultFor = should ? [...device.defaultFor, role] : device.defaultFor.filter((other) => other !== role);
    changes.push(...upsertDevice(known, { ...device, defaultFor }));
  }
  return changes;
}

/** The one channel that changed, or -1 when several did or the channel count changed. */
function changedChannel(before: readonly number[], after: readonly number[]): number {
  if (before.length !== after.length) return -1;
  const changed = after.flatMap((volume, channel) => (volume !== before[channel] ? [channel] : []));
  return changed.length === 1 ? (changed[0] ?? -1) : -1;
}

/** Record values are primitives, null, or lists of primitives. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => item === b[index]);
  // Flat objects of values (a device's volumeRangeDb).
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) || Array.isArray(b)) return false;
  const keys = Object.keys({ ...a, ...b });
  return keys.every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}
