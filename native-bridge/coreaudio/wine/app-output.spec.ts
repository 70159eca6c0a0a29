// The per-app output device and endpoint volume ranges on the Core Audio double
// (`npm run test:wine`): the coreaudio backend under Windows Node reaching the double's
// AudioPolicyConfig factory through combase, as on Windows (app-output-scenario.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioReport, scenarioReportTests } from './report-suite';
import { bundleForWindows, inDoublePrefix, prepareWine, runNodeUnderWine, windowsPath } from './harness';

const wine = inDoublePrefix(prepareWine());
const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'app-output-scenario.ts'), 'app-output');
const reportFile = join(wine.home, 'app-output-report.json');
rmSync(reportFile, { force: true });
const run = await runNodeUnderWine(wine, bundle, [windowsPath(reportFile), windowsPath(wine.double.dll)], 120_000);
const report = readScenarioReport(reportFile, run);

describe('per-app output device and volume ranges on the Core Audio double (Windows Node under Wine)', () => {
  scenarioReportTests(report, run);

  it('reports the Windows version Node sees (the build picks the IID)', () => {
    console.log('app-output figures:', JSON.stringify(report.figures));
    expect(String(report.figures.windowsRelease)).toMatch(/^10\.0\.\d+/);
  });
});
