// The Wine integration test: integration-scenario.ts, bundled for Windows Node, runs the
// coreaudio backend against Wine's Core Audio (PulseAudio null sink behind it); each of
// its checks becomes a test here.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport } from './checks';
import { bundleForWindows, prepareWine, runNodeUnderWine, startPulse, windowsPath } from './harness';

const wine = prepareWine();
const stopPulse = await startPulse(wine);
const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'integration-scenario.ts'), 'integration');
const reportFile = join(wine.home, 'integration-report.json');
rmSync(reportFile, { force: true });
const run = await runNodeUnderWine(wine, bundle, [windowsPath(reportFile)], 180_000);
const report: CheckReport & { fatal?: string } = existsSync(reportFile)
  ? JSON.parse(readFileSync(reportFile, 'utf8'))
  : { planned: [], results: [], figures: {}, warnings: [], fatal: `no report; exit ${run.code}\n${run.stderr}` };

afterAll(() => stopPulse());

describe('coreaudio backend under Wine', () => {
  it('ran every planned check to the end and exited cleanly', () => {
    expect(report.fatal ?? null).toBeNull();
    expect(report.planned.length).toBeGreaterThan(0);
    expect(report.results.map((result) => result.name)).toEqual(report.planned);
    expect(run.stderr.trim()).toBe('');
    expect(run.code).toBe(0);
  });

  it('logged no warnings', () => {
    expect(report.warnings).toEqual([]);
  });

  it.each(report.planned)('%s', (name) => {
    const result = report.results.find((candidate) => candidate.name === name);
    expect(result, 'the check did not run').toBeDefined();
    expect(result?.ok ? '' : result?.detail).toBe('');
  });
});
