// The volume scale in web mode: the title row's dB toggle (the desktop app has the choice
// on its settings page) shows every volume in dB where the backend says how it maps:
// strips, their sliders' spoken values, the inspector and the compact view; the device
// strip reads in dB where the backend reports its range, else in percent saying why.
// The choice is kept across a reload like web mode's other view choices.
import AxeBuilder from '@axe-core/playwright';
import { formatDb, mappedDb } from '../core/volume-scale';
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { detailsField, openDetails, strip, volumeSlider } from './mixer-page';

test('the dB toggle shows volumes in dB everywhere (the device where its range is known, else percent with why), and is remembered', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  await mixer.sim(({ engine, demo }) => {
    engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.5);
    engine.client(demo.pids.mediaPlayer).setVolume(demo.sessions.mediaPlayer, 0);
  });
  const game = strip(page, DEMO.game);
  const value = (scope: typeof game) => scope.getByTestId('volume-value');
  await expect(volumeSlider(page, DEMO.game)).toHaveValue('50');
  await expect(value(game)).toHaveText('50');

  const toggle = page.getByRole('button', { name: 'dB', exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  // Sim sessions are Core Audio's: amplitude factors, 20 log10(0.5) = -6.0 dB.
  await expect(value(game)).toHaveText('-6.0 dB');
  await expect(volumeSlider(page, DEMO.game)).toHaveAttribute('aria-valuetext', '-6.0 dB');
  await expect(value(strip(page, DEMO.mediaPlayer))).toHaveText('-∞ dB');

  // The value follows the engine and the keyboard in dB too.
  await volumeSlider(page, DEMO.game).focus();
  await page.keyboard.press('PageUp');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBeCloseTo(0.6, 5);
  await expect(value(game)).toHaveText('-4.4 dB');

  // The endpoint reads in dB where the backend reports its range; otherwise percent and the reason, never a guess.
  const range = await mixer.sim(({ host, demo }) => host.devices().find((device) => device.id === demo.devices.speakers)?.volumeRangeDb ?? null);
  const device = page.getByTestId('device-strip');
  const deviceText = range ? formatDb(mappedDb(0.8, { curve: range.curve, range })) : '80 %';
  if (range) {
    await expect(value(device)).toHaveText(deviceText);
    await expect(device.getByRole('slider')).toHaveAttribute('aria-valuetext', deviceText);
  } else {
    await expect(value(device)).toHaveText('80 %');
    await expect(value(device)).toHaveAttribute('title', 'this device does not report its decibel range');
    await expect(device.getByRole('slider')).toHaveAttribute('aria-valuetext', '80 %, no dB scale: this device does not report its decibel range');
  }

  const panel = await openDetails(page, DEMO.game);
  await expect(detailsField(panel, 'Volume')).toHaveText('-4.4 dB60 %');
  await page.screenshot({ path: testInfo.outputPath('volume-scale-db.png'), animations: 'disabled' });
  const axe = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  expect(axe.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
  await page.keyboard.press('Escape');

  // Kept across a reload, and the compact view (same browser) reads the same scale.
  await page.reload();
  await expect(value(strip(page, DEMO.game))).toHaveText('-4.4 dB');
  const url = new URL(page.url());
  url.searchParams.set('view', 'compact');
  await page.goto(url.toString());
  const row = page.getByTestId('compact-row').filter({ has: page.getByText(DEMO.game, { exact: true }) });
  await expect(row.getByTestId('volume-value')).toHaveText('-4.4 dB');
  await expect(page.getByTestId('compact-device').getByTestId('volume-value')).toHaveText(deviceText);
  await page.screenshot({ path: testInfo.outputPath('volume-scale-compact-db.png'), animations: 'disabled' });

  // And back to percent.
  url.searchParams.delete('view');
  await page.goto(url.toString());
  await page.getByRole('button', { name: 'dB', exact: true }).click();
  await expect(value(strip(page, DEMO.game))).toHaveText('60');
  await expect(volumeSlider(page, DEMO.game)).toHaveAttribute('aria-valuetext', '60 %');
});

test('on PulseAudio the strips and the sink read the dB pactl prints', async ({ pulseMixer }) => {
  const { page, server } = pulseMixer;
  const stream = await server.play({ appName: 'E2E Decibels', binary: 'e2e-decibels' });
  try {
    const radio = strip(page, 'E2E Decibels');
    await expect(radio).toBeVisible();
    const [input] = (await server.list<{ index: number; properties: Record<string, string> }>('sink-inputs')).filter(
      (candidate) => candidate.properties['application.name'] === 'E2E Decibels',
    );
    if (!input) throw new Error('no sink input for the stream');
    // Changed from outside, as pavucontrol would.
    await server.pactl(['set-sink-input-volume', String(input.index), '80%']);
    await expect(volumeSlider(radio, 'E2E Decibels')).toHaveValue('80');
    const [changed] = (await server.list<{ index: number; volume: Record<string, { db: string }> }>('sink-inputs')).filter(
      (candidate) => candidate.index === input.index,
    );
    const pactlDb = Number.parseFloat(Object.values(changed?.volume ?? {})[0]?.db ?? '');
    expect(pactlDb).toBeCloseTo(-5.81, 2);

    await page.getByRole('button', { name: 'dB', exact: true }).click();
    await expect(radio.getByTestId('volume-value')).toHaveText(`${pactlDb.toFixed(1)} dB`);
    await expect(volumeSlider(radio, 'E2E Decibels')).toHaveAttribute('aria-valuetext', `${pactlDb.toFixed(1)} dB`);
    // The null sink has dB volume: its strip reads in dB too, no "unknown".
    await expect(page.getByTestId('device-strip').getByTestId('volume-value')).toHaveText(/^-?(\d+\.\d|∞) dB$/);
  } finally {
    await stream.stop();
  }
});
