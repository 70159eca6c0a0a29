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

/**
 * The level a peak meter's canvas shows (0..1): its filled rows, counted from the bottom.
 * Runs in the page (it is passed to evaluate), so it refers to nothing outside itself.
 */
export function meterLevelIn(canvas: HTMLCanvasElement): number {
  const context = canvas.getContext('2d');
  if (!context) return 0;
  const { data } = context.getImageData(0, 0, 1, canvas.height);
  let rows = 0;
  while (rows < canvas.height && (data[(canvas.height - 1 - rows) * 4 + 3] ?? 0) > 0) rows += 1;
  return rows / canvas.height;
}

/** A strip's peak meter: the canvas drawn by the meter animator. */
export function peakMeter(scope: Locator): Locator {
  return scope.getByTestId('peak-meter').locator('canvas');
}

/** The level the peak meter shows now. */
export function meterLevel(meter: Locator): Promise<number> {
  return meter.evaluate(meterLevelIn);
}
