import { expect, test } from './fixtures';

test('moving a slider changes the engine volume of that session', async ({ mixer }) => {
  const { page, engine } = mixer;
  const game = engine.listSessions().find((session) => session.displayName === 'Starfall Odyssey');
  if (!game) throw new Error('the demo has no game session');
  const slider = page.getByRole('slider', { name: 'Volume of Starfall Odyssey' });
  await expect(slider).toHaveValue('100');

  const box = await slider.boundingBox();
  if (!box) throw new Error('slider not laid out');
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + 2);
  await page.mouse.down();
  for (let step = 1; step <= 10; step += 1) await page.mouse.move(x, box.y + (box.height * 0.7 * step) / 10);
  await page.mouse.up();

  await expect.poll(() => mixer.session(game.id)?.volume).toBeLessThan(0.5);
  const engineVolume = mixer.session(game.id)?.volume ?? -1;
  await expect(slider).toHaveValue(String(Math.round(engineVolume * 100)));
  await page.screenshot({ path: 'test-results/mixer-after-drag.png' });
});
