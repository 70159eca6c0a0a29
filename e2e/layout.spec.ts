// What the screenshots are looked at for, checked on every run: strips line up, and
// nothing in a strip spills out of it or over its neighbour, whatever state it is in.
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { strip } from './mixer-page';

interface PanelGeometry {
  /** Per strip: the top and height of its slider, value and mute control. */
  rows: { strip: string; slider: number[]; value: number[]; control: number[] }[];
  /** Children that reach outside their strip, and strips that overlap the next one. */
  spills: string[];
}

test('strips line up, and nothing spills out of a strip, in every strip state', async ({ mixer }) => {
  const { page } = mixer;
  await mixer.sim(({ engine, demo }) => {
    engine.client(demo.pids.mediaPlayer).setMute(demo.sessions.mediaPlayer, true);
    engine.stopStream(demo.streams.browser);
    engine.startProcess({ pid: 9600, exePath: 'C:\\Apps\\Daw\\daw.exe', windowTitle: 'Synthesizer Workstation Professional 2025 – Untitled Project (unsaved)' });
    engine.openStream({ pid: 9600, start: true });
    engine.startProcess({ pid: 9700, exePath: 'C:\\Apps\\Tuner\\tuner.exe', windowTitle: 'Tuner' });
    engine.disconnectSession(engine.openStream({ pid: 9700, start: true }).sessionId, 'format-changed');
  });
  await page.getByRole('switch', { name: 'Show recording sessions' }).check();
  await expect(strip(page, 'Tuner')).toHaveAttribute('data-state', 'disconnected');
  await expect(strip(page, DEMO.browser)).toHaveAttribute('data-state', 'inactive');

  const panels = await page.locator('.mixer-panel').evaluateAll((elements): PanelGeometry[] =>
    elements.map((panel) => {
      const strips = [...panel.querySelectorAll<HTMLElement>('[data-testid="device-strip"], [data-testid="session-strip"]')];
      const box = (element: Element | null) => {
        const rect = element?.getBoundingClientRect();
        return rect ? [Math.round(rect.top * 2) / 2, Math.round(rect.height * 2) / 2] : [];
      };
      const spills: string[] = [];
      strips.forEach((stripElement, index) => {
        const name = stripElement.getAttribute('aria-label') ?? '?';
        const outer = stripElement.getBoundingClientRect();
        for (const child of stripElement.querySelectorAll('*')) {
          const rect = child.getBoundingClientRect();
          if (rect.width === 0 || child.closest('.visually-hidden')) continue;
          if (rect.left < outer.left - 0.5 || rect.right > outer.right + 0.5 || rect.bottom > outer.bottom + 0.5) {
            spills.push(`${name}: <${child.tagName.toLowerCase()} class="${child.getAttribute('class') ?? ''}"> reaches outside the strip`);
          }
        }
        const next = strips[index + 1];
        if (next && next.getBoundingClientRect().left < outer.right - 0.5) spills.push(`${name} overlaps the next strip`);
      });
      return {
        spills,
        rows: strips.map((stripElement) => ({
          strip: stripElement.getAttribute('aria-label') ?? '?',
          slider: box(stripElement.querySelector('input[type="range"]')),
          value: box(stripElement.querySelector('.volume-value')),
          control: box(stripElement.querySelector('.mute-button, .strip-status')),
        })),
      };
    }),
  );

  expect(panels).toHaveLength(2);
  for (const panel of panels) {
    expect(panel.spills).toEqual([]);
    const [first, ...others] = panel.rows;
    if (!first) throw new Error('a panel without strips');
    for (const row of others) {
      expect({ strip: row.strip, slider: row.slider, value: row.value, control: row.control }).toEqual({
        strip: row.strip,
        slider: first.slider,
        value: first.value,
        control: first.control,
      });
    }
  }
});
