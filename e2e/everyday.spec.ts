// Everyday mixing with the mouse and keyboard: the wheel over a strip, M and Space, the
// strip's menu (right-click and Shift+F10); and the window in German. Each checks the engine.
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { detailsField, muteButton, openDetails, strip, volumeSlider } from './mixer-page';

test('the wheel over a strip moves its volume 2 a notch, 1 with Shift', async ({ mixer }) => {
  const { page } = mixer;
  const engineVolume = () => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume);
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.5));
  await expect(volumeSlider(page, DEMO.game)).toHaveValue('50');

  // Over the strip's name, not only its slider.
  await strip(page, DEMO.game).locator('.strip-name').hover();
  await page.mouse.wheel(0, -100);
  await expect.poll(engineVolume).toBeCloseTo(0.52, 5);
  await page.mouse.wheel(0, 300);
  await expect.poll(engineVolume).toBeCloseTo(0.46, 5);
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Shift');
  await expect.poll(engineVolume).toBeCloseTo(0.47, 5);
  await expect(volumeSlider(page, DEMO.game)).toHaveValue('47');
});

test('M and Space on a focused strip toggle its mute', async ({ mixer }) => {
  const { page } = mixer;
  const muted = () => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.mediaPlayer)?.muted);
  const slider = volumeSlider(page, DEMO.mediaPlayer);
  await slider.focus();
  await page.keyboard.press('m');
  await expect.poll(muted).toBe(true);
  await expect(muteButton(page, DEMO.mediaPlayer)).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect.poll(muted).toBe(false);
  // M works from the strip's other controls too; Space on its head still opens the inspector.
  await strip(page, DEMO.mediaPlayer).locator('.strip-head').focus();
  await page.keyboard.press('M');
  await expect.poll(muted).toBe(true);
});

test('the strip menu: solo from a right-click, mute all others and reset from the keyboard', async ({ mixer }) => {
  const { page } = mixer;
  const states = () =>
    mixer.sim(({ engine, demo }) =>
      [demo.sessions.game, demo.sessions.mediaPlayer, demo.sessions.browser, demo.sessions.systemSounds].map((id) => engine.getSession(id)?.muted),
    );
  await mixer.sim(({ engine, demo }) => {
    engine.client(demo.pids.game).setMute(demo.sessions.game, true);
    engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.3);
  });
  await expect(muteButton(page, DEMO.game)).toHaveAttribute('aria-pressed', 'true');

  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: `Actions for ${DEMO.game}` });
  await expect(menu).toBeVisible();
  await menu.getByRole('menuitem', { name: 'Solo' }).click();
  await expect(menu).toBeHidden();
  // Solo: this one heard, every other one muted (the browser's two instances with it).
  await expect.poll(states).toEqual([false, true, true, true]);

  await volumeSlider(page, DEMO.game).focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Mute', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  await volumeSlider(page, DEMO.mediaPlayer).focus();
  await page.keyboard.press('Shift+F10');
  const mediaMenu = page.getByRole('menu', { name: `Actions for ${DEMO.mediaPlayer}` });
  await expect(mediaMenu).toBeVisible();
  await mediaMenu.getByRole('menuitem', { name: 'Reset to 100' }).focus();
  await page.keyboard.press('Enter');
  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Reset to 100' }).click();
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume)).toBe(1);

  // Mute all others leaves this one as it is (here: muted), and mutes the rest.
  await mixer.sim(({ engine, demo }) => {
    engine.client(demo.pids.game).setMute(demo.sessions.game, true);
    engine.client(demo.pids.mediaPlayer).setMute(demo.sessions.mediaPlayer, false);
  });
  await expect.poll(states).toEqual([true, false, true, true]);
  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Mute all others' }).click();
  await expect.poll(states).toEqual([true, true, true, true]);

  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Inspect' }).click();
  await expect(strip(page, DEMO.game)).toHaveAttribute('data-inspected', 'true');
});

