// The mixer in light and dark theme, as artifacts of every run (test-results/) and, from
// the web target, as the README's pictures (docs/screenshots/). Look at them after a UI change.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO } from './demo';
import { REPO_ROOT } from './electron-app';
import { expect, test } from './fixtures';
import { meterLevel, strip, volumeSlider } from './mixer-page';

const DOCS_SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');

/** Waits until no peak meter moves between two looks at the screen, so a picture never catches one mid-rise. */
async function waitForStillMeters(page: Page): Promise<void> {
  const levels = async () => {
    const meters = await page.locator('.meter canvas').all();
    const shown: number[] = [];
    for (const meter of meters) shown.push(await meterLevel(meter));
    return shown.join();
  };
  await expect
    .poll(async () => {
      const before = await levels();
      await page.waitForTimeout(100);
      return before === (await levels()) && before !== '';
    })
    .toBe(true);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the mixer in ${colorScheme} theme`, async ({ mixer }, testInfo) => {
    const { page } = mixer;
    // A desk at work: levels set by hand, one app muted, the browser's two instances grouped.
    await mixer.sim(({ engine, demo }) => {
      engine.client(demo.pids.mediaPlayer).setVolume(demo.sessions.mediaPlayer, 0.72);
      engine.client(demo.pids.browser).setVolume(demo.sessions.browser, 0.46);
      engine.client(demo.pids.browserSecondInstance).setVolume(demo.sessions.browserSecondInstance, 0.46);
      engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.85);
      engine.client(demo.pids.game).setMute(demo.sessions.game, true);
    });
    await page.emulateMedia({ colorScheme });
    await expect(volumeSlider(page, DEMO.mediaPlayer)).toHaveValue('72');
    await expect(strip(page, DEMO.game).getByRole('button', { name: `Mute ${DEMO.game}` })).toHaveAttribute('aria-pressed', 'true');
    // No hover highlight or focus ring in the picture.
    await page.mouse.move(0, 0);
    await waitForStillMeters(page);

    const panel = await page.locator('.app-main').boundingBox();
    if (!panel) throw new Error('the mixer is not laid out');
    const viewport = page.viewportSize();
    const clip = { x: 0, y: 0, width: viewport?.width ?? panel.x + panel.width + 12, height: Math.ceil(panel.y + panel.height + 12) };
    const file = testInfo.outputPath(`mixer-${colorScheme}.png`);
    await page.screenshot({ path: file, clip, animations: 'disabled' });
    await testInfo.attach(`mixer-${colorScheme}`, { path: file, contentType: 'image/png' });
    if (mixer.target === 'web') {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      copyFileSync(file, path.join(DOCS_SCREENSHOTS, `mixer-${colorScheme}.png`));
    }
  });
}
