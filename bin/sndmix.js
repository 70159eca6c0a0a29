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
// SIGINT/SIGTERM end the run: first gracefully (pending settings are written), and at the
// latest after STOP_GRACE_MS, or at once on a second signal, whatever is still running.
const STOP_GRACE_MS = 1500;
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 };
for (const [signal, number] of Object.entries(SIGNAL_NUMBERS)) {
  process.on(signal, () => {
    if (stop.signal.aborted) process.exit(128 + number);
    stop.abort();
    setTimeout(() => {
      process.stderr.write(`sndmix: still busy ${STOP_GRACE_MS} ms after ${signal}; exiting, changes not yet saved are lost\n`);
      process.exit(128 + number);
    }, STOP_GRACE_MS).unref();
  });
}
// The reader went away (`sndmix watch | head -1`): stop as Unix tools stop on SIGPIPE,
// quietly and with its exit status, instead of crashing on the next write.
const SIGPIPE_EXIT = 128 + 13;
let readerGone = false;
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  readerGone = true;
  stop.abort();
});
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => {
    if (!readerGone) process.stdout.write(text);
  },
  stderr: (text) => process.stderr.write(text),
  stop: stop.signal,
});
process.exitCode = readerGone ? SIGPIPE_EXIT : code;
