// A long list mounts in steps: what fits the window at once, then a slice after each
// painted frame, so a snapshot of hundreds of sessions paints at once and no step blocks
// the page for long. Short lists (and every later change to a grown list) render whole.
// (Not a transition: every store update is synchronous and would restart it, so a list
// growing while sessions keep arriving never finished.)
import { useEffect, useState } from 'react';

/** A strip's width and the gap after it (see .strip and .strip-row in mixer.css). */
const STRIP_PITCH_PX = 86;
/** Strips mounted after each painted frame. */
export const GROWING_LIST_STEP = 40;

/** How many strips the window's width holds (never fewer than 8): the first step. */
export function stripsAcross(width: number = typeof window === 'undefined' ? 0 : window.innerWidth): number {
  return Math.max(8, Math.ceil(width / STRIP_PITCH_PX));
}

export function useGrowingList<T>(items: readonly T[], first: number = stripsAcross()): readonly T[] {
  const [limit, setLimit] = useState(first);
  const complete = limit >= items.length;
  useEffect(() => {
    if (complete) return;
    // After the next frame is painted, not before it: what is there shows first.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setLimit((current) => current + GROWING_LIST_STEP), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [complete, limit]);
  return complete ? items : items.slice(0, limit);
}
