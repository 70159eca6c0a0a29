// What a run or a recording observed of an audio system: the devices and sessions there
// at the start and every event after, with its time from the start. The rule checks
// (rules.ts) read only this, so a live run, a recording file and the timeline are
// checked by the same code.
import type { LoggedEvent } from '../contract';
import type { BackendEvent, BackendName, DeviceRecord, SessionRecord } from '../../native-bridge/types';

/**
 * How long after a change the system counts as settled: a live run waits this long with no
 * event after each action, and the rule checks judge what must follow a change (a stream
 * moving with the default, R27) this long after it.
 */
export const SETTLE_MS = 250;

/** A session as recorded: the icon's data URL is left out (it can be large, and the icon path says what was set). */
export type ObservedSession = Omit<SessionRecord, 'icon'>;

export type ObservedDevice = Pick<DeviceRecord, 'id' | 'name' | 'flow' | 'defaultFor'>;

export interface TimedEvent {
  /** Milliseconds since the observation started. */
  at: number;
  event: BackendEvent;
}

export interface Observation {
  backend: BackendName;
  devices: ObservedDevice[];
  /** Sessions that existed when the observation started (the enumeration, R22). */
  sessions: ObservedSession[];
  events: TimedEvent[];
  /** Processes known to have ended during the observation: their sessions must end too. */
  endedPids: number[];
  /** How long the observation lasted. */
  durationMs: number;
  /** Inactive sessions must expire after this long (R9); null where they never expire or it is not known. */
  expireAfterMs: number | null;
}

export function observedSession(record: SessionRecord | ObservedSession): ObservedSession {
  const { icon, ...rest } = record as SessionRecord;
  return rest;
}

export function observedDevice({ id, name, flow, defaultFor }: ObservedDevice): ObservedDevice {
  return { id, name, flow, defaultFor: [...defaultFor] };
}

/** The session id an event concerns, if any. */
export function sessionIdOfEvent(event: BackendEvent): string | undefined {
  if ('sessionId' in event) return event.sessionId;
  if (event.type === 'session-created') return event.session.id;
  return undefined;
}

/** Logged events (engine host) as timed events, times from `startedAt`. */
export function timedEvents(events: readonly LoggedEvent[], startedAt: number): TimedEvent[] {
  return events.map(({ seq, time, source, ...event }) => ({ at: Math.max(0, time - startedAt), event: event as BackendEvent }));
}