test('in a German browser the window is German', async ({ mixer }) => {
  test.skip(mixer.target !== 'web', 'a second browser window on the same web server');
  // A second window on the same server, from a browser whose language is German.
  const browser = mixer.page.context().browser();
  if (!browser) throw new Error('no browser behind the page');
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1000, height: 620 } });
  try {
    const page = await context.newPage();
    // The address SndMix printed (with its token, which the page takes out of its address bar).
    const address = await mixer.page.evaluate(() => performance.getEntriesByType('navigation')[0]?.name ?? '');
    await page.goto(address);
    await expect(page.getByRole('heading', { name: 'Lautstärkemixer' })).toBeVisible();
    await expect(page.getByRole('slider', { name: `Lautstärke von ${DEMO.game}` })).toBeVisible();
    await expect(page.getByRole('button', { name: `${DEMO.game} stummschalten` })).toBeVisible();
    await expect(page.getByRole('switch', { name: 'Aufnahmesitzungen anzeigen' })).toBeVisible();
    await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Alle anderen stummschalten' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('all playback devices at once, each its own section', async ({ mixer }) => {
  const { page } = mixer;
  await page.getByRole('button', { name: 'All devices' }).click();
  await expect(page.getByRole('button', { name: 'All devices' })).toHaveAttribute('aria-pressed', 'true');
  const sections = page.getByTestId('playback-device-section');
  await expect(sections).toHaveCount(2);
  await expect(page.getByRole('region', { name: `${DEMO.speakers} (default)` })).toBeVisible();
  const headset = page.getByRole('region', { name: DEMO.headset });
  await expect(headset.getByRole('group', { name: DEMO.voiceChat })).toBeVisible();
  // The single-device picker is gone while every device is shown; switching back restores it.
  await expect(page.getByRole('combobox', { name: 'Playback device' })).toBeHidden();
  await volumeSlider(headset, DEMO.voiceChat).focus();
  await page.keyboard.press('PageDown');
  await expect.poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.voiceChatRender)?.volume)).toBeCloseTo(0.9, 5);
  await page.getByRole('button', { name: 'All devices' }).click();
  await expect(page.getByRole('combobox', { name: 'Playback device' })).toBeVisible();
});

test('rename and hide from the strip menu; "Show hidden" shows it dimmed, and Unhide brings it back', async ({ mixer }) => {
  const { page } = mixer;
  const menuOf = (name: string) => page.getByRole('menu', { name: `Actions for ${name}` });
  const showHidden = page.getByRole('button', { name: 'Show hidden' });
  // Offered only while something is hidden.
  await expect(showHidden).toHaveCount(0);

  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  await menuOf(DEMO.game).getByRole('menuitem', { name: 'Rename…' }).click();
  const field = page.getByRole('textbox', { name: `New name for ${DEMO.game} (empty: its own name)` });
  await expect(field).toBeFocused();
  await field.fill('Game');
  await field.press('Enter');
  await expect(strip(page, 'Game')).toBeVisible();
  await expect(volumeSlider(page, 'Game')).toBeVisible();
  // Sndvol-sized screenshot of the renamed strip, with the menu's new items open.
  await strip(page, 'Game').locator('.strip-name').click({ button: 'right' });
  await expect(menuOf('Game').getByRole('menuitem', { name: 'Hide' })).toBeVisible();
  // The sim models the per-app default endpoint: the menu offers the move.
  await expect(menuOf('Game').getByRole('menuitem', { name: 'Move to device' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('strip-menu-rename-hide.png') });
  await menuOf('Game').getByRole('menuitem', { name: 'Hide' }).click();
  await expect(strip(page, 'Game')).toHaveCount(0);

  // Show hidden: the strip is back, dimmed, and its menu says Unhide.
  await showHidden.click();
  await expect(showHidden).toHaveAttribute('aria-pressed', 'true');
  await expect(strip(page, 'Game')).toHaveAttribute('data-hidden', 'true');
  await page.screenshot({ path: test.info().outputPath('show-hidden.png') });
  await strip(page, 'Game').locator('.strip-name').click({ button: 'right' });
  await menuOf('Game').getByRole('menuitem', { name: 'Unhide' }).click();
  await expect(strip(page, 'Game')).not.toHaveAttribute('data-hidden');
  await showHidden.click();
  await expect(strip(page, 'Game')).toBeVisible();

  // An empty name goes back to the app's own.
  await strip(page, 'Game').locator('.strip-name').click({ button: 'right' });
  await menuOf('Game').getByRole('menuitem', { name: 'Rename…' }).click();
  await page.getByRole('textbox', { name: `New name for ${DEMO.game} (empty: its own name)` }).fill('');
  await page.keyboard.press('Enter');
  await expect(strip(page, DEMO.game)).toBeVisible();
});

test('who changed my volume: the tooltip and the inspector say it, the menu undoes it, a restless app is flagged', async ({ mixer }) => {
  const { page } = mixer;
  const gameVolume = () => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.volume);
  const before = await gameVolume();
  // The game lowers itself (no event context: the app itself).
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.3));
  await expect(volumeSlider(page, DEMO.game)).toHaveValue('30');
  const head = strip(page, DEMO.game).locator('.strip-head');
  // The tooltip words the last change when it is asked for, as a user does: hovering the head.
  await expect(head).not.toHaveAttribute('title', /Last changed/);
  await head.hover();
  await expect(head).toHaveAttribute('title', /Last changed by the app itself at \d\d:\d\d:\d\d/);
  const details = await openDetails(page, DEMO.game);
  await expect(detailsField(details, 'Last change')).toContainText('By the app itself at');
  await page.keyboard.press('Escape');

  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: `Actions for ${DEMO.game}` });
  await menu.getByRole('menuitem', { name: 'Undo outside change' }).click();
  await expect.poll(gameVolume).toBe(before);
  // Now the last change is SndMix's own (this page is a web client of it): nothing outside to undo.
  await head.hover();
  await expect(head).toHaveAttribute('title', mixer.target === 'web' ? /Last changed by a SndMix web client/ : /Last changed by the SndMix window/);
  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  await expect(menu.getByRole('menuitem', { name: 'Mute', exact: true })).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Undo outside change' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // An app that keeps changing its own volume gets a flag.
  const flag = strip(page, DEMO.mediaPlayer).getByRole('img', { name: 'Changes its own volume' });
  await expect(flag).toHaveCount(0);
  await mixer.sim(({ engine, demo }) => {
    for (const volume of [0.2, 0.4, 0.6]) engine.client(demo.pids.mediaPlayer).setVolume(demo.sessions.mediaPlayer, volume);
  });
  await expect(flag).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('changes-itself-flag.png') });
});

