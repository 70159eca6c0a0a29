// The Electron target: where its binary is, and building the app the tests launch.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** package.json's "main": what `electron .` runs, built by Forge's Vite plugin configs. */
export const ELECTRON_MAIN = path.join(REPO_ROOT, '.vite', 'build', 'main.cjs');

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };

/** The binary the `electron` package points at, if it was downloaded. */
export function findElectronBinary(): ElectronBinary {
  let binary: unknown;
  try {
    // In plain Node the package exports the path of its binary (and throws when it never got one).
    binary = require('electron');
  } catch (error) {
    return { available: false, reason: missingReason(error instanceof Error ? error.message : String(error)) };
  }
  if (typeof binary !== 'string') return { available: false, reason: missingReason('the electron package named no binary') };
  if (!existsSync(binary)) return { available: false, reason: missingReason(`${binary} does not exist`) };
  return { available: true, path: binary };
}

function missingReason(detail: string): string {
  return (
    'no Electron binary here (the electron package was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1: ' +
    `${detail}); the electron target runs where npm could download it`
  );
}

/** `npm run build:electron` with the test door built in: main, backend, preload and renderer into .vite/, so the tests launch today's code. */
export function buildElectronApp(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('npm', ['run', '--silent', 'build:electron'], { cwd: REPO_ROOT, timeout: 180_000, env: { ...process.env, SNDMIX_E2E_DOOR: '1' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`npm run build:electron failed: ${error.message}\n${stdout}\n${stderr}`.trim()));
      else if (!existsSync(ELECTRON_MAIN)) reject(new Error(`npm run build:electron did not produce ${ELECTRON_MAIN}`));
      else resolve();
    });
  });
}
