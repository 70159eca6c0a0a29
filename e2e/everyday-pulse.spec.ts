// The strip menu's "Move to device" and the inspector's balance on a real PulseAudio server
// (the fixture's private one), checked with pactl as any other Pulse client would see them.
import type { PulseTestServer } from '../native-bridge/pulse/testing/test-server';
import { expect, test } from './fixtures';
import { openDetails, playbackPicker, strip } from './mixer-page';

interface PactlSinkInput {
  index: number;
  sink: number;
  volume: Record<string, { value: number }>;
}

async function sinkInput(server: PulseTestServer, index: number): Promise<PactlSinkInput | undefined> {
  return (await server.list<PactlSinkInput>('sink-inputs')).find((input) => input.index === index);
}

test('"Move to device" sends the app to the other sink, as pactl lists it', async ({ pulseMixer }, testInfo) => {
  const { page, server } = pulseMixer;
  await server.pactl(['load-module', 'module-null-sink', 'sink_name=sndmix_second_sink', `sink_properties='device.description="SndMix Second Output"'`]);
  await expect(playbackPicker(page).getByRole('option', { name: 'SndMix Second Output' })).toHaveCount(1);
  const stream = await server.play({ appName: 'E2E Music' });
  await strip(page, 'E2E Music').locator('.strip-name').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions for E2E Music' });
  await menu.getByRole('menuitem', { name: 'Move to device' }).click();
  const devices = page.getByRole('menu', { name: 'Move to device' });
  await expect(devices.getByRole('menuitem', { name: 'SndMix Test Output' })).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('move-to-device.png') });
  await devices.getByRole('menuitem', { name: 'SndMix Second Output' }).click();

  const second = (await server.list<{ index: number; name: string }>('sinks')).find((sink) => sink.name === 'sndmix_second_sink');
  expect(second).toBeDefined();
  await expect.poll(async () => (await sinkInput(server, stream.index))?.sink).toBe(second?.index);
  // The strip left the shown (default) device's panel for the other one's.
  await expect(strip(page, 'E2E Music')).toHaveCount(0);
  await playbackPicker(page).selectOption({ label: 'SndMix Second Output' });
  await expect(strip(page, 'E2E Music')).toBeVisible();
});

test('four steps left on the balance leave the left channel and put the right at 80 %, as pactl reads them', async ({ pulseMixer }) => {
  const { page, server } = pulseMixer;
  const stream = await server.play({ appName: 'E2E Podcast' });
  const details = await openDetails(page, 'E2E Podcast');
  const balance = details.getByRole('slider', { name: 'Balance of E2E Podcast' });
  await expect(balance).toHaveAttribute('aria-valuetext', 'Centre');
  await balance.focus();
  for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowLeft');
  await expect(balance).toHaveAttribute('aria-valuetext', 'Left 20 %');
  await expect
    .poll(async () => Object.values((await sinkInput(server, stream.index))?.volume ?? {}).map((channel) => Math.round((channel.value / 65536) * 100)))
    .toEqual([100, 80]);
  // A change made with pactl moves the thumb (once the user's own steps came back).
  await server.pactl(['set-sink-input-volume', String(stream.index), '50%', '100%']);
  await expect(balance).toHaveAttribute('aria-valuetext', 'Right 50 %');
});
