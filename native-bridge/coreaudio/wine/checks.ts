// A tiny check runner for programs that run under Wine: each check is named, runs in
// order, and the results go to a JSON file the Linux-side spec reads.
import { writeFileSync } from 'node:fs';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface CheckReport {
  planned: string[];
  results: CheckResult[];
  figures: Record<string, number | string>;
  warnings: string[];
}

/** A named check; what it returns (if anything) is kept as its detail. */
export type Check = [name: string, run: () => unknown];

export class AssertionFailed extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailed(message);
}

function show(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `0x${item.toString(16)}` : item)) ?? String(value)
  );
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  assert(show(actual) === show(expected), `${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export function assertClose(actual: number, expected: number, what: string, tolerance = 1e-4): void {
  assert(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`);
}

export async function expectRejection(promise: Promise<unknown>, what: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new AssertionFailed(`${what}: expected a rejection, it resolved`);
}

/** Runs every check in order (a failure does not stop the rest) and writes the report. */
export async function runChecks(
  checks: readonly Check[],
  reportPath: string,
  report: Omit<CheckReport, 'planned' | 'results'>,
): Promise<boolean> {
  const results: CheckResult[] = [];
  const planned = checks.map(([name]) => name);
  const save = () => writeFileSync(reportPath, JSON.stringify({ planned, results, ...report }, null, 2));
  save();
  for (const [name, run] of checks) {
    const started = performance.now();
    try {
      const returned: unknown = await run();
      const detail = returned === undefined ? '' : String(returned);
      results.push({ name, ok: true, detail, ms: performance.now() - started });
    } catch (error) {
      const detail =
        error instanceof AssertionFailed
          ? error.message
          : error instanceof Error
            ? (error.stack ?? error.message)
            : String(error);
      results.push({ name, ok: false, detail, ms: performance.now() - started });
    }
    save();
  }
  return results.every((result) => result.ok);
}
