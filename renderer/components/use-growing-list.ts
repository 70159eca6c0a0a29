// A long list mounts in steps: what fits the window at once, then a slice in each idle
// period (after the frame that shows what is there), so a snapshot of hundreds of sessions
// paints at once and no step blocks the page for long. Each step is sized by how long the
// last one took, so a loaded machine (or a slow one) mounts fewer strips per step instead
// of blocking longer. Short lists (and every later change to a grown list) render whole.
// (Not a transition: every store update is synchronous and would restart it, so a list
// growing while sessions keep arriving never finished.)
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

/** A strip's width and the gap after it (see .strip and .strip-row in mixer.css). */
const STRIP_PITCH_PX = 86;
/** Strips mounted by the first step after the first screenful; later steps follow nextStepSize. */
export const GROWING_LIST_STEP = 20;
/**
 * Wall time one step may take to render and commit its strips: the frame's style, layout
 * and paint come after it, and the whole must stay well under a 50 ms long task.
 */
export const STEP_BUDGET_MS = 20;
export const MIN_STEP = 10;
export const MAX_STEP = 40;
/** The longest a step waits for an idle period (a page kept busy still grows its list). */
const STEP_TIMEOUT_MS = 100;

/** How many strips the window's width holds (never fewer than 8): the first step. */
export function stripsAcross(width: number = typeof window === 'undefined' ? 0 : window.innerWidth): number {
  return Math.max(8, Math.ceil(width / STRIP_PITCH_PX));
}

/** The next step's size, from the last step: `mounted` items took `tookMs` to render and commit. */
export function nextStepSize(mounted: number, tookMs: number): number {
  const perItemMs = tookMs / Math.max(1, mounted);
  const fits = perItemMs > 0 ? Math.floor(STEP_BUDGET_MS / perItemMs) : MAX_STEP;
  return Math.min(MAX_STEP, Math.max(MIN_STEP, fits));
}

export function useGrowingList<T>(items: readonly T[], first: number = stripsAcross()): readonly T[] {
  const [limit, setLimit] = useState(first);
  const step = useRef(GROWING_LIST_STEP);
  const complete = limit >= items.length;
  useEffect(() => {
    if (complete) return;
    // When the page is idle: after the frame that shows what is there, and after anything
    // waiting to run (input above all). Soon after at the latest, on a page never idle.
    const idle = requestIdleCallback(
      () => {
        const size = step.current;
        const started = performance.now();
        // Rendered and committed here and now, so the step's own cost is what is timed.
        flushSync(() => setLimit((current) => current + size));
        step.current = nextStepSize(size, performance.now() - started);
      },
      { timeout: STEP_TIMEOUT_MS },
    );
    return () => cancelIdleCallback(idle);
  }, [complete, limit]);
  return complete ? items : items.slice(0, limit);
}
