// The installer configuration is checked against electron-builder's own schema (the same
// check `electron-builder` runs before packaging), here where Electron cannot be downloaded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { FUSES } from './fuses';
import { builderConfig } from './electron-builder';

const root = path.resolve(import.meta.dirname, '..');
const installedElectron = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;

describe('the electron-builder configuration', () => {
  it("is valid against electron-builder's schema", async () => {
    await expect(validateConfiguration(builderConfig(installedElectron), new DebugLogger(false))).resolves.toBeUndefined();
    // Loading electron-builder's schema takes seconds on a shared machine.
  }, 30_000);

  it('a mistake is caught by that check (it is no formality)', async () => {
    const broken = { ...builderConfig(installedElectron), nsis: { oneClick: 'yes' } } as never;
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/oneClick/);
  }, 30_000);

  it('packages the pinned Electron, with the fuses, per-user NSIS that keeps settings, AppImage and deb', () => {
    const config = builderConfig(installedElectron);
    expect(config.electronVersion).toBe(installedElectron);
    expect(config.electronFuses).toEqual(FUSES);
    expect(config.nsis).toMatchObject({ perMachine: false, deleteAppDataOnUninstall: false, createDesktopShortcut: true });
    expect(JSON.stringify(config.linux?.target)).toContain('AppImage');
    expect(JSON.stringify(config.linux?.target)).toContain('deb');
  });
});
