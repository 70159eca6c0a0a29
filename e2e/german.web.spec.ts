// The window in German, past the strips: the event timeline (its controls, status and
// event details), the inspector (fields, state history with German times) and the
// compact view. Two checks: known German labels are there, and none of en.ts's English
// strings (those German words differently) is left anywhere on the page, in text or in
// the names, tooltips and placeholders people and screen readers get.
import type { Browser, Page } from '@playwright/test';
import { de } from '../renderer/i18n/de';
import { en } from '../renderer/i18n/en';
import { DEMO } from './demo';
import type { Mixer } from './fixtures';
import { expect, test } from './fixtures';

/** en.ts's strings that German words differently, as patterns matching a whole text ({{x}}: anything). */
function englishLeftovers(): { key: string; pattern: RegExp }[] {
  const patterns: { key: string; pattern: RegExp }[] = [];
  for (const [group, strings] of Object.entries(en)) {
    for (const [name, english] of Object.entries(strings as Record<string, string>)) {
      const german = (de as unknown as Record<string, Record<string, string>>)[group]?.[name];
      if (german === english) continue;
      const source = english
        .trim()
        .split(/\{\{[^}]+\}\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+');
      patterns.push({ key: `${group}.${name}`, pattern: new RegExp(`^${source}$`) });
    }
  }
  return patterns;
}

/** Every text on the page a person or a screen reader meets: element texts, names, tooltips, placeholders, values. */
async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const own = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('');
      texts.push(own);
      if (element.children.length === 0) texts.push(element.textContent ?? '');
      for (const attribute of ['title', 'aria-label', 'placeholder', 'aria-valuetext', 'label']) {
        const value = element.getAttribute(attribute);
        // Tooltips are lines; the timeline's details are pieces joined by " · ".
        if (value) texts.push(...value.split(/\n| · /));
      }
    }
    return [...new Set(texts.map((text) => text.trim()).filter((text) => text !== ''))];
  });
}

async function englishOn(page: Page): Promise<string[]> {
  const texts = await pageTexts(page);
  return englishLeftovers().flatMap(({ key, pattern }) => texts.filter((text) => pattern.test(text)).map((text) => `${key}: "${text}"`));
}

async function expectNoEnglish(page: Page, view: string): Promise<void> {
  expect(await englishOn(page), `English left in the German ${view}`).toEqual([]);
}

/** A second window on the same server from a German browser, at the address SndMix printed. */
async function germanPage(mixer: Mixer, browser: Browser): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1000, height: 620 } });
  const page = await context.newPage();
  const address = await mixer.page.evaluate(() => performance.getEntriesByType('navigation')[0]?.name ?? '');
  await page.goto(address);
  return { page, close: () => context.close() };
}

test('the German timeline, inspector and compact view have German labels and no English left', async ({ mixer }, testInfo) => {
  test.skip(mixer.target !== 'web', 'a second browser window on the same web server');
  const browser = mixer.page.context().browser();
  if (!browser) throw new Error('no browser behind the page');
  // The scan finds English where there is some: the test's own English window.
  expect((await englishOn(mixer.page)).length).toBeGreaterThan(10);
  const { page, close } = await germanPage(mixer, browser);
  try {
    await expect(page.getByRole('heading', { name: 'Lautstärkemixer' })).toBeVisible();
    await page.getByRole('button', { name: 'Ereignisse' }).click();
    const timeline = page.getByRole('region', { name: 'Ereignisverlauf' });
    await expect(timeline).toBeVisible();
    // Events of several kinds: a volume, a state change with its history line, and a new session.
    await mixer.sim(({ engine, demo }) => {
      engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.25);
      engine.client(demo.pids.game).setMute(demo.sessions.game, true);
    });
    const rows = timeline.getByRole('row');
    await expect(rows.filter({ hasText: 'volume-changed' }).first()).toBeVisible();
    await expect(rows.filter({ hasText: 'volume-changed' }).first()).toContainText('Kontext ');

    for (const name of ['Anhalten', 'Leeren', 'Als JSON exportieren', 'Als CSV exportieren', 'Als Szenario speichern']) {
      await expect(timeline.getByRole('button', { name, exact: true })).toBeVisible();
    }
    for (const name of ['Zeit', 'Ereignis', 'Sitzung oder Gerät', 'Änderung', 'Einzelheiten']) {
      await expect(timeline.getByRole('columnheader', { name, exact: true })).toBeVisible();
    }
    await expect(timeline.getByRole('combobox', { name: 'Sitzung' })).toBeVisible();
    await expect(timeline.getByRole('searchbox', { name: 'Suche' })).toHaveAttribute('placeholder', 'Name, Wert, ID…');
    await expect(page.getByTestId('timeline-status')).toContainText('gezeigt');
    // German times: a decimal comma before the milliseconds.
    await expect(rows.nth(1).getByRole('cell').first()).toHaveText(/^\d\d:\d\d:\d\d,\d{3}$/);

    await page.getByRole('button', { name: `${DEMO.game} Details`, exact: true }).click();
    const panel = page.getByRole('dialog', { name: DEMO.game });
    await expect(panel.getByRole('term').filter({ hasText: /^Lautstärke$/ })).toBeVisible();
    await expect(panel.getByRole('term').filter({ hasText: /^Zustand$/ })).toBeVisible();
    const history = panel.getByRole('list', { name: `Zustandsverlauf von ${DEMO.game}` });
    await expect(history.getByRole('listitem').first()).toContainText('Gesehen als aktiv');
    await expect(history.locator('time').first()).toHaveText(/^\d\d:\d\d:\d\d,\d{3}$/);
    await page.screenshot({ path: testInfo.outputPath('german-timeline-inspector.png'), animations: 'disabled' });
    await expectNoEnglish(page, 'mixer, timeline and inspector');

    const compact = new URL(page.url());
    compact.searchParams.set('view', 'compact');
    await page.goto(compact.toString());
    await expect(page.getByRole('link', { name: 'Mixer öffnen' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Anwendungen' })).toBeVisible();
    await expect(page.getByRole('slider', { name: `Lautstärke von ${DEMO.game}` })).toBeVisible();
    await expectNoEnglish(page, 'compact view');
  } finally {
    await close();
  }
});

test('the German connection notice: a page opened without its access token says so in German', async ({ mixer }) => {
  test.skip(mixer.target !== 'web', 'a second browser window on the same web server');
  const browser = mixer.page.context().browser();
  if (!browser) throw new Error('no browser behind the page');
  const context = await browser.newContext({ locale: 'de-DE' });
  try {
    const page = await context.newPage();
    const address = new URL(await mixer.page.evaluate(() => performance.getEntriesByType('navigation')[0]?.name ?? ''));
    address.search = '';
    await page.goto(address.toString());
    await expect(page.getByTestId('connection-banner')).toHaveText(de.notices.needsToken);
    await expectNoEnglish(page, 'connection notice');
  } finally {
    await context.close();
  }
});
