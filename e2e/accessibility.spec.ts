// The mixer for people who do not see it: axe finds nothing to fix, and every slider is
// announced with its name and value, in the browser's own accessibility tree.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEMO } from './demo';
import type { Mixer } from './fixtures';
import { expect, test } from './fixtures';
import { strip, volumeSlider } from './mixer-page';

async function axeViolations(page: Page): Promise<string[]> {
  // Legacy mode runs axe inside this page only; the default opens a helper page, which an Electron app cannot.
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`).join('\n'),
  );
}

/** Every kind of strip at once: inactive, muted, grouped, disconnected, plus the recording section. */
async function showEveryState(mixer: Mixer): Promise<void> {
  const { page } = mixer;
  await mixer.sim(({ engine, demo }) => {
    engine.client(demo.pids.mediaPlayer).setMute(demo.sessions.mediaPlayer, true);
    engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.42);
    engine.stopStream(demo.streams.browser);
    engine.startProcess({ pid: 9300, exePath: 'C:\\Apps\\Synth\\synth.exe', windowTitle: 'Synth' });
    const synth = engine.openStream({ pid: 9300, start: true });
    engine.disconnectSession(synth.sessionId, 'format-changed');
  });
  await page.getByRole('switch', { name: 'Show recording sessions' }).check();
  await expect(strip(page, 'Synth')).toHaveAttribute('data-state', 'disconnected');
  await expect(strip(page, DEMO.browser)).toHaveAttribute('data-state', 'inactive');
  await expect(page.getByTestId('recording-section')).toBeVisible();
}

test('axe finds no violation in the mixer, light and dark, in every strip state', async ({ mixer }) => {
  const { page } = mixer;
  expect(await axeViolations(page)).toEqual([]);

  await showEveryState(mixer);
  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeViolations(page)).toEqual([]);
});

interface AnnouncedSlider {
  name: string;
  value: string;
  /** What is read out for the value. */
  valueText: string;
  orientation: string | undefined;
  disabled: boolean;
}

/** The sliders as a screen reader gets them: from Chromium's accessibility tree, not the DOM. */
async function announcedSliders(page: Page): Promise<AnnouncedSlider[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: {
        ignored: boolean;
        role?: { value?: unknown };
        name?: { value?: unknown };
        value?: { value?: unknown };
        properties?: { name: string; value: { value?: unknown } }[];
      }[];
    };
    return nodes
      .filter((node) => !node.ignored && node.role?.value === 'slider')
      .map((node) => {
        const property = (name: string) => node.properties?.find((candidate) => candidate.name === name)?.value.value;
        return {
          name: String(node.name?.value ?? ''),
          value: String(node.value?.value ?? ''),
          valueText: String(property('valuetext') ?? ''),
          orientation: property('orientation') as string | undefined,
          disabled: property('disabled') === true,
        };
      });
  } finally {
    await cdp.detach();
  }
}

test('every slider is announced with its name and its volume', async ({ mixer }) => {
  const { page } = mixer;
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.42));
  await showEveryState(mixer);
  await expect(volumeSlider(page, DEMO.game)).toHaveValue('42');

  // One slider per shown strip: the sessions of the shown devices, the browser's two instances as one.
  const expected = await mixer.sim(({ host, demo }) =>
    host
      .sessions()
      .filter(
        (session) =>
          ([demo.devices.speakers, demo.devices.microphone] as string[]).includes(session.deviceId) &&
          session.state !== 'expired' &&
          session.id !== demo.sessions.browserSecondInstance,
      )
      .map((session) => ({
        name: `Volume of ${session.displayName}`,
        value: String(Math.round(session.volume * 100)),
        // Chromium reads a native range input's own value, not its aria-valuetext ("42 %").
        valueText: String(Math.round(session.volume * 100)),
        orientation: 'vertical',
        disabled: session.disconnected !== null,
      })),
  );
  const announced = await announcedSliders(page);
  expect(expected.length).toBe(5);
  for (const slider of expected) expect(announced).toContainEqual(slider);
  // The endpoints' own sliders too; and no slider without a name.
  const endpoint = { orientation: 'vertical', disabled: false };
  expect(announced).toContainEqual({ name: `Volume of ${DEMO.speakers}`, value: '80', valueText: '80', ...endpoint });
  expect(announced).toContainEqual({ name: `Volume of ${DEMO.microphone}`, value: '70', valueText: '70', ...endpoint });
  expect(announced.filter((slider) => !slider.name.startsWith('Volume of '))).toEqual([]);
});
