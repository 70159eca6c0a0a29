import { describe, expect, it } from 'vitest';
import { snapshot } from '../testing/fixtures';
import { T0, eventsMessage, logged, volumeEvent } from '../testing/events';
import { DEFAULT_TIMELINE_SIZE, createTimelineStore, newWhilePaused } from './timeline-store';

function volumes(count: number, from = 0) {
  return eventsMessage(...Array.from({ length: count }, (_, index) => volumeEvent('firefox', ((from + index) % 100) / 100)));
}

function seqs(store: ReturnType<typeof createTimelineStore>): number[] {
  return store.getState().ring.toArray().map((entry) => entry.event.seq);
}

describe('timeline store', () => {
  it('holds 10,000 entries by default', () => {
    expect(createTimelineStore().getState().capacity).toBe(DEFAULT_TIMELINE_SIZE);
    expect(DEFAULT_TIMELINE_SIZE).toBe(10_000);
  });

  it('keeps the newest entries of a bounded ring and shows how many it dropped', () => {
    const store = createTimelineStore({ capacity: 100 });
    store.getState().ingest(snapshot(), T0);
    store.getState().ingest(volumes(80));
    store.getState().ingest(volumes(50, 80));
    const state = store.getState();
    expect(state.ring.length).toBe(100);
    expect(state.dropped).toBe(30);
    expect(state.recorded).toBe(130);
  });

  it('updates once per events message, and not for peaks or patches', () => {
    const store = createTimelineStore();
    store.getState().ingest(snapshot(), T0);
    let updates = 0;
    store.subscribe(() => (updates += 1));
    store.getState().ingest(volumes(500));
    store.getState().ingest({ type: 'peaks', peaks: { firefox: 0.5 } });
    store.getState().ingest({ type: 'patch', devices: { upserted: [], removed: [] }, sessions: { added: [], changed: [], removed: [] } });
    expect(updates).toBe(1);
  });

  it('keeps recording while the view is paused, and says how much is new', () => {
    const store = createTimelineStore({ capacity: 100 });
    store.getState().ingest(snapshot(), T0);
    store.getState().ingest(volumes(10));
    store.getState().pause();
    const frozen = store.getState().paused?.entries;
    store.getState().ingest(volumes(25));
    const state = store.getState();
    expect(state.paused?.entries).toBe(frozen);
    expect(frozen).toHaveLength(10);
    expect(state.ring.length).toBe(35);
    expect(newWhilePaused(state)).toBe(25);
    store.getState().resume();
    expect(store.getState().paused).toBeNull();
    expect(newWhilePaused(store.getState())).toBe(0);
  });

  it('counts new entries while paused even past the ring size', () => {
    const store = createTimelineStore({ capacity: 100 });
    store.getState().ingest(snapshot(), T0);
    store.getState().pause();
    store.getState().ingest(volumes(250));
    expect(newWhilePaused(store.getState())).toBe(250);
    expect(store.getState().dropped).toBe(150);
  });

  it('resizes keeping the newest entries, and refuses a bad size without changing anything', () => {
    const store = createTimelineStore({ capacity: 200 });
    store.getState().ingest(snapshot(), T0);
    store.getState().ingest(eventsMessage(...Array.from({ length: 150 }, (_, index) => logged(volumeEvent('firefox', 0.5), { seq: index + 1 }))));
    store.getState().setCapacity(100);
    expect(store.getState().capacity).toBe(100);
    expect(store.getState().dropped).toBe(50);
    expect(seqs(store)[0]).toBe(51);
    expect(() => store.getState().setCapacity(5)).toThrow(RangeError);
    expect(store.getState().capacity).toBe(100);
    expect(store.getState().ring.length).toBe(100);
  });

  it('clears entries and counters but not what it knows of sessions', () => {
    const store = createTimelineStore({ capacity: 100 });
    store.getState().ingest(snapshot(), T0);
    store.getState().ingest(volumes(150));
    store.getState().clear();
    expect(store.getState()).toMatchObject({ recorded: 0, dropped: 0, missed: 0 });
    expect(store.getState().ring.length).toBe(0);
    store.getState().ingest(volumes(1));
    expect(store.getState().ring.at(0)?.changes[0]?.old).toBe('0.49');
    expect(store.getState().tracker.histories.get('firefox')).toBeDefined();
  });
});
