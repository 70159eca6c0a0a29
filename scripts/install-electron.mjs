#!/usr/bin/env node
// postinstall: fetch Electron's binary without ever failing `npm install`. npm does not run
// the electron package's own install script (package.json allowScripts denies it), since
// where the binary cannot be downloaded that script fails the whole install. Here the
// same script runs, and its failure is one line: the mixer still works in web mode
// (`npm start` falls back to it). `npm run install:electron` tries again.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const say = (line) => console.log(`sndmix: ${line}`);
const fallback = '`npm start` opens web mode instead; `npm run install:electron` tries again';

let installScript;
let version;
try {
  installScript = require.resolve('electron/install.js');
  version = require('electron/package.json').version;
} catch {
  say(`the electron package is not installed (devDependencies omitted?): ${fallback}`);
  process.exit(0);
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  say(`Electron ${version}'s binary was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): ${fallback}`);
  process.exit(0);
}

const run = spawnSync(process.execPath, [installScript], { encoding: 'utf8', timeout: 10 * 60_000 });
if (run.status === 0) {
  say(`Electron ${version}'s binary is ready`);
  process.exit(0);
}
// The script prints a stack; its first line names the cause (e.g. "RequestError: getaddrinfo ENOTFOUND github.com").
const output = `${run.stderr ?? ''}\n${run.stdout ?? ''}`;
const cause = output.split('\n').map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('at ')) ?? (run.error ? String(run.error) : `exit code ${run.status}`);
say(`could not download Electron ${version}'s binary (${cause}): ${fallback}`);
