// The Core Audio double's suite (`npm run test:wine`): its conformance program (Wine's mmdevapi
// test expectations, checked against the double in C), then the coreaudio backend run unchanged
// under Windows Node against the double, scripted through its exports (double-scenario.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from './checks';
import { bundleForWindows, inDoublePrefix, prepareWine, runNodeUnderWine, runUnderWine, windowsPath } from './harness';

const wine = inDoublePrefix(prepareWine());

const conformance = await runUnderWine(wine, wine.double.conformance, [], 60_000);
const conformanceLines = conformance.stdout.split('\n').filter((line) => line.trim() !== '');

const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'double-scenario.ts'), 'double');
const reportFile = join(wine.home, 'double-report.json');
rmSync(reportFile, { force: true });
const run = await runNodeUnderWine(wine, bundle, [windowsPath(reportFile), windowsPath(wine.double.dll)], 120_000);
const report: CheckReport & { fatal?: string } = existsSync(reportFile)
  ? JSON.parse(readFileSync(reportFile, 'utf8'))
  : { planned: [], results: [], figures: {}, warnings: [], fatal: `no report; exit ${run.code}\n${run.stderr}` };

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

  it('reports its figures', () => {
    console.log('coreaudio double figures:', JSON.stringify(report.figures, null, 2));
    expect(report.figures.callsPerPoll).toBeGreaterThan(0);
  });
});
