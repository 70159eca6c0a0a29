// The window as a user sees it at everyday sizes: strips fill the height, names get two
// lines, each meter spans its slider's track, a narrow window scrolls with a visible bar;
// and a picture per theme (light, dark, forced colours) with axe run on each.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { MIXER_WINDOW_MIN_SIZE } from '../electron/mixer-window-size';
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { strip } from './mixer-page';

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return results.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

async function shoot(page: Page, name: string, testInfo: { outputPath(name: string): string; attach(name: string, options: { path: string; contentType: string }): Promise<void> }) {
  await page.mouse.move(0, 0);
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

test.describe('at 980x560', () => {
  test.use({ viewport: { width: 980, height: 560 } });

  test('strips fill the window, names take two lines, meters span the track', async ({ mixer }, testInfo) => {
    const { page } = mixer;
    await mixer.sim(({ engine }) => {
      engine.startProcess({ pid: 9600, exePath: 'C:\\Apps\\Daw\\daw.exe', windowTitle: 'Synthesizer Workstation Professional' });
      engine.openStream({ pid: 9600, start: true });
    });
    const daw = strip(page, 'Synthesizer Workstation Professional');
    await expect(daw).toBeVisible();
    await shoot(page, 'look-980x560', testInfo);

    const geometry = await page.evaluate(() => {
      const panel = document.querySelector('.mixer-panel')?.getBoundingClientRect();
      const slider = document.querySelector('[data-testid="session-strip"] input[type="range"]')?.getBoundingClientRect();
      const meter = document.querySelector('[data-testid="session-strip"] [data-testid="peak-meter"]')?.getBoundingClientRect();
      const name = [...document.querySelectorAll<HTMLElement>('[data-testid="session-strip"] .strip-name')].find((element) =>
        element.textContent?.startsWith('Synthesizer'),
      );
      return {
        windowHeight: window.innerHeight,
        panelBottom: panel?.bottom ?? 0,
        sliderHeight: slider?.height ?? 0,
        sliderTop: slider?.top ?? 0,
        meterTop: meter?.top ?? 0,
        meterHeight: meter?.height ?? 0,
        nameLines: name ? Math.round(name.getBoundingClientRect().height / parseFloat(getComputedStyle(name).lineHeight)) : 0,
      };
    });
    // The panel reaches the window's bottom padding, and the slider took the room.
    expect(geometry.windowHeight - geometry.panelBottom).toBeLessThanOrEqual(16);
    expect(geometry.sliderHeight).toBeGreaterThan(200);
    // The thumb's centre travels the input less 10 px at each end: that is the drawn track, and the meter.
    expect(geometry.meterTop).toBeCloseTo(geometry.sliderTop + 10, 0);
    expect(geometry.meterHeight).toBeCloseTo(geometry.sliderHeight - 20, 0);
    expect(geometry.nameLines).toBe(2);
  });
});

test.describe('narrow and tall', () => {
  test.use({ viewport: { width: MIXER_WINDOW_MIN_SIZE.width, height: 900 } });

  test('the strips scroll sideways with a visible bar', async ({ mixer }, testInfo) => {
    const { page } = mixer;
    await expect(strip(page, DEMO.mediaPlayer)).toBeVisible();
    await shoot(page, 'look-420x900', testInfo);
    const row = page.getByTestId('render-strips');
    const { scrollable, scrollbarWidth } = await row.evaluate((element) => ({
      scrollable: element.scrollWidth > element.clientWidth,
      scrollbarWidth: getComputedStyle(element).scrollbarWidth,
    }));
    expect(scrollable).toBe(true);
    // A classic bar, not a thin one (headless Chromium hides every bar, so the style is what can be checked).
    expect(scrollbarWidth).toBe('auto');
  });
});

for (const theme of ['light', 'dark', 'forced-colors'] as const) {
  test(`${theme}: a picture, and axe finds nothing`, async ({ mixer }, testInfo) => {
    const { page } = mixer;
    await mixer.sim(({ engine, demo }) => {
      engine.client(demo.pids.game).setMute(demo.sessions.game, true);
      engine.client(demo.pids.mediaPlayer).setVolume(demo.sessions.mediaPlayer, 0.6);
    });
    await page.emulateMedia(theme === 'forced-colors' ? { forcedColors: 'active', colorScheme: 'dark' } : { colorScheme: theme });
    await expect(strip(page, DEMO.game).getByRole('button', { name: `Mute ${DEMO.game}` })).toHaveAttribute('aria-pressed', 'true');
    await shoot(page, `theme-${theme}`, testInfo);
    expect(await axeViolations(page)).toEqual([]);
  });
}

test('forced colours: the slider and the meter paint themselves in system colours', async ({ mixer }) => {
  const { page } = mixer;
  await page.emulateMedia({ forcedColors: 'active' });
  const slider = page.locator('[data-testid="session-strip"] input[type="range"]').first();
  const painted = await slider.evaluate((element) => ({
    forced: matchMedia('(forced-colors: active)').matches,
    adjust: getComputedStyle(element).forcedColorAdjust,
    meter: getComputedStyle(element.parentElement?.querySelector('.meter') ?? element).forcedColorAdjust,
  }));
  // The browser would drop the gradients that draw the track and its fill: the slider and meter paint their own.
  expect(painted).toEqual({ forced: true, adjust: 'none', meter: 'none' });
});

test('pictures: every playback device at once, and a strip menu open in forced colours', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  await page.getByRole('button', { name: 'All devices' }).click();
  await expect(page.getByTestId('playback-device-section')).toHaveCount(2);
  await shoot(page, 'look-all-devices', testInfo);
  expect(await axeViolations(page)).toEqual([]);

  await page.emulateMedia({ forcedColors: 'active', colorScheme: 'dark' });
  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: `Actions for ${DEMO.game}` });
  await expect(menu).toBeVisible();
  await page.keyboard.press('ArrowDown');
  const file = testInfo.outputPath('look-menu-forced-colors.png');
  await page.screenshot({ path: file, animations: 'disabled' });
  await testInfo.attach('look-menu-forced-colors', { path: file, contentType: 'image/png' });
  expect(await axeViolations(page)).toEqual([]);
});

