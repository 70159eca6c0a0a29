// Sessions that die under the user's hand (R21, R25): the window must say so, keep the
// engine's state consistent, and go on working.
import type { Page } from '@playwright/test';
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { muteButton, playbackPicker, playbackStripNames, startDrag, strip, volumeSlider } from './mixer-page';

/** Script errors in the page and console errors, collected for the test to check at its end. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  return errors;
}

/**
 * A change the drag sent in the moment before the window heard of the disconnect is
 * refused, and the window says why; no other failure may be shown.
 */
async function expectOnlyRefusalsOf(page: Page, name: string, reason: string): Promise<void> {
  for (const toast of await page.getByTestId('error-toast').allTextContents()) {
    expect(toast).toContain(`Could not set the volume of ${name}: `);
    expect(toast).toContain(`is disconnected: ${reason}`);
  }
}

test('removing the shown device mid-drag disconnects its sessions; the window moves on and nothing breaks', async ({ mixer }) => {
  const { page } = mixer;
  const errors = collectPageErrors(page);
  const voiceChatVolume = () => mixer.sim(({ host, demo }) => host.session(demo.sessions.voiceChatRender)?.volume);
  await playbackPicker(page).selectOption({ label: DEMO.headset });

  const drag = await startDrag(page, volumeSlider(page, DEMO.voiceChat));
  await drag.moveTo(0.7);
  await expect.poll(voiceChatVolume).toBeCloseTo(0.7, 1);
  const volumeAtRemoval = await voiceChatVolume();
  await mixer.sim(({ engine, demo }) => engine.removeDevice(demo.devices.headset));
  // The pointer goes on moving over where the strip was, then lets go.
  await drag.moveTo(0.2);
  await drag.release();

  // The session is disconnected, for the reason the device gave, at the volume it had.
  const record = await mixer.sim(({ host, demo }) => host.session(demo.sessions.voiceChatRender));
  expect(record?.disconnected).toBe('device-removed');
  expect(record?.volume).toBe(volumeAtRemoval);
  expect(await mixer.sim(({ engine, demo }) => engine.getStream(demo.streams.voiceChatRender)?.invalidated)).toBe(true);

  // The window follows the default device, as Sndvol does; the headset is no longer offered.
  await expect(page.getByRole('group', { name: `Device ${DEMO.speakers}` })).toBeVisible();
  await expect(playbackPicker(page).getByRole('option', { name: DEMO.headset })).toHaveCount(0);
  await expect.poll(() => playbackStripNames(page)).toEqual([DEMO.systemSounds, DEMO.mediaPlayer, DEMO.browser, DEMO.game]);
  // The rest of the drag changed nothing it landed on.
  const speakersVolumes = await mixer.sim(({ engine, demo }) => engine.listSessions(demo.devices.speakers).map((session) => session.volume));
  expect(speakersVolumes).toEqual([1, 1, 1, 1, 1]);

  // And the mixer still works.
  await volumeSlider(page, DEMO.game).focus();
  await page.keyboard.press('PageDown');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBeCloseTo(0.9, 5);
  await expectOnlyRefusalsOf(page, DEMO.voiceChat, 'device-removed');
  expect(errors).toEqual([]);
});

test('a session disconnected mid-drag shows as disconnected and takes no further change', async ({ mixer }) => {
  const { page } = mixer;
  const errors = collectPageErrors(page);
  const game = strip(page, DEMO.game);
  const drag = await startDrag(page, volumeSlider(page, DEMO.game));
  await drag.moveTo(0.6);
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBeCloseTo(0.6, 1);

  // Another app takes the device in exclusive mode: the session is cut off (R21, R25).
  const volumeAtDisconnect = await mixer.sim(({ engine, demo }) => {
    const volume = engine.getSession(demo.sessions.game)?.volume;
    engine.disconnectSession(demo.sessions.game, 'exclusive-mode-override');
    return volume;
  });
  await expect(game).toHaveAttribute('data-state', 'disconnected');
  await expect(game.getByText('Disconnected')).toBeVisible();
  await expect(volumeSlider(game, DEMO.game)).toBeDisabled();
  await expect(muteButton(game, DEMO.game)).toHaveCount(0);

  await drag.moveTo(0.1);
  await drag.release();
  // The app's stream is dead; nothing after the disconnect reached it.
  const stream = await mixer.sim(({ engine, demo }) => engine.getStream(demo.streams.game));
  expect(stream?.invalidated).toBe(true);
  expect(stream?.effectiveVolume).toBe(volumeAtDisconnect);
  await expect(volumeSlider(game, DEMO.game)).toHaveValue(String(Math.round((volumeAtDisconnect ?? 0) * 100)));

  // The other strips are untouched and still work.
  await muteButton(page, DEMO.mediaPlayer).click();
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.mediaPlayer)?.muted)).toBe(true);
  await expectOnlyRefusalsOf(page, DEMO.game, 'exclusive-mode-override');
  expect(errors).toEqual([]);
});
