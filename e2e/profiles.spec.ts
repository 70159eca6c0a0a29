// Profiles from the title row: save every app's volume, mute and output device under a name,
// apply one, delete one; a profile that cannot be read is reported and the others still work.
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { detailsField, muteButton, openDetails, strip, volumeSlider } from './mixer-page';

const GAME_APP = 'render|exe:starfallodyssey.exe';

test('save the current volumes as a profile, change them, apply it back, then delete it', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  const game = () => mixer.sim(({ engine, demo }) => {
    const session = engine.getSession(demo.sessions.game);
    return { volume: Math.round((session?.volume ?? -1) * 100), muted: session?.muted };
  });
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.35));
  await expect(volumeSlider(page, DEMO.game)).toHaveValue('35');

  const button = page.getByRole('button', { name: /^Profiles/ });
  await button.click();
  const panel = page.getByRole('dialog', { name: 'Profiles' });
  await expect(panel.getByText('No profile saved yet.')).toBeVisible();
  const name = panel.getByRole('textbox', { name: 'Name for a new profile' });
  await name.fill('Evening');
  await name.press('Enter');
  const evening = panel.getByRole('listitem').filter({ has: page.getByText('Evening', { exact: true }) });
  await expect(evening).toContainText(/\d+ apps · saved \d\d\/\d\d\/\d{4}, \d\d:\d\d/);
  await expect(name).toHaveValue('');
  // The same name again replaces it (the button says so).
  await name.fill('Evening');
  await expect(panel.getByRole('button', { name: 'Replace' })).toBeVisible();
  await name.fill('');
  await page.screenshot({ path: testInfo.outputPath('profiles.png') });
  await page.keyboard.press('Escape');

  // Louder and muted from elsewhere; applying the profile puts both back.
  await mixer.sim(({ engine, demo }) => {
    engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.9);
    engine.client(demo.pids.game).setMute(demo.sessions.game, true);
  });
  await expect(muteButton(page, DEMO.game)).toHaveAttribute('aria-pressed', 'true');
  await button.click();
  await evening.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(game).toEqual({ volume: 35, muted: false });
  await expect(volumeSlider(page, DEMO.game)).toHaveValue('35');

  // Delete asks once more, in place; Cancel keeps it.
  await evening.getByRole('button', { name: 'Delete' }).click();
  await evening.getByRole('button', { name: 'Cancel' }).click();
  await evening.getByRole('button', { name: 'Delete' }).click();
  await evening.getByRole('button', { name: 'Delete for good' }).click();
  await expect(evening).toHaveCount(0);
  await expect(panel.getByText('No profile saved yet.')).toBeVisible();
  expect(await mixer.sim(({ host }) => host.hostState().profiles.profiles.map((profile) => profile.name))).toEqual([]);
});

test.describe('with a corrupt profile in the state folder', () => {
  test.use({
    stateFiles: {
      'profiles.json': JSON.stringify({
        version: 1,
        profiles: {
          Broken: { savedAt: 'yesterday', apps: {} },
          Night: { savedAt: 1764630000000, apps: { [GAME_APP]: { volume: 0.2, muted: false, outputDeviceId: null } } },
        },
      }),
    },
  });

  test('the corrupt one is reported, and the others are listed and apply', async ({ mixer }, testInfo) => {
    const { page } = mixer;
    // The key the profile was written with is the game's (so the test cannot pass by applying to nothing).
    expect(await mixer.sim(({ host, demo }) => host.hostState().notes[demo.sessions.game]?.appKey)).toBe(GAME_APP);
    const button = page.getByRole('button', { name: /^Profiles/ });
    // The title row's button counts the problem before the panel is opened.
    await expect(button).toContainText('1');
    await button.click();
    const panel = page.getByRole('dialog', { name: 'Profiles' });
    await expect(panel.getByRole('alert')).toContainText('A profile could not be read and was set aside; the others are usable:');
    await expect(panel.getByRole('alert')).toContainText('Broken');
    await expect(panel.getByRole('listitem').filter({ hasText: 'Broken' }).getByRole('button')).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('profiles-corrupt.png') });
    const night = panel.getByRole('listitem').filter({ has: page.getByText('Night', { exact: true }) });
    await night.getByRole('button', { name: 'Apply' }).click();
    await expect(volumeSlider(page, DEMO.game)).toHaveValue('20');
  });
});

test('"When it starts, apply profile" from the strip menu: the rule is kept, and the app gets the profile each time it appears', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  const DOORBELL = 'Doorbell Notifier';
  const DOORBELL_APP = 'render|exe:doorbell.exe';
  const start = () =>
    mixer.sim(({ engine }) => {
      engine.startProcess({ pid: 9710, exePath: 'C:\\Apps\\Doorbell\\doorbell.exe', windowTitle: 'Doorbell Notifier' });
      const { sessionId } = engine.openStream({ pid: 9710, start: true });
      return sessionId;
    });
  const volumeOf = (sessionId: string) => mixer.sim(({ engine }, id) => Math.round((engine.getSession(id)?.volume ?? -1) * 100), sessionId);
  const first = await start();
  await mixer.sim(({ engine }, id) => engine.client(9710).setVolume(id, 0.3), first);
  await expect(volumeSlider(page, DOORBELL)).toHaveValue('30');
  await page.getByRole('button', { name: /^Profiles/ }).click();
  const name = page.getByRole('dialog', { name: 'Profiles' }).getByRole('textbox', { name: 'Name for a new profile' });
  await name.fill('Quiet bell');
  await name.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Profiles' }).getByText('Quiet bell', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  await strip(page, DOORBELL).locator('.strip-name').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: `Actions for ${DOORBELL}` });
  await menu.getByRole('menuitem', { name: 'When it starts, apply profile' }).click();
  const choices = page.getByRole('menu', { name: 'When it starts, apply profile' });
  await expect(choices.getByRole('menuitemradio', { name: 'Off' })).toHaveAttribute('aria-checked', 'true');
  await page.screenshot({ path: testInfo.outputPath('reapply-menu.png') });
  await choices.getByRole('menuitemradio', { name: 'Quiet bell' }).click();
  await expect
    .poll(() => mixer.sim(({ host }, key) => host.hostState().preferences.apps[key]?.reapplyProfile ?? null, DOORBELL_APP))
    .toBe('Quiet bell');
  const details = await openDetails(page, DOORBELL);
  await expect(detailsField(details, 'When it starts')).toHaveText('apply profile “Quiet bell”');
  await page.keyboard.press('Escape');

  // The app turns itself up, quits and starts again: its new session gets the profile's volume.
  await mixer.sim(({ engine }, id) => engine.client(9710).setVolume(id, 0.9), first);
  await expect(volumeSlider(page, DOORBELL)).toHaveValue('90');
  await mixer.sim(({ engine }) => engine.exitProcess(9710));
  const second = await start();
  await expect.poll(() => volumeOf(second)).toBe(30);
  await expect(volumeSlider(page, DOORBELL)).toHaveValue('30');

  // Off: the rule is gone.
  await strip(page, DOORBELL).locator('.strip-name').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'When it starts, apply profile' }).click();
  await expect(choices.getByRole('menuitemradio', { name: 'Quiet bell' })).toHaveAttribute('aria-checked', 'true');
  await choices.getByRole('menuitemradio', { name: 'Off' }).click();
  await expect
    .poll(() => mixer.sim(({ host }, key) => host.hostState().preferences.apps[key]?.reapplyProfile ?? null, DOORBELL_APP))
    .toBeNull();
});
