// The title row on one line at every width from the mixer window's least width up, in
// English and German: swept 10 px at a time, nothing in it overlaps, reaches outside it or
// is cut off, and it is one row high; narrow, the buttons show icons and keep their names
// (as accessible names and in their tooltips).
import type { Page } from '@playwright/test';
import { MIXER_WINDOW_MIN_SIZE } from '../electron/mixer-window-size';
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { strip } from './mixer-page';

const WIDEST = 1920;
const STEP = 10;

/** What is wrong with the title row as laid out now; [] when nothing is. */
async function titleRowProblems(page: Page): Promise<string[]> {
  // The row refits on its resize notification, which comes before the next paint.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => {
    const problems: string[] = [];
    const row = document.querySelector<HTMLElement>('.app-header');
    if (!row) return ['no title row'];
    const outer = row.getBoundingClientRect();
    const shown = [...row.querySelectorAll<HTMLElement>('.brand-icon, .brand-name, .field-label, select, .button, .toggle')]
      .map((element) => ({ element, rect: element.getBoundingClientRect() }))
      // Visually hidden (1 px, clipped) and display: none are not on the screen.
      .filter(({ rect }) => rect.width > 1 && rect.height > 1)
      .sort((a, b) => a.rect.left - b.rect.left);
    const name = (element: Element) => `<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}">${(element.textContent ?? '').trim().slice(0, 30)}`;
    if (row.scrollWidth > row.clientWidth) problems.push(`the row's content is ${row.scrollWidth} px wide in ${row.clientWidth} px`);
    if (outer.height > 36) problems.push(`the row is ${outer.height} px high: more than one line`);
    if (outer.right > window.innerWidth) problems.push('the row reaches outside the window');
    shown.forEach(({ element, rect }, index) => {
      if (rect.left < outer.left - 0.5 || rect.right > outer.right + 0.5 || rect.top < outer.top - 0.5 || rect.bottom > outer.bottom + 0.5) {
        problems.push(`${name(element)} reaches outside the row`);
      }
      const next = shown[index + 1];
      if (next && next.rect.left < rect.right - 0.5) problems.push(`${name(element)} overlaps ${name(next.element)}`);
      // A label cut off: more text than box (the picker's device name is cut on purpose, the select is left out).
      if (element.tagName !== 'SELECT' && element.scrollWidth > element.clientWidth + 0.5) problems.push(`${name(element)} is cut off`);
    });
    return problems;
  });
}

async function sweep(page: Page): Promise<Record<number, string[]>> {
  const found: Record<number, string[]> = {};
  for (let width = MIXER_WINDOW_MIN_SIZE.width; width <= WIDEST; width += STEP) {
    await page.setViewportSize({ width, height: MIXER_WINDOW_MIN_SIZE.height });
    const problems = await titleRowProblems(page);
    if (problems.length > 0) found[width] = problems;
  }
  return found;
}

for (const locale of ['en-US', 'de-DE'] as const) {
  test(`${locale}: the title row keeps to one line from ${MIXER_WINDOW_MIN_SIZE.width} px to ${WIDEST} px, nothing overlapping or cut off`, async ({ mixer }, testInfo) => {
    test.skip(mixer.target !== 'web', 'a second browser window on the same web server');
    const browser = mixer.page.context().browser();
    if (!browser) throw new Error('no browser behind the page');
    // An app hidden: the row has its fullest set of buttons, Show hidden among them.
    await strip(mixer.page, DEMO.game).locator('.strip-name').click({ button: 'right' });
    await mixer.page.getByRole('menu', { name: `Actions for ${DEMO.game}` }).getByRole('menuitem', { name: 'Hide' }).click();
    await expect(mixer.page.getByRole('button', { name: 'Show hidden' })).toBeVisible();
    const context = await browser.newContext({ locale, viewport: { width: WIDEST, height: MIXER_WINDOW_MIN_SIZE.height } });
    try {
      const page = await context.newPage();
      await page.goto(await mixer.page.evaluate(() => performance.getEntriesByType('navigation')[0]?.name ?? ''));
      await expect(page.getByTestId('session-strip').first()).toBeVisible();
      await expect(page.getByRole('button', { name: locale === 'de-DE' ? 'Ausgeblendete zeigen' : 'Show hidden' })).toBeVisible();
      expect(await sweep(page)).toEqual({});

      // Wide, every label shows; at the least width the buttons are icons, named as before, their names in their tooltips.
      const allDevices = page.getByRole('button', { name: locale === 'de-DE' ? 'Alle Geräte' : 'All devices', exact: true });
      await page.setViewportSize({ width: WIDEST, height: MIXER_WINDOW_MIN_SIZE.height });
      await expect(page.locator('.app-header')).toHaveAttribute('data-fit', '');
      await page.setViewportSize(MIXER_WINDOW_MIN_SIZE);
      await expect(page.locator('.app-header')).toHaveAttribute('data-fit', /\bicons\b/);
      await expect(allDevices).toBeVisible();
      await expect(allDevices).toHaveAttribute('data-icon-only', '');
      await expect(allDevices).toHaveAttribute('title', new RegExp(`^${locale === 'de-DE' ? 'Alle Geräte' : 'All devices'}: `));
      await expect(page.getByRole('switch', { name: locale === 'de-DE' ? 'Aufnahmesitzungen anzeigen' : 'Show recording sessions' })).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`title-row-${locale}-${MIXER_WINDOW_MIN_SIZE.width}.png`), clip: { x: 0, y: 0, width: MIXER_WINDOW_MIN_SIZE.width, height: 60 } });
    } finally {
      await context.close();
    }
  });
}
