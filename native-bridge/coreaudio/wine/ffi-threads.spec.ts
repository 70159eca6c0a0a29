// ffi-rs keeps its opened libraries and looked-up symbols in process-wide tables without a
// lock; SndMix calls it from Node's main thread and from the sink thread. This runs both at
// once under Windows Node (ffi-threads-scenario.ts): the process must survive and every
// sink call must be handled.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleForWindows, prepareWine, runNodeUnderWine, windowsPath } from './harness';

const wine = prepareWine();
const ROUNDS = 300;

describe('ffi-rs from two JS threads at once (Windows Node under Wine)', () => {
  it('survives new libraries and symbols on the main thread while the sink thread answers calls', async () => {
    const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'ffi-threads-scenario.ts'), 'ffi-threads');
    const reportFile = join(wine.home, 'ffi-threads-report.json');
    rmSync(reportFile, { force: true });
    const run = await runNodeUnderWine(wine, bundle, [windowsPath(reportFile), String(ROUNDS)], 110_000);
    const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, unknown>) : null;
    expect({ code: run.code, stderr: run.stderr.trim(), error: report?.error ?? null }).toEqual({ code: 0, stderr: '', error: null });
    expect(report).toEqual({ sent: ROUNDS * 8, handled: ROUNDS * 8 });
  });
});
