// The Core Audio double's suite (`npm run test:wine`): its conformance program (Wine's mmdevapi
// test expectations, checked against the double in C), then the coreaudio backend run unchanged
// under Windows Node against the double, scripted through its exports (double-scenario.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioReport, scenarioReportTests } from './report-suite';
import { bundleForWindows, inDoublePrefix, prepareWine, runNodeUnderWine, runUnderWine, windowsPath } from './harness';

const wine = inDoublePrefix(prepareWine());

const conformance = await runUnderWine(wine, wine.double.conformance, [], 60_000);
const conformanceLines = conformance.stdout.split('\n').filter((line) => line.trim() !== '');

const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'double-scenario.ts'), 'double');
const reportFile = join(wine.home, 'double-report.json');
rmSync(reportFile, { force: true });
const run = await runNodeUnderWine(wine, bundle, [windowsPath(reportFile), windowsPath(wine.double.dll)], 120_000);
const report = readScenarioReport(reportFile, run);

describe('the Core Audio double against Wine\'s mmdevapi conformance expectations', () => {
  it('ran to the end', () => {
    expect(conformanceLines.at(-1)).toBe('done');
    expect(conformance.code).toBe(0);
  });

  it.each(conformanceLines.filter((line) => line !== 'done'))('%s', (line) => {
    expect(line.startsWith('ok ')).toBe(true);
  });
});

describe('coreaudio backend on the Core Audio double (Windows Node under Wine)', () => {
  scenarioReportTests(report, run);

  it('reports its figures', () => {
    console.log('coreaudio double figures:', JSON.stringify(report.figures, null, 2));
    expect(report.figures.callsPerPoll).toBeGreaterThan(0);
  });
});
