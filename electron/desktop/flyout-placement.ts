// Where the tray flyout opens: beside the tray icon, against the taskbar, inside the work
// area, on whichever edge the taskbar is. Pure (rectangles in, a point out) so every edge
// is tested without a screen. The taskbar's edge is where the display's bounds and its
// work area differ; when they do not (an auto-hidden taskbar, most Linux panels), the edge
// nearest the tray icon is taken.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type TaskbarEdge = 'top' | 'bottom' | 'left' | 'right';

export interface FlyoutPlacement {
  x: number;
  y: number;
  edge: TaskbarEdge;
}

/** Space between the flyout and the taskbar or the screen's edge. */
export const FLYOUT_MARGIN = 8;

export function taskbarEdge(display: Rect, workArea: Rect, anchor: Rect): TaskbarEdge {
  const gaps: Record<TaskbarEdge, number> = {
    top: workArea.y - display.y,
    bottom: display.y + display.height - (workArea.y + workArea.height),
    left: workArea.x - display.x,
    right: display.x + display.width - (workArea.x + workArea.width),
  };
  const edges = Object.keys(gaps) as TaskbarEdge[];
  const reserved = edges.filter((edge) => gaps[edge] > 0).sort((a, b) => gaps[b] - gaps[a]);
  if (reserved[0]) return reserved[0];
  const centerX = anchor.x + anchor.width / 2;
  const centerY = anchor.y + anchor.height / 2;
  const distance: Record<TaskbarEdge, number> = {
    top: centerY - display.y,
    bottom: display.y + display.height - centerY,
    left: centerX - display.x,
    right: display.x + display.width - centerX,
  };
  return edges.reduce((best, edge) => (distance[edge] < distance[best] ? edge : best));
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * The flyout's top-left corner. `anchor` is the tray icon's bounds, or the cursor as a
 * zero-size rectangle where the platform does not tell the icon's bounds.
 */
export function placeFlyout(size: { width: number; height: number }, anchor: Rect, display: Rect, workArea: Rect): FlyoutPlacement {
  const edge = taskbarEdge(display, workArea, anchor);
  const minX = workArea.x + FLYOUT_MARGIN;
  const maxX = workArea.x + workArea.width - size.width - FLYOUT_MARGIN;
  const minY = workArea.y + FLYOUT_MARGIN;
  const maxY = workArea.y + workArea.height - size.height - FLYOUT_MARGIN;
  const centredX = clamp(Math.round(anchor.x + anchor.width / 2 - size.width / 2), minX, maxX);
  const centredY = clamp(Math.round(anchor.y + anchor.height / 2 - size.height / 2), minY, maxY);
  switch (edge) {
    case 'bottom':
      return { edge, x: centredX, y: Math.max(minY, maxY) };
    case 'top':
      return { edge, x: centredX, y: minY };
    case 'left':
      return { edge, x: minX, y: centredY };
    case 'right':
      return { edge, x: Math.max(minX, maxX), y: centredY };
  }
}
