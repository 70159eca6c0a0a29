// A windowed list of fixed-height rows: only the rows in view (plus a few) exist in the
// DOM, so 10,000 or 100,000 entries cost the same to draw. While `follow` is on it stays
// at the newest row; a user scrolling up while following calls onScrollAway instead of
// silently losing the place (the timeline pauses its view then). The intent is read from
// the wheel, keys and scrollbar as well as from scroll events, because under load a new
// row can put the list back at the bottom before the scroll event arrives.
import type { KeyboardEvent, ReactNode } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';

export interface VirtualRowsProps {
  count: number;
  rowHeight: number;
  follow: boolean;
  renderRow(index: number): ReactNode;
  onScrollAway?(): void;
  className?: string;
  label: string;
  /** Rows drawn beyond the visible ones on each side, so fast scrolling shows no gaps. */
  overscan?: number;
}

/** What is drawn before the first measurement (and where there is no layout, as in tests). */
const UNMEASURED_HEIGHT = 600;
const KEYS_UP = new Set(['ArrowUp', 'PageUp', 'Home']);

export function VirtualRows({
  count,
  rowHeight,
  follow,
  renderRow,
  onScrollAway,
  className,
  label,
  overscan = 8,
}: VirtualRowsProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  const observe = useCallback((element: HTMLDivElement | null) => {
    scroller.current = element;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const viewport = height > 0 ? height : UNMEASURED_HEIGHT;
  const visible = Math.ceil(viewport / rowHeight);
  const total = count * rowHeight;
  const top = follow ? Math.max(0, total - viewport) : scrollTop;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.floor(top / rowHeight) + visible + overscan);

  // Scrolled to the end in the next frame rather than now: setting scrollTop forces a
  // layout, and at a thousand events a second that is once per frame instead of once per
  // message. Until then the rows drawn are already the last ones (see `top`).
  useEffect(() => {
    const element = scroller.current;
    if (!follow || !element) return;
    const frame = requestAnimationFrame(() => {
      element.scrollTop = element.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [follow, count, height]);

  const leaveIfFollowing = () => {
    if (follow) onScrollAway?.();
  };

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index += 1) rows.push(renderRow(index));

  return (
    <div
      ref={observe}
      className={className}
      role="rowgroup"
      aria-label={label}
      // Focusable so the keyboard can scroll it.
      tabIndex={0}
      onScroll={(event) => {
        const { scrollTop: position, scrollHeight, clientHeight } = event.currentTarget;
        // Away from the bottom (not merely clamped there by a resize): the user scrolled.
        if (position + clientHeight < scrollHeight - rowHeight / 2) leaveIfFollowing();
        setScrollTop(position);
      }}
      onWheel={(event) => {
        if (event.deltaY < 0) leaveIfFollowing();
      }}
      onKeyDown={(event: KeyboardEvent<HTMLDivElement>) => {
        if (KEYS_UP.has(event.key)) leaveIfFollowing();
      }}
      onPointerDown={(event) => {
        // On the list itself rather than a row: the scrollbar.
        if (event.target === event.currentTarget) leaveIfFollowing();
      }}
    >
      <div className="virtual-spacer" style={{ height: total }}>
        <div className="virtual-window" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
