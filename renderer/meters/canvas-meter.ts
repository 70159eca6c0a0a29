// A peak meter drawn into its own small canvas. A canvas's new pixels reach the screen as a
// new picture of its own layer: a meter frame restyles, lays out and layerizes nothing of
// the page. (Measured against a transform per meter fill, composited or not: Chromium
// re-layerized the whole page every frame, half the main thread's meter cost at 50 strips.)
// The fill's colours are the theme's --meter-low/--meter-high, read again when the colour
// scheme or forced colours change.
import type { MeterView } from './meter-animator';

/**
 * Rows of the canvas's bitmap, stretched over the meter's height: 4 per peak step (see
 * PEAK_STEPS), so a release moves by less than a step each frame. One column: the meter is
 * the same across its width.
 */
export const METER_ROWS = 400;

const live = new Set<CanvasMeter>();
const SCHEME_QUERIES = ['(prefers-color-scheme: dark)', '(forced-colors: active)'];
let watchingScheme = false;

/** Every live meter re-reads its colours when the theme changes (one listener per query, for all). */
function watchScheme(): void {
  if (watchingScheme || typeof matchMedia !== 'function') return;
  watchingScheme = true;
  for (const query of SCHEME_QUERIES) {
    matchMedia(query).addEventListener('change', () => {
      for (const meter of live) meter.recolour();
    });
  }
}

class CanvasMeter implements MeterView {
  readonly watched: Element;
  private readonly context: CanvasRenderingContext2D | null;
  private fill: CanvasGradient | string | null = null;
  private level = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    // The track: it holds still, so the visibility watcher has nothing to re-measure on its account.
    this.watched = canvas.parentElement ?? canvas;
    canvas.width = 1;
    canvas.height = METER_ROWS;
    this.context = canvas.getContext('2d');
  }

  show(level: number): void {
    this.level = level;
    const context = this.context;
    if (!context) return;
    this.fill ??= this.readFill(context);
    context.clearRect(0, 0, 1, METER_ROWS);
    const rows = level * METER_ROWS;
    if (rows <= 0) return;
    context.fillStyle = this.fill;
    context.fillRect(0, METER_ROWS - rows, 1, rows);
  }

  recolour(): void {
    this.fill = null;
    this.show(this.level);
  }

  /** The theme's fill: from --meter-low at the bottom to --meter-high at the top of the track. */
  private readFill(context: CanvasRenderingContext2D): CanvasGradient | string {
    const style = getComputedStyle(this.canvas);
    const low = style.getPropertyValue('--meter-low').trim();
    const high = style.getPropertyValue('--meter-high').trim();
    const gradient = context.createLinearGradient(0, METER_ROWS, 0, 0);
    try {
      gradient.addColorStop(0, low);
      gradient.addColorStop(1, high);
    } catch {
      // A colour the canvas cannot parse (none set, say): the canvas's own text colour.
      return style.color;
    }
    return gradient;
  }
}

/** The meter view of a canvas; the returned function forgets it (it no longer follows the theme). */
export function canvasMeter(canvas: HTMLCanvasElement): { view: MeterView; dispose: () => void } {
  const meter = new CanvasMeter(canvas);
  live.add(meter);
  watchScheme();
  return { view: meter, dispose: () => live.delete(meter) };
}
