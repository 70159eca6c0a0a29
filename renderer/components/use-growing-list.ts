// A long list mounts in steps: more than a screenful at once, then a slice after each
// painted frame, so a snapshot of hundreds of sessions paints at once and no step blocks
// the page for long. Short lists (and every later change to a grown list) render whole.
import { useEffect, useState } from 'react';

/** More strips than the widest window shows at once (84 px each). */
const FIRST = 40;
const STEP = 60;

export function useGrowingList<T>(items: readonly T[]): readonly T[] {
  const [limit, setLimit] = useState(FIRST);
  const complete = limit >= items.length;
  useEffect(() => {
    if (complete) return;
    // After the next frame is painted, not before it: what is there shows first.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setLimit((current) => current + STEP), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [complete, limit]);
  return complete ? items : items.slice(0, limit);
}
