// `sndmix check`: runs QA scenarios (on the sim, or on a real backend with real apps),
// compares the events with the expected ones, and with --rules checks what was observed
// (or what a recording holds) against the session rules of that backend.
// Exit codes: 0 all passed, 1 some mismatch or rule violation, 2 a bad file.
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Command } from 'commander';
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
import { once, parseText } from './arguments';
import type { CliIo } from './main';
import { escapeForTerminal } from './terminal-text';
import { UsageError } from './targets';

/** Some scenario's events differed from its expectations or broke a rule: exit code 1, the diff is printed. */
export class ScenarioFailed extends Error {}

interface CheckOptions {
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

export function addCheckCommand(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('run QA scenarios and compare the events they produce with the expected ones; check recordings against the session rules')
    .argument('<scenario...>', 'scenario or recording files (YAML or JSON)')
    .option('--json', 'print one JSON object per file: observed events, expectations and rule verdicts')
    .option('--rules', 'also check the observed (or recorded) events against the session rules R1..R25 of the backend')
    .option('--junit <file>', 'write a JUnit XML report: one test case per expectation and per rule', once(parseText))
    .exitOverride()
    .action(async (files: string[], options: CheckOptions) => {
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
      if (failed) throw new ScenarioFailed();
    });
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

function formatVerdict(verdict: RuleVerdict): string[] {
  switch (verdict.status) {
    case 'passed':
      return [`    ✓ ${verdict.rule} ${verdict.title}`];
    case 'failed':
      return [
        `    ✗ ${verdict.rule} ${verdict.title}`,
        ...verdict.violations.map((found) => `        ${describeWhere(found)}: ${found.message}`),
      ];
    case 'not-applicable':
      return [`    - ${verdict.rule} not applicable: ${verdict.reason}`];
    case 'not-observable':
      return [`    - ${verdict.rule} not observable: ${verdict.reason}`];
  }
}