test('the inspector sets a strip’s balance: its channel volumes follow', async ({ mixer }) => {
  const { page } = mixer;
  const details = await openDetails(page, DEMO.game);
  const balance = details.getByRole('slider', { name: `Balance of ${DEMO.game}` });
  await expect(balance).toHaveAttribute('aria-valuetext', 'Centre');
  await balance.focus();
  for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowLeft');
  await expect(balance).toHaveAttribute('aria-valuetext', 'Left 20 %');
  // Left keeps the level, right is scaled by 1 - 0.2.
  await expect
    .poll(() => mixer.sim(({ engine, demo }) => engine.getSession(demo.sessions.game)?.channelVolumes.map((volume) => Math.round(volume * 100))))
    .toEqual([100, 80]);
  await page.screenshot({ path: test.info().outputPath('inspector-balance.png') });
});

test('"Move to device" sends an app to the headset on the sim: its session plays there and its strip follows', async ({ mixer }) => {
  const { page } = mixer;
  await strip(page, DEMO.game).locator('.strip-name').click({ button: 'right' });
  await page.getByRole('menu', { name: `Actions for ${DEMO.game}` }).getByRole('menuitem', { name: 'Move to device' }).click();
  const devices = page.getByRole('menu', { name: 'Move to device' });
  await expect(devices.getByRole('menuitem', { name: DEMO.speakers })).toBeDisabled();
  await devices.getByRole('menuitem', { name: DEMO.headset }).click();
  await expect
    .poll(() =>
      mixer.sim(({ engine, demo }) => engine.listSessions(demo.devices.headset).some((session) => session.pid === demo.pids.game && session.state === 'active')),
    )
    .toBe(true);
  await expect(strip(page, DEMO.game)).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Playback device' }).selectOption({ label: DEMO.headset });
  await expect(strip(page, DEMO.game)).toBeVisible();
});

test("renaming a device from its strip's menu: the name is kept by the host and shown on the strip and in the device picker", async ({ mixer }, testInfo) => {
  const { page } = mixer;
  const deviceStrip = page.getByTestId('device-strip');
  const own = (await deviceStrip.locator('.strip-name').textContent()) ?? '';
  // The strip shows the device the picker has chosen.
  const deviceId = await page.getByTestId('render-device-picker').inputValue();
  await deviceStrip.locator('.strip-name').click({ button: 'right' });
  await page.getByRole('menu', { name: `Actions for ${own}` }).getByRole('menuitem', { name: 'Rename…' }).click();
  const field = page.getByRole('textbox', { name: `New name for ${own} (empty: its own name)` });
  await field.fill('Desk speakers');
  await page.screenshot({ path: testInfo.outputPath('device-rename.png') });
  await field.press('Enter');
  await expect
    .poll(() => mixer.sim(({ host }, id) => host.hostState().preferences.devices[id]?.name ?? null, deviceId))
    .toBe('Desk speakers');
  await expect(page.getByRole('group', { name: 'Device Desk speakers' })).toBeVisible();
  await expect(page.getByTestId('render-device-picker').getByRole('option', { name: /^Desk speakers/ })).toHaveCount(1);
});
