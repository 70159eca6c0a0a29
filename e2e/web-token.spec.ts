// Web mode's access token leaves the address bar and the history once the page has it; a
// reload of the tab still connects (the token is kept in the tab's session storage).
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { volumeSlider } from './mixer-page';

test('the token is out of the address bar and the history after load, and a reload still connects', async ({ mixer }) => {
  test.skip(mixer.target !== 'web', 'the token is web mode\'s: the Electron window has none');
  const { page } = mixer;
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
  expect(await page.evaluate(() => window.location.href)).not.toContain('token');
  expect(await page.evaluate(() => history.length)).toBe(2); // about:blank, then the page: no entry with the token left
  expect(await page.evaluate(() => sessionStorage.getItem('sndmix.token'))).toBeTruthy();

  await page.reload();
  await expect(volumeSlider(page, DEMO.game)).toBeEnabled();
  expect(page.url()).not.toContain('token');
});
