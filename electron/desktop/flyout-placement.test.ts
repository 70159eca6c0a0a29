import { describe, expect, it } from 'vitest';
import { FLYOUT_MARGIN, placeFlyout, taskbarEdge } from './flyout-placement';

const display = { x: 0, y: 0, width: 1920, height: 1080 };
const size = { width: 360, height: 420 };

describe('flyout placement', () => {
  it('taskbar at the bottom (Windows default): above the tray, centred on the icon, inside the work area', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const tray = { x: 1700, y: 1048, width: 24, height: 24 };
    expect(placeFlyout(size, tray, display, workArea)).toEqual({ edge: 'bottom', x: 1532, y: 1040 - 420 - FLYOUT_MARGIN });
  });

  it('an icon near the screen corner: pushed back inside the work area', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const tray = { x: 1890, y: 1048, width: 24, height: 24 };
    expect(placeFlyout(size, tray, display, workArea)).toMatchObject({ x: 1920 - 360 - FLYOUT_MARGIN });
  });

  it('taskbar at the top: below it', () => {
    const workArea = { x: 0, y: 32, width: 1920, height: 1048 };
    const tray = { x: 1800, y: 4, width: 24, height: 24 };
    expect(placeFlyout(size, tray, display, workArea)).toEqual({ edge: 'top', x: 1920 - 360 - FLYOUT_MARGIN, y: 32 + FLYOUT_MARGIN });
  });

  it('taskbar on the left: to its right, level with the icon', () => {
    const workArea = { x: 60, y: 0, width: 1860, height: 1080 };
    const tray = { x: 18, y: 900, width: 24, height: 24 };
    expect(placeFlyout(size, tray, display, workArea)).toEqual({ edge: 'left', x: 60 + FLYOUT_MARGIN, y: 1080 - 420 - FLYOUT_MARGIN });
  });

  it('taskbar on the right: to its left', () => {
    const workArea = { x: 0, y: 0, width: 1860, height: 1080 };
    const tray = { x: 1878, y: 300, width: 24, height: 24 };
    expect(placeFlyout(size, tray, display, workArea)).toEqual({ edge: 'right', x: 1860 - 360 - FLYOUT_MARGIN, y: 102 });
  });

  it('a second display to the left (negative coordinates) works the same', () => {
    const second = { x: -1280, y: 0, width: 1280, height: 1024 };
    const workArea = { x: -1280, y: 0, width: 1280, height: 984 };
    const tray = { x: -700, y: 992, width: 24, height: 24 };
    expect(placeFlyout(size, tray, second, workArea)).toEqual({ edge: 'bottom', x: -700 + 12 - 180, y: 984 - 420 - FLYOUT_MARGIN });
  });

  it('no reserved taskbar space (auto-hide, a Linux panel): the edge nearest the anchor', () => {
    expect(taskbarEdge(display, display, { x: 960, y: 1075, width: 0, height: 0 })).toBe('bottom');
    expect(taskbarEdge(display, display, { x: 960, y: 3, width: 0, height: 0 })).toBe('top');
    expect(taskbarEdge(display, display, { x: 2, y: 500, width: 0, height: 0 })).toBe('left');
    // The cursor at a top panel's icon: the flyout hangs below the cursor.
    expect(placeFlyout(size, { x: 1500, y: 10, width: 0, height: 0 }, display, display)).toEqual({
      edge: 'top',
      x: 1320,
      y: FLYOUT_MARGIN,
    });
  });

  it('a work area smaller than the flyout: pinned to its top-left corner, never off it', () => {
    const tiny = { x: 0, y: 0, width: 300, height: 300 };
    expect(placeFlyout(size, { x: 290, y: 290, width: 10, height: 10 }, tiny, tiny)).toMatchObject({ x: FLYOUT_MARGIN, y: FLYOUT_MARGIN });
  });
});
