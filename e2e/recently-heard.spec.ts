// "What just made that sound?": a session that starts playing shows up in the title row's
// Recently heard panel with its time, device and app; one click there mutes it or hides it.
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { strip } from './mixer-page';

const DOORBELL = 'Doorbell Notifier';

test('a session that starts playing appears in Recently heard; mute and hide from there reach the engine', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  const sessionId = await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9700, exePath: 'C:\\Apps\\Doorbell\\doorbell.exe', windowTitle: 'Doorbell Notifier' });
    return engine.openStream({ pid: 9700, start: true }).sessionId;
  });
  await expect(strip(page, DOORBELL)).toBeVisible();

  await page.getByRole('button', { name: /^Recently heard/ }).click();
  const panel = page.getByRole('dialog', { name: 'Recently heard' });
  await expect(panel).toBeVisible();
  // Newest first: the doorbell, with the device it played on and a time of day.
  const row = panel.getByRole('listitem').first();
  await expect(row).toHaveAccessibleName(DOORBELL);
  await expect(row).toContainText(DEMO.speakers);
  await expect(row.locator('time')).toHaveText(/^\d\d:\d\d:\d\d$/);
  await page.screenshot({ path: testInfo.outputPath('recently-heard.png') });

  await row.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect.poll(() => mixer.sim(({ engine }, id) => engine.getSession(id)?.muted, sessionId)).toBe(true);
  await expect(row.getByRole('button', { name: 'Unmute', exact: true })).toBeVisible();
  await expect(strip(page, DOORBELL).getByRole('button', { name: `Mute ${DOORBELL}` })).toHaveAttribute('aria-pressed', 'true');

  await row.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(strip(page, DOORBELL)).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Unhide', exact: true })).toBeVisible();
  // Escape closes the panel and gives the focus back to its button.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Recently heard/ })).toBeFocused();
});

test('a sound that ended stays in the list, marked ended, and can still hide its app', async ({ mixer }) => {
  const { page } = mixer;
  await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9701, exePath: 'C:\\Apps\\Chime\\chime.exe', windowTitle: 'Chime' });
    const { streamId } = engine.openStream({ pid: 9701, start: true });
    engine.releaseStream(streamId);
    engine.exitProcess(9701);
  });
  await page.getByRole('button', { name: /^Recently heard/ }).click();
  const row = page.getByRole('dialog', { name: 'Recently heard' }).getByRole('listitem').filter({ hasText: 'Chime' });
  await expect(row).toContainText('ended');
  await expect(row.getByRole('button', { name: 'Mute', exact: true })).toBeDisabled();
  await row.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(row.getByRole('button', { name: 'Unhide', exact: true })).toBeVisible();
});
