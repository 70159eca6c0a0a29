// Which strips the mixer shows, as sessions come and go in the engine (R9..R12, R17..R20).
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { muteButton, playbackPicker, playbackStripNames, strip, volumeSlider } from './mixer-page';

/** A one-pixel PNG: an icon a client can set (R17). */
const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('a session appears when its stream opens, stays while inactive, and goes when it expires', async ({ mixer }) => {
  const { page } = mixer;
  const tuner = strip(page, 'Tuner');
  await expect(tuner).toHaveCount(0);

  const opened = await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9100, exePath: 'C:\\Apps\\Tuner\\tuner.exe', windowTitle: 'Tuner' });
    return engine.openStream({ pid: 9100, start: true });
  });
  await expect(tuner).toHaveAttribute('data-state', 'active');
  expect(await playbackStripNames(page)).toEqual([DEMO.systemSounds, DEMO.mediaPlayer, DEMO.browser, DEMO.game, 'Tuner']);

  await mixer.sim(({ engine }, streamId) => engine.stopStream(streamId), opened.streamId);
  await expect(tuner).toHaveAttribute('data-state', 'inactive');
  await expect(volumeSlider(tuner, 'Tuner')).toBeEnabled();

  // A moment before it expires it is still there: a system sound played after it shows first.
  await mixer.sim(({ engine, clock }) => {
    clock.advance(engine.expireAfterMs - 1);
    engine.playSystemSound();
  });
  await expect(strip(page, DEMO.systemSounds)).toHaveAttribute('data-state', 'active');
  await expect(tuner).toHaveAttribute('data-state', 'inactive');

  await mixer.sim(({ clock }) => clock.advance(1));
  await expect(tuner).toHaveCount(0);
  expect(await mixer.sim(({ engine }, id) => engine.getSession(id)?.state, opened.sessionId)).toBe('expired');
});

test('a session goes when its last stream is released, and when its app exits', async ({ mixer }) => {
  const { page } = mixer;
  const streams = await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9200, exePath: 'C:\\Apps\\Recorder\\rec.exe', fileDescription: 'Field Recorder' });
    return { running: engine.openStream({ pid: 9200, start: true }).streamId, idle: engine.openStream({ pid: 9200 }).streamId };
  });
  const recorder = strip(page, 'Field Recorder');
  await expect(recorder).toHaveAttribute('data-state', 'active');

  // Its running stream ends; the other still holds the session (R10), now inactive.
  await mixer.sim(({ engine }, id) => engine.releaseStream(id), streams.running);
  await expect(recorder).toHaveAttribute('data-state', 'inactive');
  await mixer.sim(({ engine }, id) => engine.releaseStream(id), streams.idle);
  await expect(recorder).toHaveCount(0);

  await mixer.sim(({ engine, demo }) => engine.exitProcess(demo.pids.mediaPlayer));
  await expect(strip(page, DEMO.mediaPlayer)).toHaveCount(0);
  expect(await playbackStripNames(page)).toEqual([DEMO.systemSounds, DEMO.browser, DEMO.game]);
});

test('System Sounds is always there: first, past any expiry, and lit while a sound plays', async ({ mixer }) => {
  const { page } = mixer;
  const systemSounds = strip(page, DEMO.systemSounds);
  expect((await playbackStripNames(page))[0]).toBe(DEMO.systemSounds);
  await expect(systemSounds).toHaveAttribute('data-system-sounds', 'true');
  await expect(systemSounds).toHaveAttribute('data-state', 'inactive');

  await mixer.sim(({ engine, clock }) => clock.advance(engine.expireAfterMs * 10));
  await mixer.sim(({ engine }) => engine.playSystemSound(undefined, 400));
  await expect(systemSounds).toHaveAttribute('data-state', 'active');
  await mixer.sim(({ clock }) => clock.advance(400));
  await expect(systemSounds).toHaveAttribute('data-state', 'inactive');
  expect((await playbackStripNames(page))[0]).toBe(DEMO.systemSounds);
});

test('instances grouped by their grouping param show as one strip that sets them all (R20)', async ({ mixer }) => {
  const { page } = mixer;
  const browser = strip(page, DEMO.browser);
  // Five sessions on the speakers, four strips: the browser's two instances are one.
  expect(await mixer.sim(({ engine, demo }) => engine.listSessions(demo.devices.speakers).length)).toBe(5);
  expect(await playbackStripNames(page)).toEqual([DEMO.systemSounds, DEMO.mediaPlayer, DEMO.browser, DEMO.game]);
  const both = () =>
    mixer.sim(({ engine, demo }) =>
      [demo.sessions.browser, demo.sessions.browserSecondInstance].map((id) => {
        const session = engine.getSession(id);
        return { volume: session?.volume, muted: session?.muted };
      }),
    );

  await volumeSlider(browser, DEMO.browser).focus();
  await page.keyboard.press('PageDown');
  await expect.poll(both).toEqual([
    { volume: 0.9, muted: false },
    { volume: 0.9, muted: false },
  ]);
  await muteButton(browser, DEMO.browser).click();
  await expect.poll(both).toEqual([
    { volume: 0.9, muted: true },
    { volume: 0.9, muted: true },
  ]);
});

test('a display name and an icon set by the client appear on its strip (R17)', async ({ mixer }) => {
  const { page } = mixer;
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.mediaPlayer).setDisplayName(demo.sessions.mediaPlayer, 'Melodia Radio'));
  const renamed = strip(page, 'Melodia Radio');
  await expect(renamed).toBeVisible();
  await expect(strip(page, DEMO.mediaPlayer)).toHaveCount(0);
  await expect(volumeSlider(renamed, 'Melodia Radio')).toHaveValue('100');

  await mixer.sim(
    ({ engine, demo }, icon) => engine.client(demo.pids.mediaPlayer).setIconPath(demo.sessions.mediaPlayer, icon),
    TINY_PNG,
  );
  await expect(renamed.locator('img')).toHaveAttribute('src', TINY_PNG);
});

test('switching the device shows that device’s sessions', async ({ mixer }) => {
  const { page } = mixer;
  await expect(playbackPicker(page)).toHaveValue(await mixer.sim(({ demo }) => demo.devices.speakers));
  await expect(strip(page, DEMO.voiceChat)).toHaveCount(0);

  await playbackPicker(page).selectOption({ label: DEMO.headset });
  await expect(page.getByRole('group', { name: `Device ${DEMO.headset}` })).toBeVisible();
  await expect.poll(() => playbackStripNames(page)).toEqual([DEMO.systemSounds, DEMO.voiceChat]);
  await volumeSlider(page, DEMO.voiceChat).focus();
  await page.keyboard.press('Home');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.voiceChatRender)?.volume)).toBe(0);
  // The headset's System Sounds is its own session, untouched by the speakers' one.
  expect(await mixer.sim(({ engine, demo }) => engine.systemSoundsSessionId(demo.devices.headset) !== demo.sessions.systemSounds)).toBe(true);

  // Recording sessions are apart and opt-in (R12).
  await page.getByRole('switch', { name: 'Show recording sessions' }).check();
  const recording = page.getByTestId('recording-section');
  await recording.getByRole('combobox', { name: 'Recording device' }).selectOption({ label: DEMO.headsetMicrophone });
  await expect(strip(page, DEMO.voiceChat)).toHaveCount(2);
  await volumeSlider(recording, DEMO.voiceChat).focus();
  await page.keyboard.press('PageDown');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.voiceChatCapture)?.volume)).toBeCloseTo(0.9, 5);
});
