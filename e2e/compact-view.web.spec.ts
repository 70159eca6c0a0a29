// The tray flyout's compact view (`?view=compact`), in web mode in Chromium: the same app
// in rows, working by keyboard alone, without axe violations, pictured in both themes.
// (In the desktop app the flyout window loads this page; desktop-shell.electron.spec.ts
// covers the window itself.)
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEMO } from './demo';
import { expect, test } from './fixtures';

async function openCompact(page: Page): Promise<void> {
  const url = new URL(page.url());
  url.searchParams.set('view', 'compact');
  await page.goto(url.toString());
  await expect(page.getByTestId('compact-device')).toBeVisible();
}

const row = (page: Page, name: string) => page.getByTestId('compact-row').filter({ has: page.getByText(name, { exact: true }) });

test('the compact view lists the default device and each app, and moves a volume by keyboard', async ({ mixer }) => {
  const { page } = mixer;
  await openCompact(page);
  await expect(page.getByRole('group', { name: `Device ${DEMO.speakers}` })).toBeVisible();
  await expect(row(page, DEMO.mediaPlayer)).toBeVisible();
  await expect(row(page, DEMO.browser)).toBeVisible();

  const slider = page.getByRole('slider', { name: `Volume of ${DEMO.mediaPlayer}` });
  await expect(slider).toHaveAttribute('aria-orientation', 'horizontal');
  await slider.focus();
  const before = Number(await slider.inputValue());
  await page.keyboard.press('PageDown');
  await expect(slider).toHaveValue(String(before - 10));
  await expect
    .poll(() =>
      mixer.sim(({ engine, demo }) => Math.round((engine.getSession(demo.sessions.mediaPlayer)?.volume ?? -1) * 100)),
    )
    .toBe(before - 10);

  // Tab reaches the mute button next; Space toggles it.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: `Mute ${DEMO.mediaPlayer}` })).toBeFocused();
  await page.keyboard.press('Space');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.mediaPlayer)?.muted)).toBe(true);
});

test('the compact view follows the engine: a new app appears, one that ends goes', async ({ mixer }) => {
  const { page } = mixer;
  await openCompact(page);
  await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9400, exePath: 'C:\\Apps\\Radio\\radio.exe', windowTitle: 'Radio' });
    engine.openStream({ pid: 9400, start: true });
  });
  await expect(row(page, 'Radio')).toBeVisible();
  await mixer.sim(({ engine }) => engine.exitProcess(9400));
  await expect(row(page, 'Radio')).toHaveCount(0);
});

test('the compact view has no axe violation, and is pictured light and dark', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  await page.setViewportSize({ width: 380, height: 460 });
  await openCompact(page);
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setMute(demo.sessions.game, true));
  await expect(page.getByRole('button', { name: `Mute ${DEMO.game}` })).toHaveAttribute('aria-pressed', 'true');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
    expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: testInfo.outputPath(`compact-${colorScheme}.png`), animations: 'disabled' });
  }
});

/** Swatches of system colours in the window's bottom-left corner, painted as the page paints them; their centres. */
async function systemSwatches(page: Page, keywords: readonly string[]): Promise<{ x: number; y: number }[]> {
  return page.evaluate((names) => {
    return names.map((name, index) => {
      const swatch = document.createElement('div');
      swatch.style.cssText = `position: fixed; left: ${index * 12}px; bottom: 0; width: 12px; height: 12px; forced-color-adjust: none; background: ${name}`;
      document.body.append(swatch);
      return { x: index * 12 + 6, y: window.innerHeight - 6 };
    });
  }, keywords);
}

/** The pixels at CSS points of a screenshot, as [r, g, b], decoded by the page's own canvas. */
async function pixelsAt(page: Page, png: Buffer, points: readonly { x: number; y: number }[]): Promise<number[][]> {
  return page.evaluate(
    async ({ data, at }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      return at.map(({ x, y }) => [...context.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)]);
    },
    { data: png.toString('base64'), at: points },
  );
}

test('forced colours: a row’s track is painted in the system colours, its fill Highlight and the rest CanvasText', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  await page.setViewportSize({ width: 380, height: 460 });
  await openCompact(page);
  // An app that is not playing: no meter over its track.
  await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9700, exePath: 'C:\\Apps\\Notes\\notes.exe', windowTitle: 'Notes' });
    const { sessionId } = engine.openStream({ pid: 9700 });
    engine.client(9700).setVolume(sessionId, 0.5);
  });
  const slider = page.getByRole('slider', { name: 'Volume of Notes' });
  await expect(slider).toHaveValue('50');
  await page.emulateMedia({ forcedColors: 'active', colorScheme: 'dark' });
  await page.mouse.move(0, 0);
  const box = await slider.boundingBox();
  if (!box) throw new Error('the slider has no box');
  // What Highlight and CanvasText look like on this screen, beside the rows.
  const swatches = await systemSwatches(page, ['Highlight', 'CanvasText']);
  const png = await page.screenshot({ animations: 'disabled', scale: 'css' });
  await testInfo.attach('compact-forced-colors', { body: png, contentType: 'image/png' });

  // On the track's middle line: a quarter along (filled) and three quarters along (not), clear of the thumb at half.
  const middle = box.y + box.height / 2;
  const [filled, rest, highlight, canvasText] = await pixelsAt(page, png, [
    { x: box.x + box.width * 0.25, y: middle },
    { x: box.x + box.width * 0.75, y: middle },
    ...swatches,
  ]);
  // A couple of levels per channel for the rasteriser.
  const near = (got: number[] | undefined, want: number[] | undefined) =>
    got?.length === 3 && want?.length === 3 && want.every((channel, index) => Math.abs((got[index] ?? -99) - channel) <= 2);
  expect(near(highlight, canvasText)).toBe(false);
  expect({ filled, highlight, near: near(filled, highlight) }).toEqual({ filled, highlight, near: true });
  expect({ rest, canvasText, near: near(rest, canvasText) }).toEqual({ rest, canvasText, near: true });
});
