// The mixer window as a person and a screen reader find things in it: by role and name.
import type { Locator, Page } from '@playwright/test';

/** A session's strip: a group named by the session's display name. */
export function strip(page: Page, name: string): Locator {
  return page.getByRole('group', { name, exact: true });
}

export function volumeSlider(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('slider', { name: `Volume of ${name}`, exact: true });
}

export function muteButton(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name: `Mute ${name}`, exact: true });
}

export function playbackPicker(page: Page): Locator {
  return page.getByRole('combobox', { name: 'Playback device' });
}

/** The display names of the playback strips, in the order shown. */
export async function playbackStripNames(page: Page): Promise<string[]> {
  const strips = page.getByTestId('render-strips').getByTestId('session-strip');
  return strips.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-label') ?? ''));
}

/** Opens the inspector on a strip with its details button: a dialog named after the strip. */
export async function openDetails(page: Page, name: string): Promise<Locator> {
  await page.getByRole('button', { name: `${name} details`, exact: true }).click();
  return page.getByRole('dialog', { name, exact: true });
}

/** What the inspector says for one of its fields (the value, then any note). */
export function detailsField(panel: Locator, label: string): Locator {
  return panel.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
}

/** A drag on a vertical volume slider, started on its thumb; the pointer stays down until release(). */
export interface SliderDrag {
  /** Moves the pointer to where `volume` (0..1) sits on the slider's track, in small steps. */
  moveTo(volume: number): Promise<void>;
  release(): Promise<void>;
}

/** Chromium's vertical range: the 20 px thumb's centre travels the track less 10 px at each end. */
const THUMB_HALF = 10;

export async function startDrag(page: Page, slider: Locator): Promise<SliderDrag> {
  const box = await slider.boundingBox();
  if (!box) throw new Error('the slider is not laid out');
  const x = box.x + box.width / 2;
  const yOf = (volume: number) => box.y + THUMB_HALF + (1 - volume) * (box.height - 2 * THUMB_HALF);
  let y = yOf(Number(await slider.inputValue()) / 100);
  await page.mouse.move(x, y);
  await page.mouse.down();
  return {
    async moveTo(volume) {
      const target = yOf(volume);
      const steps = 8;
      const from = y;
      for (let step = 1; step <= steps; step += 1) await page.mouse.move(x, from + ((target - from) * step) / steps);
      y = target;
    },
    release: () => page.mouse.up(),
  };
}

/** A colour as the screen shows it: red, green, blue (0..255). */
export type Rgb = [number, number, number];

/**
 * A peak meter as the screen shows it: a screenshot of its canvas (the meter worker draws
 * it, so the page cannot read its pixels), decoded in the page, one pixel per row from the
 * middle column, top row first; and the track's colour on screen, which shows where nothing is drawn.
 */
export async function meterOnScreen(meter: Locator): Promise<{ rows: Rgb[]; track: Rgb }> {
  // As the page is: no style of Playwright's own (a stilled animation, a hidden caret) restyles the page for it.
  const png = await meter.screenshot({ animations: 'allow', caret: 'initial', scale: 'css' });
  return meter.evaluate(async (canvas, base64) => {
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    // A detached canvas of the test's own (the page's meters are not read, nor is OffscreenCanvas needed).
    const scratch = Object.assign(document.createElement('canvas'), { width: bitmap.width, height: bitmap.height });
    const reader = scratch.getContext('2d') as CanvasRenderingContext2D;
    reader.drawImage(bitmap, 0, 0);
    const { data } = reader.getImageData(Math.floor(bitmap.width / 2), 0, 1, bitmap.height);
    const rows: [number, number, number][] = [];
    for (let row = 0; row < bitmap.height; row += 1) rows.push([data[row * 4] ?? 0, data[row * 4 + 1] ?? 0, data[row * 4 + 2] ?? 0]);
    // The track's colour is translucent: laid over the backgrounds under it, down to the first opaque one (white without one).
    const layers: number[][] = [];
    for (let element = canvas.parentElement; element; element = element.parentElement) {
      const [r = 0, g = 0, b = 0, alpha = 1] = (getComputedStyle(element).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
      layers.push([r, g, b, alpha]);
      if (alpha === 1) break;
    }
    const track = layers.reduceRight(
      (under, [r = 0, g = 0, b = 0, alpha = 1]) => [r * alpha + (under[0] ?? 0) * (1 - alpha), g * alpha + (under[1] ?? 0) * (1 - alpha), b * alpha + (under[2] ?? 0) * (1 - alpha)],
      [255, 255, 255],
    );
    return { rows, track: [track[0] ?? 0, track[1] ?? 0, track[2] ?? 0] as [number, number, number] };
  }, png.toString('base64'));
}

/** How far apart two colours are: the sum of their channels' differences. */
export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
}

/** The level a meter shows on screen (0..1): its rows drawn in something other than the track's colour, counted from the bottom. */
export async function meterLevel(meter: Locator): Promise<number> {
  const { rows, track } = await meterOnScreen(meter);
  let filled = 0;
  while (filled < rows.length && colourDistance(rows[rows.length - 1 - filled] as Rgb, track) > 24) filled += 1;
  return filled / Math.max(1, rows.length);
}

/** A strip's peak meter: the canvas the meter worker (or the page, where it has none) draws. */
export function peakMeter(scope: Locator): Locator {
  return scope.getByTestId('peak-meter').locator('canvas');
}
