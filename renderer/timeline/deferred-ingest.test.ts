import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventsMessage, volumeEvent } from '../testing/events';
import { snapshot } from '../testing/fixtures';
import { deferredIngest } from './deferred-ingest';
import { createTimelineStore } from './timeline-store';

afterEach(() => vi.useRealTimers());

/** A feed whose idle periods and paints come when the test says. */
function feedOf(watched: { now: boolean }) {
  const timeline = createTimelineStore();
  const idle: (() => void)[] = [];
  const paint: (() => void)[] = [];
  const feed = deferredIngest(timeline, { watched: () => watched.now, idle: (run) => idle.push(run), paint: (run) => paint.push(run) });
  return { timeline, idle, paint, feed };
}

const volumes = (timeline: ReturnType<typeof createTimelineStore>) => timeline.getState().ring.toArray().map((entry) => entry.changes[0]?.new);

describe('deferredIngest', () => {
  it('takes a snapshot in when idle, with what came after it in order and at the times they arrived', () => {
    vi.useFakeTimers({ now: 1_000 });
    const { timeline, idle, feed } = feedOf({ now: false });
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

  it('while nobody looks, every later message waits for an idle period too, and all arrive in order', () => {
    vi.useFakeTimers({ now: 1_000 });
    const { timeline, idle, paint, feed } = feedOf({ now: false });
    feed(snapshot());
    idle.shift()?.();
    const ingest = vi.spyOn(timeline.getState(), 'ingest');
    for (const [at, volume] of [[2_000, 0.1], [2_001, 0.2], [2_002, 0.3]] as const) {
      vi.setSystemTime(at);
      feed(eventsMessage(volumeEvent('firefox', volume)));
    }
    expect(timeline.getState().recorded).toBe(0);
    // One idle period asked for, for all three.
    expect(idle).toHaveLength(1);
    expect(paint).toHaveLength(0);
    idle.shift()?.();
    expect(volumes(timeline)).toEqual(['0.10', '0.20', '0.30']);
    expect(ingest.mock.calls.map(([, receivedAt]) => receivedAt)).toEqual([2_000, 2_001, 2_002]);
  });

  it('while the timeline is on screen, messages come in after the next paint; one that waited for idle comes with them', () => {
    const watched = { now: false };
    const { timeline, idle, paint, feed } = feedOf(watched);
    feed(snapshot());
    idle.shift()?.();
    feed(eventsMessage(volumeEvent('firefox', 0.1)));
    watched.now = true;
    feed(eventsMessage(volumeEvent('firefox', 0.2)));
    expect(paint).toHaveLength(1);
    paint.shift()?.();
    expect(volumes(timeline)).toEqual(['0.10', '0.20']);
    // The idle period asked for earlier finds nothing left to take.
    idle.shift()?.();
    expect(timeline.getState().recorded).toBe(2);
  });

  it('a snapshot waits for an idle period even on screen: the paint takes only what came before it', () => {
    const { timeline, idle, paint, feed } = feedOf({ now: true });
    feed(snapshot());
    idle.shift()?.();
    feed(eventsMessage(volumeEvent('firefox', 0.1)));
    feed(snapshot());
    feed(eventsMessage(volumeEvent('firefox', 0.2)));
    expect([paint.length, idle.length]).toEqual([1, 1]);
    paint.shift()?.();
    expect(volumes(timeline)).toEqual(['0.10']);
    idle.shift()?.();
    expect(volumes(timeline)).toEqual(['0.10', '0.20']);
  });
});
