// The Wine integration test: integration-scenario.ts, bundled for Windows Node, runs the
// coreaudio backend against Wine's Core Audio (PulseAudio null sink behind it); each of
// its checks becomes a test here.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { readScenarioReport, scenarioReportTests } from './report-suite';
import { bundleForWindows, prepareWine, runNodeUnderWine, startPulse, windowsPath } from './harness';

const wine = prepareWine();
const stopPulse = await startPulse(wine);
const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'integration-scenario.ts'), 'integration');
const reportFile = join(wine.home, 'integration-report.json');
rmSync(reportFile, { force: true });
const run = await runNodeUnderWine(wine, bundle, [windowsPath(reportFile)], 180_000);
const report = readScenarioReport(reportFile, run);

afterAll(() => stopPulse());

describe('coreaudio backend under Wine', () => {
  scenarioReportTests(report, run);
});
