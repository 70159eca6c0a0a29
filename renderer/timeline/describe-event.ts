// Turns a logged backend event into a timeline entry: who it is about and, for every
// field it changes, the value before and after. "Before" comes from the values this
// client last saw (the `known` maps), read before the event is applied to them: the
// mixer store cannot tell, because the host sends the patch ahead of the events.
import type { LoggedEvent } from '../../core/contract';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';

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
  /** Whatever else the event says (reason, channel, event context…), for people. */
  detail: string;
}

export interface KnownValues {
  sessions: Map<string, SessionRecord>;
  devices: Map<string, DeviceRecord>;
}

export type EventDescription = Omit<TimelineEntry, 'id'>;

export function describeEvent(event: LoggedEvent, known: KnownValues): EventDescription {
  switch (event.type) {
    case 'session-created':
      return {
        ...aboutSession(event.session.id, known, event.session),
        event,
        changes: [],
        detail: [event.session.state, event.session.flow, deviceName(known, event.session.deviceId)].join(' · '),
      };
    case 'state-changed':
      return {
        ...aboutSession(event.sessionId, known),
        event,
        changes: changesOf(known.sessions.get(event.sessionId), { state: event.state }, 'state'),
        detail: event.terminated ? 'ended: removed from the device' : '',
      };
    case 'display-name-changed':
      return {
        ...aboutSession(event.sessionId, known),
        event,
        changes: changesOf(
          known.sessions.get(event.sessionId),
          { displayName: event.displayName, displayNameSource: event.displayNameSource },
          'displayName',
        ),
        detail: '',
      };
    case 'icon-changed':
      return {
        ...aboutSession(event.sessionId, known),
        event,
        changes: changesOf(known.sessions.get(event.sessionId), { iconPath: event.iconPath }, 'iconPath'),
        detail: event.icon ? 'icon resolved' : 'no icon resolved',
      };
    case 'volume-changed':
      return {
        ...aboutSession(event.sessionId, known),
        event,
        changes: changesOf(
          known.sessions.get(event.sessionId),
          { volume: event.volume, muted: event.muted },
          'volume',
        ),
        detail: `context ${event.eventContext}`,
      };
    case 'channel-volume-changed':
      return {
        ...aboutSession(event.sessionId, known),
        event,
        changes: changesOf(
          known.sessions.get(event.sessionId),
          { channelVolumes: event.channelVolumes },
          'channelVolumes',
        ),
        detail: `${event.changedChannel < 0 ? 'all channels' : `channel ${event.changedChannel}`} · context ${event.eventContext}`,
      };
    case 'grouping-changed':
      return {
        ...aboutSession(event.sessionId, known),
        event,
        changes: changesOf(
          known.sessions.get(event.sessionId),
          { groupingParam: event.groupingParam },
          'groupingParam',
        ),
        detail: `context ${event.eventContext}`,
      };
    case 'disconnected':
      return {
        ...aboutSession(event.sessionId, known),
        event,
        changes: changesOf(known.sessions.get(event.sessionId), { disconnected: event.reason }, 'disconnected'),
        detail: '',
      };
    case 'device-added':
      return {
        ...aboutDevice(event.device.id, known, event.device),
        event,
        changes: [],
        detail: `${event.device.flow} · ${event.device.state}`,
      };
    case 'device-removed':
      return { ...aboutDevice(event.deviceId, known), event, changes: [], detail: '' };
    case 'device-changed':
      return {
        ...aboutDevice(event.device.id, known, event.device),
        event,
        changes: changesOf(
          known.devices.get(event.device.id),
          {
            name: event.device.name,
            state: event.device.state,
            volume: event.device.volume,
            muted: event.device.muted,
            defaultFor: event.device.defaultFor,
          },
          'state',
        ),
        detail: '',
      };
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
            old: before ? before.name : 'none',
            new: event.deviceId === null ? 'none' : deviceName(known, event.deviceId),
          },
        ],
        detail: '',
      };
    }
    case 'duck':
      return {
        ...aboutSession(event.sessionId, known),
        deviceId: event.deviceId,
        event,
        changes: [],
        detail: `${event.communicationSessions} communication session${event.communicationSessions === 1 ? '' : 's'}`,
      };
    case 'unduck':
      return { ...aboutSession(event.sessionId, known), deviceId: event.deviceId, event, changes: [], detail: '' };
  }
}

