// A long list mounts in steps: a screenful at once, then a slice after each
// painted frame, so a snapshot of hundreds of sessions paints at once and no step blocks
// the page for long. Short lists (and every later change to a grown list) render whole.
import { useEffect, useState } from 'react';

/** A full-HD window's width of strips (84 px each): the rest follow a frame later. */
export const GROWING_LIST_FIRST = 24;
/** Strips mounted after each painted frame. */
export const GROWING_LIST_STEP = 40;

export function useGrowingList<T>(items: readonly T[]): readonly T[] {
  const [limit, setLimit] = useState(GROWING_LIST_FIRST);
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
