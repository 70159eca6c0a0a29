// A peak meter drawn into its own small canvas: by the page (canvas.getContext) or by the
// meter worker (an OffscreenCanvas handed over with transferControlToOffscreen), the same
// way. A canvas's new pixels reach the screen as a new picture of its own layer: a meter
// frame restyles, lays out and layerizes nothing of the page. (Measured against a transform
// per meter fill, composited or not: Chromium re-layerized the whole page every frame, half
// the main thread's meter cost at 50 strips.) Uses no DOM: it runs in the worker too.
import type { MeterView } from './meter-animator';

/**
 * Rows of the canvas's bitmap, stretched over the meter's height: 4 per peak step (see
 * PEAK_STEPS), so a release moves by less than a step each frame. One column: the meter is
 * the same across its width.
 */
export const METER_ROWS = 400;

/** The theme's meter colours as the page reads them (--meter-low, --meter-high, and its text colour). */
export interface MeterColours {
  low: string;
  high: string;
  /** Drawn instead when low or high is no colour a canvas can parse (none set, say). */
  text: string;
}

export function sameColours(a: MeterColours, b: MeterColours): boolean {
  return a.low === b.low && a.high === b.high && a.text === b.text;
}

export type MeterContext = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export class CanvasMeterView<Watched> implements MeterView<Watched> {
  private fill: CanvasGradient | string | null = null;
  private level = 0;

  /** `colours`: the theme's, read when the view first draws and after recolour(). */
  constructor(
    readonly watched: Watched,
    private readonly context: MeterContext | null,
    private readonly colours: () => MeterColours,
  ) {
    if (!context) return;
    context.canvas.width = 1;
    context.canvas.height = METER_ROWS;
  }

  show(level: number): void {
    this.level = level;
    const context = this.context;
    if (!context) return;
    this.fill ??= meterFill(context, this.colours());
    context.clearRect(0, 0, 1, METER_ROWS);
    const rows = level * METER_ROWS;
    if (rows <= 0) return;
    context.fillStyle = this.fill;
    context.fillRect(0, METER_ROWS - rows, 1, rows);
  }

  /** The colours changed: redrawn in the new ones. */
  recolour(): void {
    this.fill = null;
    this.show(this.level);
  }
}

/** The fill: from the low colour at the bottom to the high one at the top of the track. */
function meterFill(context: MeterContext, colours: MeterColours): CanvasGradient | string {
  const gradient = context.createLinearGradient(0, METER_ROWS, 0, 0);
  try {
    gradient.addColorStop(0, colours.low);
    gradient.addColorStop(1, colours.high);
  } catch {
    return colours.text;
  }
  return gradient;
}
