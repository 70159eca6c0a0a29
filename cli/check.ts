// `sndmix check`: runs QA scenarios (on the sim, or on a real backend with real apps),
// compares the events with the expected ones, and with --rules checks what was observed
// (or what a recording holds) against the session rules of that backend.
// Exit codes: 0 all passed, 1 some mismatch or rule violation, 2 a bad file.
// The scenario parser and runner load only when the command runs (check-files.ts).
import type { Command } from 'commander';
import { once, parseText } from './arguments';
import type { CheckOptions } from './check-files';
import type { CliIo } from './main';

/** Some scenario's events differed from its expectations or broke a rule: exit code 1, the diff is printed. */
export class ScenarioFailed extends Error {}

export function addCheckCommand(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('run QA scenarios and compare the events they produce with the expected ones; check recordings against the session rules')
    .argument('<scenario...>', 'scenario or recording files (YAML or JSON)')
    .option('--json', 'print one JSON object per file: observed events, expectations and rule verdicts')
    .option('--rules', 'also check the observed (or recorded) events against the session rules R1..R27 of the backend')
    .option('--junit <file>', 'write a JUnit XML report: one test case per expectation and per rule', once(parseText))
    .exitOverride()
    .action(async (files: string[], options: CheckOptions) => {
      const { checkFiles } = await import('./check-files');
      if (!(await checkFiles(files, options, io))) throw new ScenarioFailed();
    });
}
