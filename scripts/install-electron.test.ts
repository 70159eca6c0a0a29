// `npm install` never fails on Electron's binary: the postinstall wrapper, run as npm runs
// it, where the download cannot happen (a mirror that does not resolve stands for no
// network), says so in one line and succeeds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.join(import.meta.dirname, 'install-electron.mjs');

function runWrapper(extraEnv: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  if (!('ELECTRON_SKIP_BINARY_DOWNLOAD' in extraEnv)) delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env, timeout: 120_000 });
}

describe('the Electron binary install wrapper', () => {
  it('without a network for the download: one line saying why, exit 0', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'sndmix-electron-cache-'));
    try {
      const run = runWrapper({ ELECTRON_MIRROR: 'https://electron-mirror.invalid/', electron_config_cache: cache });
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      // Where a binary was downloaded before, the electron package finds it and needs no network.
      expect(lines[0]).toMatch(/^sndmix: (could not download Electron [\d.]+'s binary \(.*ENOTFOUND.*\): `npm start` opens web mode instead|Electron [\d.]+'s binary is ready)/);
      expect(run.stderr).toBe('');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 130_000);

  it('with ELECTRON_SKIP_BINARY_DOWNLOAD: one line, exit 0', () => {
    const run = runWrapper({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^sndmix: Electron [\d.]+'s binary was not downloaded \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\)/);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });
});
