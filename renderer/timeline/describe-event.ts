// Turns a logged backend event into a timeline entry: who it is about and, for every
// field it changes, the value before and after. "Before" comes from the values this
// client last saw (the `known` maps), read before the event is applied to them: the
// mixer store cannot tell, because the host sends the patch ahead of the events.
import type { KnownRecords, LoggedEvent, SessionFieldEvent, SessionFieldEventType } from '../../core/contract';
import { isSessionFieldEvent, sameValue, sessionEventValues } from '../../core/contract';
import type { DeviceRecord, OutputRoute, SessionRecord } from '../../native-bridge/types';
import type { StringKey } from '../i18n/keys';

/** How a missing value reads in the data (CSV, search); the view shows it in the UI's words. */
export const NO_VALUE = 'none';

/** Words of the UI (translated where shown, English in exports) with their values. */
export interface Phrase {
  key: StringKey;
  values?: Record<string, string | number>;
}

/** One piece of an entry's detail: data as it is (a GUID, a device's name), or a phrase. */
export type DetailPart = string | Phrase;

export interface FieldChange {
  field: string;
  /** Null when the value before is not known (the first time a thing is seen). */
  old: string | null;
  new: string;
}

export interface TimelineEntry {
  /** This client's running number: unique even across server restarts (unlike seq). */
  id: number;
  event: LoggedEvent;
  sessionId: string | null;
  deviceId: string | null;
  /** The session's display name or the device's name, as known when the event arrived. */
  subject: string;
  pid: number | null;
  processName: string | null;
  changes: readonly FieldChange[];
  /** Whatever else the event says (reason, channel, event context…), for people: pieces joined by " · ". */
  detail: readonly DetailPart[];
}

export type EventDescription = Omit<TimelineEntry, 'id'>;

export function describeEvent(event: LoggedEvent, known: KnownRecords): EventDescription {
  if (isSessionFieldEvent(event)) {
    return {
      ...aboutSession(event.sessionId, known),
      event,
      changes: fieldChanges(known.sessions.get(event.sessionId), shownValues(sessionEventValues(event))),
      detail: sessionDetail(event),
    };
  }
  switch (event.type) {
    case 'session-created':
      return {
        ...aboutSession(event.session.id, known, event.session),
        event,
        changes: [],
        detail: [{ key: `sessionState.${event.session.state}` }, { key: `flow.${event.session.flow}` }, deviceName(known, event.session.deviceId)],
      };
    case 'device-added':
      return {
        ...aboutDevice(event.device.id, known, event.device),
        event,
        changes: [],
        detail: [{ key: `flow.${event.device.flow}` }, { key: `deviceState.${event.device.state}` }],
      };
    case 'device-removed':
      return { ...aboutDevice(event.deviceId, known), event, changes: [], detail: [] };
    case 'device-changed': {
      const { id, ...values } = event.device;
      return { ...aboutDevice(id, known, event.device), event, changes: fieldChanges(known.devices.get(id), values), detail: [] };
    }
    case 'default-device-changed': {
      const before = [...known.devices.values()].find(
        (device) => device.flow === event.flow && device.defaultFor.includes(event.role),
      );
      return {
        ...aboutDevice(event.deviceId, known),
        event,
        changes: [
          {
            field: `default ${event.flow} ${event.role}`,
            old: before ? before.name : NO_VALUE,
            new: event.deviceId === null ? NO_VALUE : deviceName(known, event.deviceId),
          },
        ],
        detail: [],
      };
    }
    case 'duck':
      return {
        ...aboutSession(event.sessionId, known),
        deviceId: event.deviceId,
        event,
        changes: [],
        detail: [{ key: 'events.communicationSessions', values: { count: event.communicationSessions } }],
      };
    case 'unduck':
      return { ...aboutSession(event.sessionId, known), deviceId: event.deviceId, event, changes: [], detail: [] };
  }
}

