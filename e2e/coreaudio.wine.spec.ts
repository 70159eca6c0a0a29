// The main e2e behaviours on the coreaudio backend: `sndmix web --backend coreaudio` under
// Windows Node in Wine, on the Core Audio double, in Linux Chromium (see coreaudio-wine.ts).
// Apps are the double's clients: the spec opens their streams, names them, changes and ends
// them through its exports; what the mixer sets is read back through Core Audio.
import { HARNESS_ENDPOINTS, expect, test, type ScriptedDouble } from './coreaudio-wine';
import { PACKAGED_APP_NAME } from '../native-bridge/coreaudio/wine/names-checks';
import { muteButton, playbackPicker, strip, volumeSlider } from './mixer-page';

const { speakers, headphones } = HARNESS_ENDPOINTS;

/** The app goes: its session expires (so no strip outlives the test) and its stream is released. */
async function endApp(double: ScriptedDouble, stream: number): Promise<void> {
  await double.expireSession(stream).catch(() => undefined);
  await double.releaseStream(stream);
}

test('a session appears when its stream opens, lights while it plays, and goes when it expires', async ({ coreaudio }) => {
  const { page, double } = coreaudio;
  const stream = await double.openStream(speakers.id, { pid: 8101 });
  try {
    await double.setDisplayName(stream, 'E2E Game');
    const game = strip(page, 'E2E Game');
    await expect(game).toBeVisible();
    await expect(game).toHaveAttribute('data-state', 'inactive');
    await double.startStream(stream);
    await expect(game).toHaveAttribute('data-state', 'active');
    await double.expireSession(stream);
    await expect(game).toHaveCount(0);
  } finally {
    await endApp(double, stream);
  }
});

test("volume and mute go both ways: the app's changes show, the mixer's reach Core Audio", async ({ coreaudio }) => {
  const { page, double } = coreaudio;
  const pid = 8102;
  const stream = await double.openStream(speakers.id, { pid });
  const levels = () => double.sessionLevels(speakers.id, pid);
  try {
    await double.setDisplayName(stream, 'E2E Radio');
    const slider = volumeSlider(page, 'E2E Radio');
    await expect(slider).toHaveValue('100');
    await double.setSessionVolume(stream, 0.25, false);
    await expect(slider).toHaveValue('25');

    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(async () => (await levels())?.volume).toBe(1);
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await levels())?.volume).toBeCloseTo(0.9, 5);

    const mute = muteButton(page, 'E2E Radio');
    await mute.click();
    await expect.poll(async () => (await levels())?.muted).toBe(true);
    await expect(mute).toHaveAttribute('aria-pressed', 'true');
    await double.setSessionVolume(stream, 0.9, false);
    await expect(mute).toHaveAttribute('aria-pressed', 'false');
  } finally {
    await endApp(double, stream);
  }
});

test('names and icons: System Sounds by its resource string, an app by its executable, a packaged app by its package', async ({ coreaudio }) => {
  const { page, double } = coreaudio;
  const systemSounds = await double.openStream(speakers.id, { pid: 8103, flags: 2 });
  // The harness is a real process (node.exe): named from its FileDescription, with its icon.
  const own = await double.openStream(speakers.id, { pid: await double.harnessPid() });
  const packaged = await double.openStream(speakers.id, { pid: 8106, exe: await double.installTestPackage() });
  try {
    await expect(strip(page, 'System Sounds')).toHaveAttribute('data-system-sounds', 'true');
    const node = strip(page, 'Node.js JavaScript Runtime');
    await expect(node).toBeVisible();
    await expect(node.locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect(strip(page, PACKAGED_APP_NAME).locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
    await page.screenshot({ path: test.info().outputPath('coreaudio-strips.png') });
  } finally {
    await endApp(double, packaged);
    await endApp(double, own);
    await endApp(double, systemSounds);
  }
});

test("switching the device shows that device's sessions; a new default device is marked", async ({ coreaudio }) => {
  const { page, double } = coreaudio;
  const pid = 8104;
  const stream = await double.openStream(headphones.id, { pid });
  try {
    await double.setDisplayName(stream, 'E2E Headset Chat');
    await expect(strip(page, 'E2E Headset Chat')).toHaveCount(0);
    await playbackPicker(page).selectOption({ label: headphones.name });
    const chat = volumeSlider(page, 'E2E Headset Chat');
    await expect(chat).toBeVisible();
    await chat.focus();
    await page.keyboard.press('Home');
    await expect.poll(async () => (await double.sessionLevels(headphones.id, pid))?.volume).toBe(0);

    await double.setDefault('render', 'all', headphones.id);
    await expect(playbackPicker(page).getByRole('option', { name: `${headphones.name} (default)` })).toHaveCount(1);
  } finally {
    await double.setDefault('render', 'all', speakers.id);
    await endApp(double, stream);
  }
});

test('a disconnected session shows as disconnected, then goes once Core Audio lists it no more', async ({ coreaudio }) => {
  const { page, double } = coreaudio;
  const stream = await double.openStream(speakers.id, { pid: 8105 });
  try {
    await double.setDisplayName(stream, 'E2E Call');
    const call = strip(page, 'E2E Call');
    await expect(call).toHaveAttribute('data-state', 'inactive');
    // The disconnected strip lasts until the next listing, which no longer has the session:
    // watched in the page, so a loaded machine cannot make the check miss it.
    await page.evaluate(() => {
      const seen = window as unknown as { sawDisconnected?: boolean };
      const look = () => {
        const found = document.querySelector('[aria-label="E2E Call"][data-state="disconnected"]');
        if (found?.textContent?.includes('Disconnected')) seen.sawDisconnected = true;
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await double.disconnectSession(stream, 'DisconnectReasonFormatChanged');
    await expect.poll(() => page.evaluate(() => (window as unknown as { sawDisconnected?: boolean }).sawDisconnected ?? false)).toBe(true);
    // Then it goes, as in Sndvol: Core Audio lists the session no more.
    await expect(call).toHaveCount(0, { timeout: 10_000 });
  } finally {
    // Disconnected: the session is gone from Core Audio already; expiring it is not the app's to do.
    await double.releaseStream(stream);
  }
});
