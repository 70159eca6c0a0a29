#!/usr/bin/env node
// Runs the CLI built to dist/cli on install (`prepare`, or `npm run build:cli`), so
// `npx sndmix` starts as fast as Node does and loads only what a command needs.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('sndmix: the CLI is not built (dist/cli is missing): run "npm run build:cli"\n');
  process.exit(2);
}
const { runCli } = await import(built.href);
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop.abort());
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stop: stop.signal,
});
