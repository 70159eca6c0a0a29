#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx sndmix` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop.abort());
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stop: stop.signal,
});
