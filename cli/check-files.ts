// What `sndmix check` does once it runs: load, run and rule-check each file, print and report.
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { LoggedEvent } from '../core/contract';
import type { ParsedScenario } from '../core/scenario/format';
import { ScenarioFormatError, backendOf, parseScenario } from '../core/scenario/format';
import type { JUnitSuite } from '../core/scenario/junit';
import { describeWhere, junitXml } from '../core/scenario/junit';
import { observationOfRecording } from '../core/scenario/recording';
import type { Expectation } from '../core/scenario/report';
import type { RuleVerdict } from '../core/scenario/rules';
import { checkRules, mergeVerdicts, rulesPassed } from '../core/scenario/rules';
import { runScenario } from '../core/scenario/run';
import type { CliIo } from './main';
import { escapeForTerminal } from './terminal-text';
import { UsageError } from './targets';

export interface CheckOptions {
  json?: boolean;
  rules?: boolean;
  junit?: string;
}

interface FileResult {
  file: string;
  name: string;
  backend: string;
  passed: boolean;
  diff: string[];
  observed: LoggedEvent[];
  expectations: Expectation[];
  rules?: RuleVerdict[];
  startedAt: number;
  durationMs: number;
}

/** Checks every file in turn; true when all passed. A bad file throws a UsageError (exit code 2). */
export async function checkFiles(files: readonly string[], options: CheckOptions, io: CliIo): Promise<boolean> {
  const suites: JUnitSuite[] = [];
  let failed = false;
  try {
    for (const file of files) {
      const result = await checkFile(file, await loadScenario(file, suites), options);
      failed ||= !result.passed;
      suites.push({ ...result, ...(result.rules ? { rules: result.rules } : {}) });
      io.stdout(options.json ? `${JSON.stringify(jsonOf(result))}\n` : formatResult(result));
    }
  } finally {
    if (options.junit !== undefined) await writeReport(options.junit, suites);
  }
  return !failed;
}

async function checkFile(file: string, parsed: ParsedScenario, options: CheckOptions): Promise<FileResult> {
  const { scenario } = parsed;
  const startedAt = Date.now();
  const recorded = observationOfRecording(scenario);
  if (scenario.steps.length === 0) {
    // A recording of an app SndMix did not start: nothing to run, only rules to check.
    if (!options.rules || !recorded) throw new UsageError(`${file}: a recording without steps has nothing to run; check it with --rules`);
    const rules = checkRules(recorded);
    return { file, name: scenario.name, backend: backendOf(scenario), passed: rulesPassed(rules), diff: [], observed: [], expectations: [], rules, startedAt, durationMs: Date.now() - startedAt };
  }
  const report = await runScenario(parsed);
  // A recording that can run again: its rules hold both in what it recorded and in this run.
  const rules = options.rules
    ? recorded
      ? mergeVerdicts({ 'in the recording': checkRules(recorded), 'in this run': checkRules(report.observation) })
      : checkRules(report.observation)
    : undefined;
  return {
    file,
    name: report.name,
    backend: report.backend,
    passed: report.passed && (rules === undefined || rulesPassed(rules)),
    diff: report.diff,
    observed: report.observed,
    expectations: report.expectations,
    ...(rules ? { rules } : {}),
    startedAt,
    durationMs: Date.now() - startedAt,
  };
}

async function loadScenario(file: string, suites: JUnitSuite[]): Promise<ParsedScenario> {
  const bad = (reason: string) => {
    suites.push({ file, name: file, backend: 'unknown', startedAt: Date.now(), durationMs: 0, expectations: [], error: reason });
    return new UsageError(reason);
  };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw bad(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return parseScenario(text);
  } catch (error) {
    if (error instanceof ScenarioFormatError) throw bad(`${file}:${error.line}: ${error.reason}`);
    throw error;
  }
}

async function writeReport(path: string, suites: readonly JUnitSuite[]): Promise<void> {
  try {
    await writeFile(path, junitXml(suites, hostname()));
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function jsonOf(result: FileResult) {
  const { file, name, backend, passed, observed, expectations, rules } = result;
  return { file, name, backend, passed, observed, expectations, ...(rules ? { rules } : {}) };
}

function formatResult(result: FileResult): string {
  const lines = [`${result.passed ? 'PASS' : 'FAIL'} ${result.file}: ${result.name}`];
  if (!result.passed) lines.push(...result.diff);
  if (result.rules) lines.push(`  rules on ${result.backend}:`, ...result.rules.flatMap(formatVerdict));
  // Names in diffs and violations come from apps: one line each, whatever they hold.
  return `${lines.map(escapeForTerminal).join('\n')}\n`;
}

/** What part of a checked rule events cannot decide, under its verdict. */
function undecidedLine(verdict: { undecided?: string }): string[] {
  return verdict.undecided === undefined ? [] : [`        not decided from events: ${verdict.undecided}`];
}

function formatVerdict(verdict: RuleVerdict): string[] {
  switch (verdict.status) {
    case 'passed':
      return [`    ✓ ${verdict.rule} ${verdict.title}`, ...undecidedLine(verdict)];
    case 'failed':
      return [
        `    ✗ ${verdict.rule} ${verdict.title}`,
        ...verdict.violations.map((found) => `        ${describeWhere(found)}: ${found.message}`),
        ...undecidedLine(verdict),
      ];
    case 'not-applicable':
      return [`    - ${verdict.rule} not applicable: ${verdict.reason}`];
    case 'not-observable':
      return [`    - ${verdict.rule} not observable: ${verdict.reason}`];
  }
}
