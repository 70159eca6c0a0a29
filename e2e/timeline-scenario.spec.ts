// The timeline's "Save as scenario": the file it downloads is a recording that the
// scenario parser reads and the rule checks pass, like one `sndmix record` writes.
import { readFileSync } from 'node:fs';
import { parseScenario } from '../core/scenario/format';
import { observationOfRecording } from '../core/scenario/recording';
import { checkRules } from '../core/scenario/rules';
import { expect, test } from './fixtures';

test('the timeline saves what it shows as a scenario the rule checks accept', async ({ mixer }, testInfo) => {
  const { page } = mixer;
  await page.getByRole('button', { name: 'Events' }).click();
  await mixer.sim(({ engine }) => {
    engine.startProcess({ pid: 9300, exePath: 'C:\\Apps\\Tuner\\tuner.exe', windowTitle: 'Tuner' });
    const { streamId } = engine.openStream({ pid: 9300, start: true });
    engine.stopStream(streamId);
    engine.releaseStream(streamId);
  });
  const timeline = page.getByTestId('event-timeline');
  await expect(timeline.getByRole('row').filter({ hasText: 'Tuner' }).first()).toBeVisible();

  const file = testInfo.outputPath('timeline-actions.png');
  await timeline.locator('.timeline-header').screenshot({ path: file, animations: 'disabled' });
  await testInfo.attach('timeline-actions', { path: file, contentType: 'image/png' });

  const [download] = await Promise.all([page.waitForEvent('download'), timeline.getByRole('button', { name: 'Save as scenario' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sndmix-events-\d{8}-\d{6}\.yaml$/);
  const { scenario } = parseScenario(readFileSync((await download.path()) as string, 'utf8'));
  expect(scenario.backend).toBe('sim');
  const tuner = scenario.sessions?.find((session) => session.displayName === 'Tuner');
  expect(tuner).toMatchObject({ pid: 9300, flow: 'render' });
  const tunerEvents = scenario.expect.events.filter((event) => event.sessionAlias === tuner?.alias).map((event) => `${event.type} ${String(event.state ?? '')}`);
  expect(tunerEvents).toEqual(['session-created ', 'state-changed active', 'state-changed inactive', 'state-changed expired']);
  const failed = checkRules(observationOfRecording(scenario) as never).filter((verdict) => verdict.status === 'failed');
  expect(failed).toEqual([]);
});
