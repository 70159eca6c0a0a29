// SndMix on a real PulseAudio server (a private one the fixture starts): streams played
// with pacat (paplay's engine) appear by name, and volume goes both ways, read and
// written with pactl as any other Pulse client would; a GStreamer player's track change
// reaches the inspector.
import { gstTestSupport, playTracks, shouldSkipGstTests } from '../native-bridge/pulse/testing/gst-player';
import type { PulseTestServer } from '../native-bridge/pulse/testing/test-server';
import { expect, test } from './fixtures';
import { detailsField, muteButton, openDetails, playbackPicker, startDrag, strip, volumeSlider } from './mixer-page';

interface PactlSinkInput {
  index: number;
  mute: boolean;
  volume: Record<string, { value: number }>;
}

/** The loudest channel of a sink input, 0..1 (PA_VOLUME_NORM = 65536 = 100 %), as pactl reports it. */
async function serverVolume(server: PulseTestServer, index: number): Promise<{ volume: number; muted: boolean } | undefined> {
  const input = (await server.list<PactlSinkInput>('sink-inputs')).find((candidate) => candidate.index === index);
  if (!input) return undefined;
  return { volume: Math.max(...Object.values(input.volume).map((channel) => channel.value)) / 65536, muted: input.mute };
}

test('a stream played on the server appears with its name, and goes when it ends', async ({ pulseMixer }) => {
  const { page, server } = pulseMixer;
  await expect(playbackPicker(page).getByRole('option', { name: 'SndMix Test Output (default)' })).toHaveCount(1);
  const stream = await server.play({ appName: 'E2E Radio', binary: 'e2e-radio' });
  const radio = strip(page, 'E2E Radio');
  await expect(radio).toBeVisible();
  await expect(volumeSlider(radio, 'E2E Radio')).toHaveValue('100');

  await stream.stop();
  await expect(radio).toHaveCount(0);
});

test("a player's track change shows in the inspector as it happens", async ({ pulseMixer }) => {
  test.skip(shouldSkipGstTests(), `needs GStreamer: ${gstTestSupport().reason ?? ''}`);
  const { page, server } = pulseMixer;
  const player = await playTracks(server, { appName: 'E2E Jukebox', titles: ['Blue in Green', 'So What'] });
  try {
    const panel = await openDetails(page, 'E2E Jukebox');
    await expect(detailsField(panel, 'Playing')).toHaveText('Blue in Greenas its streams name it');
    await player.next();
    await expect(detailsField(panel, 'Playing')).toHaveText('So Whatas its streams name it');
  } finally {
    await player.stop();
  }
});

test('dragging the slider and the keyboard set the stream volume on the server', async ({ pulseMixer }) => {
  const { page, server } = pulseMixer;
  const stream = await server.play({ appName: 'E2E Podcast' });
  const slider = volumeSlider(page, 'E2E Podcast');
  const drag = await startDrag(page, slider);
  await drag.moveTo(0.5);
  await drag.release();
  const dragged = Number(await slider.inputValue()) / 100;
  expect(dragged).toBeCloseTo(0.5, 1);
  await expect.poll(async () => (await serverVolume(server, stream.index))?.volume).toBeCloseTo(dragged, 2);

  await slider.focus();
  await page.keyboard.press('End');
  for (let press = 0; press < 3; press += 1) await page.keyboard.press('PageDown');
  await expect.poll(async () => (await serverVolume(server, stream.index))?.volume).toBeCloseTo(0.7, 2);

  await muteButton(page, 'E2E Podcast').click();
  await expect.poll(async () => (await serverVolume(server, stream.index))?.muted).toBe(true);
});

test('a change made outside SndMix with pactl moves the slider', async ({ pulseMixer }) => {
  const { page, server } = pulseMixer;
  const stream = await server.play({ appName: 'E2E Game' });
  const slider = volumeSlider(page, 'E2E Game');
  await expect(slider).toHaveValue('100');

  await server.pactl(['set-sink-input-volume', String(stream.index), '30%']);
  await expect(slider).toHaveValue('30');
  await server.pactl(['set-sink-input-mute', String(stream.index), '1']);
  await expect(muteButton(page, 'E2E Game')).toHaveAttribute('aria-pressed', 'true');
});

test('while the server is down the device strip is disabled and says why; when it is back it works again', async ({ pulseMixer }) => {
  const { page, server } = pulseMixer;
  const master = volumeSlider(page, 'SndMix Test Output');
  await expect(master).toBeEnabled();

  await server.kill();
  await expect(master).toBeDisabled();
  await expect(muteButton(page, 'SndMix Test Output')).toBeDisabled();
  await expect(page.getByTestId('backend-disconnected-banner')).toContainText('PulseAudio server went away');

  await server.startDaemon();
  // The backend retries with backoff (0.5 s, 1 s, ...): back within a few seconds.
  await expect(master).toBeEnabled({ timeout: 15_000 });
  await expect(page.getByTestId('backend-disconnected-banner')).toHaveCount(0);
  await master.focus();
  await page.keyboard.press('Home');
  await expect.poll(async () => (await server.pactl(['get-sink-volume', '@DEFAULT_SINK@'])).includes(' 0% ')).toBe(true);
});