/** Whatever a session field event says beyond the values it gives, for people. */
const SESSION_DETAIL: { [T in SessionFieldEventType]: (event: Extract<SessionFieldEvent, { type: T }>) => DetailPart[] } = {
  'state-changed': (event) => (event.terminated ? [{ key: 'events.endedRemoved' }] : []),
  'display-name-changed': () => [],
  'icon-changed': (event) => [{ key: event.icon ? 'events.iconResolved' : 'events.noIcon' }],
  'volume-changed': (event) => [context(event.eventContext)],
  'channel-volume-changed': (event) => [
    event.changedChannel < 0 ? { key: 'events.allChannels' } : { key: 'events.channel', values: { channel: event.changedChannel } },
    context(event.eventContext),
  ],
  'grouping-changed': (event) => [context(event.eventContext)],
  'streams-changed': () => [],
  'output-route-changed': () => [],
  disconnected: () => [],
};

const context = (eventContext: string): Phrase => ({ key: 'events.context', values: { context: eventContext } });

function sessionDetail(event: SessionFieldEvent): DetailPart[] {
  return (SESSION_DETAIL[event.type] as (event: SessionFieldEvent) => DetailPart[])(event);
}

/** The detail in a translator's words: the view's language on screen, English in exports. */
export function detailText(detail: readonly DetailPart[], t: Translate): string {
  return detail.map((part) => (typeof part === 'string' ? part : t(part.key, part.values))).join(' · ');
}

/** What detailText needs of a translator (i18next's t, or a test's). */
export type Translate = (key: StringKey, values?: Record<string, string | number>) => string;

/** A resolved icon is image data: the timeline says whether there is one (detail), not what it is. */
function shownValues(values: Partial<SessionRecord>): Partial<SessionRecord> {
  const { icon, ...shown } = values;
  return shown;
}

/**
 * How a value reads in the timeline and in CSV: volumes with two decimals, lists in
 * brackets, an output route as "follows-default" or "pinned <device id>".
 */
function formatValue(value: unknown, field?: string): string {
  if (value === null || value === undefined) return NO_VALUE;
  if (typeof value === 'number') return field !== undefined && VOLUME_FIELDS.has(field) ? value.toFixed(2) : String(value);
  if (Array.isArray(value)) return `[${value.map((item) => formatValue(item, field)).join(', ')}]`;
  if (field === 'outputRoute') return formatOutputRoute(value as OutputRoute);
  return String(value);
}

function formatOutputRoute(route: OutputRoute): string {
  switch (route.kind) {
    case 'follows-default':
      return route.kind;
    case 'pinned':
      return `${route.kind} ${route.deviceId}`;
  }
}

/** Fields holding volume scalars (0..1), of sessions and devices alike. */
const VOLUME_FIELDS: ReadonlySet<string> = new Set<keyof SessionRecord | keyof DeviceRecord>(['volume', 'channelVolumes']);

type EntryAbout = Pick<EventDescription, 'sessionId' | 'deviceId' | 'subject' | 'pid' | 'processName'>;

function aboutSession(sessionId: string, known: KnownRecords, given?: SessionRecord): EntryAbout {
  const session = given ?? known.sessions.get(sessionId);
  return {
    sessionId,
    deviceId: session?.deviceId ?? null,
    subject: session?.displayName ?? sessionId,
    pid: session?.pid ?? null,
    processName: session?.processName ?? null,
  };
}

function aboutDevice(deviceId: string | null, known: KnownRecords, given?: DeviceRecord): EntryAbout {
  return {
    sessionId: null,
    deviceId,
    // The view says "no device" in its words (Timeline.tsx); the data keeps it in English.
    subject: deviceId === null ? 'no device' : (given?.name ?? deviceName(known, deviceId)),
    pid: null,
    processName: null,
  };
}

function deviceName(known: KnownRecords, deviceId: string): string {
  return known.devices.get(deviceId)?.name ?? deviceId;
}

/**
 * The fields that differ between the known record and the event's values; when none
 * differ (a repeated notification), the first field is still listed, unchanged.
 */
function fieldChanges<T extends object>(before: T | undefined, after: Partial<T>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(after)) {
    const previous: unknown = before ? before[field as keyof T] : undefined;
    if (before && sameValue(previous, value)) continue;
    changes.push({ field, old: before ? formatValue(previous, field) : null, new: formatValue(value, field) });
  }
  const [first] = Object.entries(after);
  if (changes.length === 0 && first) {
    const [field, value] = first;
    changes.push({ field, old: formatValue(value, field), new: formatValue(value, field) });
  }
  return changes;
}