/** Applies an event to the known values, as the engine host applies it to its store. */
export function applyEventToKnown(event: LoggedEvent, known: KnownValues): void {
  const { sessions, devices } = known;
  const patchSession = (id: string, fields: Partial<SessionRecord>) => {
    const current = sessions.get(id);
    if (current) sessions.set(id, { ...current, ...fields });
  };
  switch (event.type) {
    case 'session-created':
      sessions.set(event.session.id, event.session);
      return;
    case 'state-changed':
      if (event.terminated) sessions.delete(event.sessionId);
      else patchSession(event.sessionId, { state: event.state });
      return;
    case 'display-name-changed':
      patchSession(event.sessionId, { displayName: event.displayName, displayNameSource: event.displayNameSource });
      return;
    case 'icon-changed':
      patchSession(event.sessionId, { iconPath: event.iconPath, icon: event.icon });
      return;
    case 'volume-changed':
      patchSession(event.sessionId, { volume: event.volume, muted: event.muted });
      return;
    case 'channel-volume-changed':
      patchSession(event.sessionId, { channelVolumes: event.channelVolumes });
      return;
    case 'grouping-changed':
      patchSession(event.sessionId, { groupingParam: event.groupingParam });
      return;
    case 'disconnected':
      patchSession(event.sessionId, { disconnected: event.reason });
      return;
    case 'device-added':
    case 'device-changed':
      devices.set(event.device.id, event.device);
      return;
    case 'device-removed':
      devices.delete(event.deviceId);
      return;
    case 'default-device-changed':
      for (const device of devices.values()) {
        if (device.flow !== event.flow) continue;
        const has = device.defaultFor.includes(event.role);
        const should = device.id === event.deviceId;
        if (has === should) continue;
        const defaultFor = should ? [...device.defaultFor, event.role] : device.defaultFor.filter((role) => role !== event.role);
        devices.set(device.id, { ...device, defaultFor });
      }
      return;
    case 'duck':
    case 'unduck':
      return;
  }
}

/** How a value reads in the timeline and in CSV: volumes with two decimals, lists in brackets. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  // The only numbers events change are volume scalars (0..1).
  if (typeof value === 'number') return value.toFixed(2);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  return String(value);
}

type EntryAbout = Pick<EventDescription, 'sessionId' | 'deviceId' | 'subject' | 'pid' | 'processName'>;

function aboutSession(sessionId: string, known: KnownValues, given?: SessionRecord): EntryAbout {
  const session = given ?? known.sessions.get(sessionId);
  return {
    sessionId,
    deviceId: session?.deviceId ?? null,
    subject: session?.displayName ?? sessionId,
    pid: session?.pid ?? null,
    processName: session?.processName ?? null,
  };
}

function aboutDevice(deviceId: string | null, known: KnownValues, given?: DeviceRecord): EntryAbout {
  return {
    sessionId: null,
    deviceId,
    subject: deviceId === null ? 'no device' : (given?.name ?? deviceName(known, deviceId)),
    pid: null,
    processName: null,
  };
}

function deviceName(known: KnownValues, deviceId: string): string {
  return known.devices.get(deviceId)?.name ?? deviceId;
}

/**
 * The fields that differ between the known record and the event's values; when none
 * differ (a repeated notification), the main field is still listed, unchanged.
 */
function changesOf<T extends object>(before: T | undefined, after: Partial<T>, main: keyof T & string): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(after)) {
    const previous: unknown = before ? before[field as keyof T] : undefined;
    if (before && sameValue(previous, value)) continue;
    changes.push({ field, old: before ? formatValue(previous) : null, new: formatValue(value) });
  }
  if (changes.length === 0) {
    const value = after[main];
    changes.push({ field: main, old: formatValue(value), new: formatValue(value) });
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
