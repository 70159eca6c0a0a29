// Profiles from the title row: save every app's volume, mute and output device under a name,
// apply one, delete one; a profile that cannot be read is reported and the others still work.
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { muteButton, volumeSlider } from './mixer-page';

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
  await expect(evening).toContainText(/\d+ apps · saved \d{4}-\d\d-\d\d \d\d:\d\d/);
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
