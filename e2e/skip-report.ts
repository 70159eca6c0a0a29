// Says once, at the end, why tests were skipped (the list reporter shows that they were,
// not why). With CI=true the only skip allowed is the electron target's on a machine
// without an Electron binary: any other skip fails the run, so CI never goes green on
// tests that did not run.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { findElectronBinary } from './electron-app';

interface Skip {
  project: string;
  title: string;
  reason: string;
}

export default class SkipReport implements Reporter {
  private readonly skips: Skip[] = [];

  printsToStdio(): boolean {
    return true;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const annotation = [...result.annotations, ...test.annotations].find((candidate) => candidate.type === 'skip');
    this.skips.push({
      project: test.parent.project()?.name ?? '(no project)',
      title: test.titlePath().slice(2).join(' › '),
      reason: annotation?.description || 'no reason given',
    });
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    const byReason = new Map<string, Skip[]>();
    for (const skip of this.skips) {
      const key = `${skip.project}: ${skip.reason}`;
      byReason.set(key, [...(byReason.get(key) ?? []), skip]);
    }
    for (const [key, skips] of byReason) console.log(`\n  ${skips.length} skipped in ${key}`);

    if (process.env.CI !== 'true') return undefined;
    const electron = findElectronBinary();
    const allowedReason = electron.available ? null : electron.reason;
    const forbidden = this.skips.filter((skip) => !(skip.project === 'electron' && skip.reason === allowedReason));
    if (forbidden.length === 0) return undefined;
    console.error(`\n  CI=true: ${forbidden.length} test(s) skipped that must run here:`);
    for (const skip of forbidden) console.error(`    [${skip.project}] ${skip.title}: ${skip.reason}`);
    return { status: result.status === 'passed' ? 'failed' : result.status };
  }
}
