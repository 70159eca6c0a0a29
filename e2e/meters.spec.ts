// Peak meters, read from the screen (the meter worker draws them): they follow the sessions'
// levels smoothly, fall to silence when a session goes quiet, and are drawn in the theme's
// colours (that the page's main thread takes no peaks and draws no meter frame is in
// performance.spec.ts). (The sim's peaks depend on its clock, which stands still here unless
// a test moves it, so a meter's only cause to move is the test's.)
import type { Locator, Page } from '@playwright/test';
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import type { Rgb } from './mixer-page';
import { colourDistance, meterLevel, meterOnScreen, muteButton, peakMeter, strip, volumeSlider } from './mixer-page';

function meterOf(page: Page, name: string): Locator {
  return peakMeter(strip(page, name));
}

test('a meter follows its session down smoothly while the volume moves, never restarting', async ({ mixer }) => {
  const { page } = mixer;
  const meter = meterOf(page, DEMO.game);
  await expect.poll(() => meterLevel(meter)).toBeGreaterThan(0.3);
  const start = await meterLevel(meter);

  // Screenshots of the meter, one after another, while the volume moves.
  const levels: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) levels.push(await meterLevel(meter));
  })();
  await volumeSlider(page, DEMO.game).focus();
  for (let step = 0; step < 15; step += 1) await page.keyboard.press('ArrowDown');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBeCloseTo(0.85, 5);
  // The peak is proportional to the volume: the meter settles near 85 % of where it was (within a few pixels).
  await expect.poll(async () => Math.abs((await meterLevel(meter)) - start * 0.85)).toBeLessThan(0.015);
  sampling = false;
  await sampler;
  // Each 1 % step lowers the peak by about 1 %; a restarted meter would drop to nothing and climb back.
  expect(Math.min(...levels), `levels: ${levels.map((level) => level.toFixed(3)).join(' ')}`).toBeGreaterThan(start * 0.85 - 0.03);
});

test('a muted session’s meter falls to silence, and comes back when unmuted', async ({ mixer }) => {
  const { page } = mixer;
  const meter = meterOf(page, DEMO.mediaPlayer);
  const level = () => meterLevel(meter);
  await expect.poll(level).toBeGreaterThan(0.1);
  await muteButton(page, DEMO.mediaPlayer).click();
  await expect.poll(level).toBe(0);
  await muteButton(page, DEMO.mediaPlayer).click();
  await expect.poll(level).toBeGreaterThan(0.1);
});

test('the device strip has a peak meter fed by the endpoint’s level', async ({ mixer }) => {
  const { page } = mixer;
  const meter = peakMeter(page.getByRole('group', { name: `Device ${DEMO.speakers}` }));
  // The demo plays on the speakers: the endpoint is loud.
  await expect.poll(() => meterLevel(meter)).toBeGreaterThan(0.3);
  // Every stream on it stopped: the endpoint falls silent, and so does its meter.
  await mixer.sim(({ engine, demo }) => {
    for (const stream of [demo.streams.game, demo.streams.mediaPlayer, demo.streams.browser, demo.streams.browserSecondInstance]) engine.stopStream(stream);
  });
  await expect.poll(() => meterLevel(meter)).toBeLessThan(0.05);
});

/**
 * The meter's bottom on screen (a few rows up: the track's rounded corners blend its last rows),
 * and the theme's --meter-low as the screen would show it (over the track: a forced palette's
 * Highlight may be translucent).
 */
async function bottomColours(meter: Locator): Promise<{ drawn: Rgb; theme: Rgb }> {
  const { rows, track } = await meterOnScreen(meter);
  const [r, g, b, alpha] = await meter.evaluate((canvas) => {
    const probe = document.createElement('div');
    probe.style.cssText = `forced-color-adjust: none; color: ${getComputedStyle(canvas).getPropertyValue('--meter-low').trim()}`;
    document.body.append(probe);
    const [red = 0, green = 0, blue = 0, opacity = 1] = (getComputedStyle(probe).color.match(/[\d.]+/g) ?? []).map(Number);
    probe.remove();
    return [red, green, blue, opacity];
  });
  const over = (channel: number, under: number) => Math.round(channel * alpha + under * (1 - alpha));
  return { drawn: rows.at(-4) ?? [0, 0, 0], theme: [over(r, track[0]), over(g, track[1]), over(b, track[2])] };
}

test('a meter is drawn in the theme’s colours, and redrawn in the new ones when the colour scheme or forced colours change', async ({ mixer }) => {
  const { page } = mixer;
  await page.emulateMedia({ colorScheme: 'light' });
  const meter = meterOf(page, DEMO.game);
  await expect.poll(() => meterLevel(meter)).toBeGreaterThan(0.3);
  const light = await bottomColours(meter);
  expect(colourDistance(light.drawn, light.theme), `drawn ${light.drawn}, theme ${light.theme}`).toBeLessThanOrEqual(12);
  // The sim's clock stands still: no peaks message comes, the theme change alone redraws the meter.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => colourDistance((await bottomColours(meter)).drawn, light.drawn)).toBeGreaterThan(40);
  const dark = await bottomColours(meter);
  expect(colourDistance(dark.drawn, dark.theme), `drawn ${dark.drawn}, theme ${dark.theme}`).toBeLessThanOrEqual(12);
  // Forced colours: the system's Highlight.
  await page.emulateMedia({ forcedColors: 'active' });
  await expect.poll(async () => colourDistance((await bottomColours(meter)).drawn, dark.drawn)).toBeGreaterThan(40);
  const forced = await bottomColours(meter);
  expect(colourDistance(forced.drawn, forced.theme), `drawn ${forced.drawn}, theme ${forced.theme}`).toBeLessThanOrEqual(12);
});

test('where the browser has no OffscreenCanvas, the page draws the meters itself, from its own socket’s peaks', async ({ mixer }) => {
  test.skip(mixer.target !== 'web', 'web mode’s fallback: the page subscribes to the peaks itself');
  const { page } = mixer;
  await page.addInitScript(() => {
    Reflect.deleteProperty(window, 'OffscreenCanvas');
  });
  await page.reload();
  const meter = meterOf(page, DEMO.game);
  await expect.poll(() => meterLevel(meter)).toBeGreaterThan(0.3);
  // Drawn by the page: its canvas keeps a 2D context of its own (a canvas handed to a worker has none).
  expect(await meter.evaluate((canvas: HTMLCanvasElement) => canvas.getContext('2d') !== null)).toBe(true);
  await muteButton(page, DEMO.game).click();
  await expect.poll(() => meterLevel(meter)).toBe(0);
});
