// The timeline's own store, apart from the mixer's: a thousand events a second bump
// only this store, so mixer strips never re-render for them. The ring and the tracker are
// mutable for speed; `entries` and `sessions` are new objects whenever they changed
// (at most once per message), which is what views watch.
import { createStore } from 'zustand/vanilla';
import type { ResolvedMessage } from '../../core/contract';
import type { TimelineEntry } from './describe-event';
import { EventRing, checkRingCapacity } from './event-ring';
import { EventTracker } from './event-tracker';
import type { EntrySource, TimelineFilter } from './filters';
import { NO_FILTER } from './filters';
import type { SessionHistory } from './session-history';

export const DEFAULT_TIMELINE_SIZE = 10_000;

export interface PausedView {
  /** The entries as they were when the view was paused (the ring keeps recording). */
  entries: readonly TimelineEntry[];
  recordedAtPause: number;
}

export interface TimelineState {
  readonly ring: EventRing<TimelineEntry>;
  readonly tracker: EventTracker;
  /** The kept entries, oldest first: a new object whenever the ring changed. */
  entries: EntrySource;
  /** Every session known and its history: a new array whenever one changed. */
  sessions: readonly SessionHistory[];
  /** Entries recorded since the last clear (kept or dropped). */
  recorded: number;
  dropped: number;
  missed: number;
  capacity: number;
  paused: PausedView | null;
  filter: TimelineFilter;

  ingest(message: ResolvedMessage, receivedAt?: number): void;
  pause(): void;
  resume(): void;
  clear(): void;
  /** Throws a RangeError for a size outside 100..1,000,000. */
  setCapacity(capacity: number): void;
  setFilter(change: Partial<TimelineFilter>): void;
}

export type TimelineStore = ReturnType<typeof createTimelineStore>;

export function createTimelineStore(options: { capacity?: number } = {}) {
  const ring = new EventRing<TimelineEntry>(options.capacity ?? DEFAULT_TIMELINE_SIZE);
  const tracker = new EventTracker();
  // Reads the ring as it is now; made afresh each time the ring changes.
  const liveEntries = (): EntrySource => ({ length: ring.length, at: (index) => ring.at(index) });
  return createStore<TimelineState>()((set, get) => ({
    ring,
    tracker,
    entries: liveEntries(),
    sessions: [],
    recorded: 0,
    dropped: 0,
    missed: 0,
    capacity: ring.capacity,
    paused: null,
    filter: NO_FILTER,

    ingest(message, receivedAt = Date.now()) {
      const { entries, sessionsChanged } = tracker.apply(message, receivedAt);
      if (entries.length === 0 && !sessionsChanged) return;
      ring.push(entries);
      // One update per message, however many events it carries.
      set((state) => ({
        entries: entries.length > 0 ? liveEntries() : state.entries,
        sessions: sessionsChanged ? tracker.histories.all() : state.sessions,
        recorded: state.recorded + entries.length,
        dropped: ring.dropped,
        missed: tracker.missed,
      }));
    },
    pause() {
      if (get().paused) return;
      set((state) => ({ paused: { entries: ring.toArray(), recordedAtPause: state.recorded } }));
    },
    resume() {
      set({ paused: null });
    },
    clear() {
      ring.clear();
      tracker.missed = 0;
      set((state) => ({
        entries: liveEntries(),
        recorded: 0,
        dropped: 0,
        missed: 0,
        paused: state.paused && { entries: [], recordedAtPause: 0 },
      }));
    },
    setCapacity(capacity) {
      checkRingCapacity(capacity);
      ring.resize(capacity);
      set({ entries: liveEntries(), capacity, dropped: ring.dropped });
    },
    setFilter(change) {
      set((state) => ({ filter: { ...state.filter, ...change } }));
    },
  }));
}

/** Entries recorded while the view is paused, not shown yet. */
export function newWhilePaused(state: Pick<TimelineState, 'paused' | 'recorded'>): number {
  return state.paused ? state.recorded - state.paused.recordedAtPause : 0;
}
