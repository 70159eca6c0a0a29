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
