// The timeline takes a snapshot in once the page is idle, not in the task that paints the
// strips: following 500 sessions (their histories, the records every later event is
// described against) is work nobody waits for. What arrives meanwhile queues behind the
// snapshot in order, each with its arrival time, so the tracker sees what it always saw.
import type { ResolvedMessage } from '../../core/contract';
import type { TimelineStore } from './timeline-store';

/** Runs a callback when the page is idle (soon after, at the latest). */
export type IdleScheduler = (run: () => void) => void;

// Late enough for the strips' first screens, soon enough that the timeline never looks stuck.
const IDLE_TIMEOUT_MS = 1000;

export const whenIdle: IdleScheduler = (run) => {
  requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
};

/** A feed for the timeline's messages: a snapshot and what follows it wait for `idle`. */
export function deferredIngest(timeline: TimelineStore, idle: IdleScheduler = whenIdle): (message: ResolvedMessage) => void {
  let waiting: { message: ResolvedMessage; receivedAt: number }[] | null = null;
  const drain = () => {
    const messages = waiting ?? [];
    waiting = null;
    for (const { message, receivedAt } of messages) timeline.getState().ingest(message, receivedAt);
  };
  return (message) => {
    const receivedAt = Date.now();
    if (waiting) {
      waiting.push({ message, receivedAt });
    } else if (message.type === 'snapshot') {
      waiting = [{ message, receivedAt }];
      idle(drain);
    } else {
      timeline.getState().ingest(message, receivedAt);
    }
  };
}
