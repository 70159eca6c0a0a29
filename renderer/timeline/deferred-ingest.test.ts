import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventsMessage, volumeEvent } from '../testing/events';
import { snapshot } from '../testing/fixtures';
import { deferredIngest } from './deferred-ingest';
import { createTimelineStore } from './timeline-store';

afterEach(() => vi.useRealTimers());

describe('deferredIngest', () => {
  it('takes a snapshot in when idle, with what came after it in order and at the times they arrived', () => {
    vi.useFakeTimers({ now: 1_000 });
    const timeline = createTimelineStore();
    const idle: (() => void)[] = [];
    const feed = deferredIngest(timeline, (run) => idle.push(run));
    feed(snapshot());
    vi.setSystemTime(1_250);
    feed(eventsMessage(volumeEvent('firefox', 0.2)));
    expect(timeline.getState().sessions).toEqual([]);
    expect(timeline.getState().recorded).toBe(0);
    expect(idle).toHaveLength(1);
    vi.setSystemTime(9_000);
    idle[0]?.();
    const state = timeline.getState();
    // Old values come from the snapshot: it was taken in first.
    expect(state.ring.at(0)?.changes).toEqual([{ field: 'volume', old: '0.45', new: '0.20' }]);
    expect(state.sessions.find((history) => history.sessionId === 'firefox')?.entries[0]).toMatchObject({ change: 'seen', time: 1_000 });
  });

  it('passes messages straight on while no snapshot waits', () => {
    const timeline = createTimelineStore();
    const idle: (() => void)[] = [];
    const feed = deferredIngest(timeline, (run) => idle.push(run));
    feed(snapshot());
    idle[0]?.();
    feed(eventsMessage(volumeEvent('firefox', 0.2)));
    expect(timeline.getState().recorded).toBe(1);
    expect(idle).toHaveLength(1);
  });
});
