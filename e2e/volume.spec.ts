// Volume and mute, both ways: what the user does reaches the engine, and what changes in
// the engine (another app, Windows' own mixer) reaches the window.
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { muteButton, startDrag, strip, volumeSlider } from './mixer-page';

test('dragging a slider sets that session volume in the engine', async ({ mixer }) => {
  const { page } = mixer;
  const slider = volumeSlider(page, DEMO.game);
  await expect(slider).toHaveValue('100');

  const drag = await startDrag(page, slider);
  await drag.moveTo(0.6);
  // While the pointer is still down, the engine already follows (at most once a frame).
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBeCloseTo(0.6, 1);
  await drag.moveTo(0.3);
  await drag.release();

  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBeCloseTo(0.3, 1);
  const engineVolume = await mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume ?? -1);
  await expect(slider).toHaveValue(String(Math.round(engineVolume * 100)));
  // The others did not move.
  const others = await mixer.sim(({ engine, demo }) =>
    [demo.sessions.mediaPlayer, demo.sessions.browser, demo.sessions.systemSounds].map((id) => engine.getSession(id)?.volume),
  );
  expect(others).toEqual([1, 1, 1]);
});

test('the keyboard steps a slider as Sndvol does, and the engine follows', async ({ mixer }) => {
  const { page } = mixer;
  const slider = volumeSlider(page, DEMO.mediaPlayer);
  const engineVolume = () => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.mediaPlayer)?.volume);

  await slider.focus();
  for (let press = 0; press < 3; press += 1) await slider.press('ArrowDown');
  await expect.poll(engineVolume).toBeCloseTo(0.97, 5);
  await slider.press('PageDown');
  await expect.poll(engineVolume).toBeCloseTo(0.87, 5);
  await slider.press('ArrowUp');
  await expect.poll(engineVolume).toBeCloseTo(0.88, 5);
  await slider.press('Home');
  await expect.poll(engineVolume).toBe(0);
  await expect(slider).toHaveAttribute('aria-valuetext', '0 %');
  await slider.press('PageUp');
  await expect.poll(engineVolume).toBeCloseTo(0.1, 5);
  await slider.press('End');
  await expect.poll(engineVolume).toBe(1);
  await expect(slider).toHaveValue('100');
});

test('the mute button toggles the engine mute, and says whether it is pressed', async ({ mixer }) => {
  const { page } = mixer;
  const mute = muteButton(page, DEMO.game);
  const engineMuted = () => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.muted);
  await expect(mute).toHaveAttribute('aria-pressed', 'false');

  await mute.click();
  await expect.poll(engineMuted).toBe(true);
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  // The app hears silence, and its volume is kept for when it is unmuted (R13).
  const stream = await mixer.sim(({ engine, demo }) => engine.getStream(demo.streams.game));
  expect(stream?.effectiveVolume).toBe(0);

  await mute.focus();
  await page.keyboard.press('Space');
  await expect.poll(engineMuted).toBe(false);
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  expect((await mixer.sim(({ engine, demo }) => engine.getStream(demo.streams.game)))?.effectiveVolume).toBe(1);
});

test('a change made in the engine moves the slider and the mute button', async ({ mixer }) => {
  const { page } = mixer;
  // The game changes its own volume, as an app may (R16).
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.35));
  const slider = volumeSlider(page, DEMO.game);
  await expect(slider).toHaveValue('35');
  await expect(slider).toHaveAttribute('aria-valuetext', '35 %');
  await expect(strip(page, DEMO.game).getByText('35', { exact: true })).toBeVisible();

  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setMute(demo.sessions.game, true));
  await expect(muteButton(page, DEMO.game)).toHaveAttribute('aria-pressed', 'true');

  // The endpoint's own volume, changed behind SndMix's back, moves the device strip.
  await mixer.sim(({ engine, demo }) => engine.setDeviceVolume(demo.devices.speakers, 0.42));
  await expect(volumeSlider(page.getByTestId('device-strip'), DEMO.speakers)).toHaveValue('42');
});

test('the device strip sets the endpoint volume and mute', async ({ mixer }) => {
  const { page } = mixer;
  const device = page.getByTestId('device-strip');
  const speakers = () => mixer.sim(({ engine, demo }) => engine.getDevice(demo.devices.speakers));
  await volumeSlider(device, DEMO.speakers).focus();
  await page.keyboard.press('PageUp');
  await expect.poll(async () => (await speakers())?.volume).toBeCloseTo(0.9, 5);
  await muteButton(device, DEMO.speakers).click();
  await expect.poll(async () => (await speakers())?.muted).toBe(true);
  await expect(muteButton(device, DEMO.speakers)).toHaveAttribute('aria-pressed', 'true');
});
