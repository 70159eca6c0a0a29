// Logged events and `events` messages for timeline and inspector tests.
import type { LoggedEvent, ResolvedMessage } from '../../core/contract';
import { deriveSessionEvents } from '../../core/contract';
import type { BackendEvent, SessionRecord } from '../../native-bridge/types';

/** 2025-01-02T03:04:05.000Z: a fixed clock so times in tests read the same everywhere. */
export const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

let nextSeq = 1;

/** Stamps events as the host's event log does; seq runs on unless given. */
export function logged(event: BackendEvent, stamp: Partial<Pick<LoggedEvent, 'seq' | 'time' | 'source'>> = {}): LoggedEvent {
  const seq = stamp.seq ?? nextSeq;
  nextSeq = seq + 1;
  return { ...event, seq, time: stamp.time ?? T0 + seq, source: stamp.source ?? 'event' };
}

export function eventsMessage(...events: (BackendEvent | LoggedEvent)[]): Extract<ResolvedMessage, { type: 'events' }> {
  return { type: 'events', events: events.map((event) => ('seq' in event ? event : logged(event))) };
}

/** The events a backend's diff derives when `changes` happen to a session. */
export function changeEvents(before: SessionRecord, changes: Partial<SessionRecord>): BackendEvent[] {
  return deriveSessionEvents(before, { ...before, ...changes }, '{context}');
}

export function volumeEvent(sessionId: string, volume: number, muted = false): BackendEvent {
  return { type: 'volume-changed', sessionId, volume, muted, eventContext: '{context}' };
}
