// Peak meters: they follow the sessions' levels smoothly and fall to silence when a session
// goes quiet (that they restyle only when a level moves is in performance.spec.ts). (The
// sim's peaks depend on its clock, which stands still here unless a test moves it, so a
// meter's only cause to move is the test's.)
import type { Locator, Page } from '@playwright/test';
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { meterLevel, meterLevelIn, muteButton, peakMeter, strip, volumeSlider } from './mixer-page';

interface MeterRecording {
  /** The levels recorded so far. */
  levels(): Promise<number[]>;
  stop(): Promise<number[]>;
}

/** Records the meter's level at every animation frame, in the page. */
async function recordLevels(meter: Locator): Promise<MeterRecording> {
  await meter.page().evaluate(`window.meterLevelIn = ${meterLevelIn.toString()}`);
  await meter.evaluate((canvas) => {
    const recording = { levels: [] as number[], stopped: false };
    Object.assign(window, { meterRecording: recording });
    const levelIn = (window as unknown as { meterLevelIn: (canvas: Element) => number }).meterLevelIn;
    const record = () => {
      recording.levels.push(levelIn(canvas));
      if (!recording.stopped) requestAnimationFrame(record);
    };
    requestAnimationFrame(record);
  });
  const read = (stop: boolean) =>
    meter.page().evaluate((stopNow) => {
      const recording = (window as unknown as { meterRecording: { levels: number[]; stopped: boolean } }).meterRecording;
      recording.stopped ||= stopNow;
      return [...recording.levels];
    }, stop);
  return { levels: () => read(false), stop: () => read(true) };
}

function meterOf(page: Page, name: string): Locator {
  return peakMeter(strip(page, name));
}

test('a meter follows its session down smoothly while the volume moves, never restarting', async ({ mixer }) => {
  const { page } = mixer;
  const meter = meterOf(page, DEMO.game);
  await expect.poll(() => meterLevel(meter)).toBeGreaterThan(0.3);
  const start = await meterLevel(meter);

  const recording = await recordLevels(meter);
  await volumeSlider(page, DEMO.game).focus();
  for (let step = 0; step < 15; step += 1) await page.keyboard.press('ArrowDown');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBeCloseTo(0.85, 5);
  // The peak is proportional to the volume: the meter settles near 85 % of where it was.
  await expect.poll(async () => (await recording.levels()).at(-1)).toBeCloseTo(start * 0.85, 2);
  const levels = await recording.stop();

  const drops = levels.slice(1).map((level, index) => (levels[index] ?? 0) - level);
  // Each 1 % step lowers the peak by about 1 %; a restarted meter would drop to nothing and climb back.
  expect(Math.max(...drops), `levels: ${levels.join(' ')}`).toBeLessThan(0.05);
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

test('a meter is drawn in the theme’s colours, and redrawn in the new ones when the colour scheme changes', async ({ mixer }) => {
  const { page } = mixer;
  await page.emulateMedia({ colorScheme: 'light' });
  const meter = meterOf(page, DEMO.game);
  await expect.poll(() => meterLevel(meter)).toBeGreaterThan(0.3);
  // The bottom row's colour, and the theme's --meter-low, both as #rrggbb.
  const colours = () =>
    meter.evaluate((canvas: HTMLCanvasElement) => {
      const hex = (value: string) => {
        const probe = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
        probe.fillStyle = value;
        return probe.fillStyle;
      };
      const [r = 0, g = 0, b = 0] = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, canvas.height - 1, 1, 1).data;
      return { drawn: hex(`rgb(${r}, ${g}, ${b})`), theme: hex(getComputedStyle(canvas).getPropertyValue('--meter-low').trim()) };
    });
  const light = await colours();
  expect(light.drawn).toBe(light.theme);
  // The sim's clock stands still: no peaks message comes, the theme change alone redraws the meter.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(colours).toEqual({ drawn: expect.not.stringMatching(light.drawn), theme: expect.not.stringMatching(light.theme) });
  const dark = await colours();
  expect(dark.drawn).toBe(dark.theme);
});
