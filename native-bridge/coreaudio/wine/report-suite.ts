// What every Wine scenario spec asserts of the report its scenario wrote (checks.ts): the
// run reached its end cleanly, logged no warnings, and each planned check is one test.
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { CheckReport } from './checks';
import type { WineRun } from './harness';

export type ScenarioReport = CheckReport & { fatal?: string };

/** The scenario's report, or an empty one naming why there is none (the run's exit code and stderr). */
export function readScenarioReport(reportFile: string, run: WineRun): ScenarioReport {
  return existsSync(reportFile)
    ? (JSON.parse(readFileSync(reportFile, 'utf8')) as ScenarioReport)
    : { planned: [], results: [], figures: {}, warnings: [], fatal: `no report; exit ${run.code}\n${run.stderr}` };
}

/** Declares, in the current describe, the tests of a scenario run: its end, its warnings, one per planned check. */
export function scenarioReportTests(report: ScenarioReport, run: WineRun): void {
  it('ran every planned check to the end and exited cleanly (stderr also carries the ledger at unload)', () => {
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
}
