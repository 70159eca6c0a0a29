// The timeline takes messages in after the task that paints the strips, never in it: a
// change on screen waits for nobody's bookkeeping. Guarantees:
// - Every message reaches the timeline, in arrival order, each with its arrival time, so
//   the tracker sees what it always saw (old values, seen times), only later.
// - While nobody looks at the timeline (its panel and the inspector closed) they wait for
//   an idle period (a second at the latest); while someone does, for the next paint.
// - A snapshot (following 500 sessions, their histories) and what comes after it always
//   wait for an idle period: a snapshot repaints every strip first.
import type { ResolvedMessage } from '../../core/contract';
import type { TimelineStore } from './timeline-store';

/** Runs a callback later: when the page is idle, or after its next paint. */
export type IdleScheduler = (run: () => void) => void;

// Late enough for the strips' first screens, soon enough that the timeline never looks stuck.
const IDLE_TIMEOUT_MS = 1000;
// A hidden page paints no frames: its timeline still takes messages in, this often.
const UNPAINTED_MS = 250;

export const whenIdle: IdleScheduler = (run) => {
  requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
};

/** After the next frame is painted (a task queued from the frame callback), or soon when none comes. */
export const afterPaint: IdleScheduler = (run) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, UNPAINTED_MS);
};

export interface TimelineFeedOptions {
  /** Whether the timeline is on screen now (its panel or the inspector). Never, without one. */
  watched?: () => boolean;
  idle?: IdleScheduler;
  paint?: IdleScheduler;
}

/** A feed for the timeline: messages queue in order and are taken in later (see above). */
export function deferredIngest(timeline: TimelineStore, { watched = () => false, idle = whenIdle, paint = afterPaint }: TimelineFeedOptions = {}): (message: ResolvedMessage) => void {
  const waiting: { message: ResolvedMessage; receivedAt: number }[] = [];
  let idleAsked = false;
  let paintAsked = false;
  /** A snapshot is among the waiting (only the idle drain takes it, and all after it). */
  let snapshotWaiting = false;
  const takeIn = (count: number) => {
    for (const { message, receivedAt } of waiting.splice(0, count)) timeline.getState().ingest(message, receivedAt);
  };
  const idleDrain = () => {
    idleAsked = false;
    snapshotWaiting = false;
    takeIn(waiting.length);
  };
  // What came before a snapshot; the snapshot and the rest wait for the idle drain it asked for.
  const paintDrain = () => {
    paintAsked = false;
    const snapshotAt = waiting.findIndex(({ message }) => message.type === 'snapshot');
    takeIn(snapshotAt < 0 ? waiting.length : snapshotAt);
  };
  return (message) => {
    waiting.push({ message, receivedAt: Date.now() });
    if (message.type === 'snapshot') snapshotWaiting = true;
    if (snapshotWaiting || !watched()) {
      if (!idleAsked) idle(idleDrain);
      idleAsked = true;
    } else {
      if (!paintAsked) paint(paintDrain);
      paintAsked = true;
    }
  };
}