test('pictures: recently heard, profiles and the inspector’s balance, in light and forced colours, with axe', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9800, exePath: 'C:\\Apps\\Doorbell\\doorbell.exe', windowTitle: 'Doorbell Notifier' });
    engine.openStream({ pid: 9800, start: true });
  });
  for (const theme of ['light', 'forced-colors'] as const) {
    await page.emulateMedia(theme === 'forced-colors' ? { forcedColors: 'active', colorScheme: 'dark' } : { forcedColors: 'none', colorScheme: 'light' });
    await page.getByRole('button', { name: /^Recently heard/ }).click();
    await expect(page.getByRole('dialog', { name: 'Recently heard' }).getByRole('listitem')).toHaveCount(1);
    await shoot(page, `look-recently-heard-${theme}`, testInfo);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /^Profiles/ }).click();
    const profiles = page.getByRole('dialog', { name: 'Profiles' });
    if (theme === 'light') {
      await profiles.getByRole('textbox', { name: 'Name for a new profile' }).fill('Evening');
      await profiles.getByRole('textbox', { name: 'Name for a new profile' }).press('Enter');
    }
    await expect(profiles.getByRole('listitem')).toHaveCount(1);
    await shoot(page, `look-profiles-${theme}`, testInfo);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: `${DEMO.game} details`, exact: true }).click();
    await expect(page.getByRole('slider', { name: `Balance of ${DEMO.game}` })).toBeVisible();
    await shoot(page, `look-inspector-balance-${theme}`, testInfo);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
  }
});
