// The Electron target: where its binary is, and building the app the tests launch.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** package.json's "main": what `electron .` runs, built by Forge's Vite plugin configs. */
export const ELECTRON_MAIN = path.join(REPO_ROOT, '.vite', 'build', 'main.cjs');

export type { ElectronBinary } from '../scripts/electron-binary';
export { findElectronBinary } from '../scripts/electron-binary';

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
