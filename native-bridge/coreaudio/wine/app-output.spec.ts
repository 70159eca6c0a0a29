// The per-app output device and endpoint volume ranges on the Core Audio double
// (`npm run test:wine`): the coreaudio backend under Windows Node reaching the double's
// AudioPolicyConfig factory through combase, as on Windows (app-output-scenario.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from './checks';
import { bundleForWindows, inDoublePrefix, prepareWine, runNodeUnderWine, windowsPath } from './harness';

const wine = inDoublePrefix(prepareWine());
const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'app-output-scenario.ts'), 'app-output');
const reportFile = join(wine.home, 'app-output-report.json');
rmSync(reportFile, { force: true });
const run = await runNodeUnderWine(wine, bundle, [windowsPath(reportFile), windowsPath(wine.double.dll)], 120_000);
const report: CheckReport & { fatal?: string } = existsSync(reportFile)
  ? JSON.parse(readFileSync(reportFile, 'utf8'))
  : { planned: [], results: [], figures: {}, warnings: [], fatal: `no report; exit ${run.code}\n${run.stderr}` };

describe('per-app output device and volume ranges on the Core Audio double (Windows Node under Wine)', () => {
  it('ran every planned check to the end and exited cleanly (stderr also carries the ledger at unload)', () => {
    expect(report.fatal ?? null).toBeNull();
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

  it('reports the Windows version Node sees (the build picks the IID)', () => {
    console.log('app-output figures:', JSON.stringify(report.figures));
    expect(String(report.figures.windowsRelease)).toMatch(/^10\.0\.\d+/);
  });
});
