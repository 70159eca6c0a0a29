// Each session's life as this client saw it: first seen (or created), state changes,
// disconnection and end, with timestamps. Bounded both ways: entries per session and
// sessions kept (ended ones go first), so a long QA run cannot grow it without limit.
import type { DisconnectReason, SessionRecord, SessionState } from '../../native-bridge/types';

export type HistoryChange =
  /** In the snapshot taken at connect time: its state then, not when it began. */
  | 'seen'
  | 'created'
  | 'state'
  | 'disconnected'
  /** Expired with its last stream and gone from the device (terminated). */
  | 'ended'
  /** Missing from a later snapshot: it went while this client was disconnected. */
  | 'unlisted';

export interface HistoryEntry {
  change: HistoryChange;
  time: number;
  /** The logged event's sequence number; null for what a snapshot showed. */
  seq: number | null;
  /** The session's state after this entry. */
  state: SessionState;
  disconnected: DisconnectReason | null;
}

export interface SessionHistory {
  sessionId: string;
  /** The identity last known: kept after the session ended, for the inspector. */
  record: SessionRecord;
  entries: readonly HistoryEntry[];
  /** Oldest entries let go of to stay within the bound. */
  trimmed: number;
  ended: boolean;
}

export const DEFAULT_HISTORY_ENTRIES = 100;
export const DEFAULT_HISTORY_SESSIONS = 1000;

export class SessionHistories {
  // Each SessionHistory is replaced, never changed, so a view of one session
  // re-renders only when that session's history moves.
  private readonly bySession = new Map<string, SessionHistory>();

  constructor(
    private readonly maxEntries = DEFAULT_HISTORY_ENTRIES,
    private readonly maxSessions = DEFAULT_HISTORY_SESSIONS,
  ) {}

  get(sessionId: string): SessionHistory | undefined {
    return this.bySession.get(sessionId);
  }

  /** Oldest first. */
  all(): SessionHistory[] {
    return [...this.bySession.values()];
  }

  /** A session as a snapshot shows it: a "seen" entry unless the history already says as much. */
  seen(record: SessionRecord, time: number): void {
    const history = this.bySession.get(record.id);
    const last = history?.entries.at(-1);
    const unchanged =
      history && !history.ended && last?.state === record.state && last.disconnected === record.disconnected;
    if (unchanged) {
      this.replace({ ...history, record });
      return;
    }
    this.append(record, { change: 'seen', time, seq: null, state: record.state, disconnected: record.disconnected });
  }

  created(record: SessionRecord, time: number, seq: number): void {
    this.append(record, { change: 'created', time, seq, state: record.state, disconnected: record.disconnected });
  }

  stateChanged(record: SessionRecord, state: SessionState, terminated: boolean, time: number, seq: number): void {
    this.append(
      { ...record, state },
      { change: terminated ? 'ended' : 'state', time, seq, state, disconnected: record.disconnected },
      terminated,
    );
  }

  disconnected(record: SessionRecord, reason: DisconnectReason, time: number, seq: number): void {
    this.append(
      { ...record, disconnected: reason },
      { change: 'disconnected', time, seq, state: record.state, disconnected: reason },
    );
  }

  unlisted(sessionId: string, time: number): void {
    const history = this.bySession.get(sessionId);
    if (!history || history.ended) return;
    const { state, disconnected } = history.record;
    this.append(history.record, { change: 'unlisted', time, seq: null, state, disconnected }, true);
  }

  /** A changed name, icon or grouping: the identity moves, the history does not. */
  identityChanged(record: SessionRecord): void {
    const history = this.bySession.get(record.id);
    if (history) this.replace({ ...history, record });
  }

  private append(record: SessionRecord, entry: HistoryEntry, ended = false): void {
    const history = this.bySession.get(record.id);
    const entries = [...(history?.entries ?? []), entry];
    const overflow = Math.max(0, entries.length - this.maxEntries);
    this.replace({
      sessionId: record.id,
      record,
      entries: overflow > 0 ? entries.slice(overflow) : entries,
      trimmed: (history?.trimmed ?? 0) + overflow,
      ended,
    });
  }

  private replace(history: SessionHistory): void {
    const isNew = !this.bySession.has(history.sessionId);
    this.bySession.set(history.sessionId, history);
    if (isNew && this.bySession.size > this.maxSessions) this.evictOne();
  }

  /** Lets go of the longest-known ended session, else the longest-known one. */
  private evictOne(): void {
    let victim: string | undefined;
    for (const [sessionId, history] of this.bySession) {
      if (history.ended) {
        victim = sessionId;
        break;
      }
      victim ??= sessionId;
    }
    if (victim !== undefined) this.bySession.delete(victim);
  }
}
