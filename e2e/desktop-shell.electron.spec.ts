// What only the desktop app has, on the built app (SNDMIX_E2E=1, test door built in): the
// backend in a process of its own that can die without the window, the app:// protocol,
// the tray and its flyout, global hotkeys, the settings file, and the packaged fuses.
// Runs where Electron's binary exists; elsewhere every test is skipped with the reason.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElectronApplication, Page } from '@playwright/test';
import { _electron, expect, test } from '@playwright/test';
import type { DesktopApi } from '../core/desktop-api';
import type { E2EHook, ShellProbe } from '../electron/test-hooks';
import { E2E_GLOBAL } from '../electron/test-hooks';
import { electronLaunchOptions } from './app-under-test';
import { DEMO } from './demo';
import { REPO_ROOT, buildElectronApp, findElectronBinary } from './electron-app';

const binary = findElectronBinary();
test.skip(!binary.available, binary.available ? '' : binary.reason);

/** The page's window in the desktop app (the preload's second door). */
type DesktopWindow = { sndmixDesktop?: DesktopApi };

interface Shell {
  app: ElectronApplication;
  page: Page;
  stateDir: string;
  probe<K extends keyof ShellProbe>(name: K): Promise<Awaited<ReturnType<ShellProbe[K]>>>;
  inBackend<R>(source: string): Promise<R>;
}

let shell: Shell;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  if (!binary.available) return;
  await buildElectronApp();
});

test.beforeEach(async () => {
  if (!binary.available) return;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-e2e-shell-'));
  const app = await _electron.launch(electronLaunchOptions(binary.path, stateDir, { name: 'sim' }));
  const page = await app.firstWindow();
  await expect(page.getByRole('combobox', { name: 'Playback device' })).toBeVisible();
  shell = {
    app,
    page,
    stateDir,
    probe: (name) =>
      app.evaluate((_electron, input) => {
        const hook = (globalThis as Record<string, unknown>)[input.key] as E2EHook | undefined;
        const probe = hook?.shell?.[input.name as keyof ShellProbe] as (() => unknown) | undefined;
        if (!probe) throw new Error(`no shell probe ${input.name}`);
        return probe();
      }, { key: E2E_GLOBAL, name }) as never,
    inBackend: (source) =>
      app.evaluate((_electron, input) => {
        const hook = (globalThis as Record<string, unknown>)[input.key] as E2EHook | undefined;
        if (!hook) throw new Error('no test door in the main process');
        return hook.run(input.source, null);
      }, { key: E2E_GLOBAL, source }) as Promise<never>,
  };
});

test.afterEach(async () => {
  if (!binary.available) return;
  await shell.app.close();
  rmSync(shell.stateDir, { recursive: true, force: true });
});

test('the backend runs in a process of its own; when it dies the window says so and is served again', async () => {
  const mainPid = await shell.app.evaluate(() => process.pid);
  const backendPid = await shell.probe('backendPid');
  expect(backendPid).toBeDefined();
  expect(backendPid).not.toBe(mainPid);
  expect(await shell.inBackend<number>('() => process.pid')).toBe(backendPid);

  process.kill(backendPid as number, 'SIGKILL');
  await expect(shell.page.getByTestId('connection-banner')).toContainText('The audio backend stopped');
  await expect(shell.page.getByTestId('connection-banner')).toBeHidden({ timeout: 15_000 });
  await expect(shell.page.getByRole('slider', { name: `Volume of ${DEMO.mediaPlayer}` })).toBeEnabled();
  const restartedPid = await shell.probe('backendPid');
  expect(restartedPid).not.toBe(backendPid);
  expect(await shell.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBeGreaterThan(0);
});

test('the UI comes from app://bundle/, which serves nothing outside the renderer folder', async () => {
  expect(shell.page.url()).toMatch(/^app:\/\/bundle\//);
  const answers = await shell.page.evaluate(async () => {
    const status = async (url: string) => (await fetch(url)).status;
    const page = await fetch('app://bundle/index.html');
    return {
      index: page.status,
      csp: page.headers.get('content-security-policy'),
      escaped: await status('app://bundle/..%2f..%2fbuild%2fmain.cjs'),
      missing: await status('app://bundle/no-such-file.js'),
    };
  });
  expect(answers).toMatchObject({ index: 200, escaped: 404, missing: 404 });
  expect(answers.csp).toContain("script-src 'self'");
});

test("the tray tells the default device's volume; its flyout is the compact view and hides when it loses focus", async () => {
  await expect.poll(() => shell.probe('trayTooltip')).toMatch(new RegExp(`^SndMix: ${DEMO.speakers.replace(/[()]/g, '\\$&')} \\d+%`));
  await shell.inBackend("({ engine, demo }) => engine.setDeviceVolume(demo.devices.speakers, 0.3)");
  await expect.poll(() => shell.probe('trayTooltip')).toContain(' 30%');

  await shell.probe('openFlyout');
  await expect.poll(() => shell.probe('flyoutVisible')).toBe(true);
  expect(await shell.probe('flyoutUrl')).toContain('view=compact');
  await shell.app.evaluate(({ BrowserWindow }) => {
    const mixer = BrowserWindow.getAllWindows().find((window) => !window.webContents.getURL().includes('view=compact'));
    mixer?.focus();
  });
  await expect.poll(() => shell.probe('flyoutVisible')).toBe(false);
});

test('global hotkeys register from the settings; a conflict leaves both actions unregistered and says so', async () => {
  const update = (patch: unknown) => shell.page.evaluate((value) => (window as unknown as DesktopWindow).sndmixDesktop?.updateSettings(value as never), patch);
  expect(await update({ hotkeys: { 'default-mute': 'Ctrl+Alt+F9' } })).toEqual({ ok: true });
  await expect.poll(() => shell.app.evaluate(({ globalShortcut }) => globalShortcut.isRegistered('Control+Alt+F9'))).toBe(true);

  expect(await update({ hotkeys: { 'mic-mute': 'Alt+Ctrl+F9' } })).toEqual({ ok: true });
  await expect.poll(() => shell.app.evaluate(({ globalShortcut }) => globalShortcut.isRegistered('Control+Alt+F9'))).toBe(false);
  const problems = await shell.page.evaluate(async () => (await (window as unknown as DesktopWindow).sndmixDesktop?.getState())?.hotkeyProblems);
  expect(problems).toMatchObject({
    'default-mute': { kind: 'duplicate', accelerator: 'Control+Alt+F9', rivals: ['mic-mute'] },
    'mic-mute': { kind: 'duplicate', accelerator: 'Control+Alt+F9', rivals: ['default-mute'] },
  });
});

test('settings are kept whole in the state folder and applied at once (the theme)', async () => {
  const update = await shell.page.evaluate(() => (window as unknown as DesktopWindow).sndmixDesktop?.updateSettings({ theme: 'dark', meters: false }));
  expect(update).toEqual({ ok: true });
  const stored = JSON.parse(readFileSync(path.join(shell.stateDir, 'settings.json'), 'utf8'));
  expect(stored).toMatchObject({ version: 1, theme: 'dark', meters: false });
  expect(await shell.app.evaluate(({ nativeTheme }) => nativeTheme.themeSource)).toBe('dark');
});

test('the packaged app has its fuses set: no RunAsNode, NODE_OPTIONS or --inspect, ASAR only and checked', async () => {
  test.setTimeout(600_000);
  const { execFileSync } = await import('node:child_process');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 540_000 });
  const { FuseV1Options, getCurrentFuseWire } = await import('@electron/fuses');
  const executable = path.join(REPO_ROOT, 'out', `SndMix-${process.platform}-${process.arch}`, process.platform === 'win32' ? 'sndmix.exe' : 'sndmix');
  const wire = await getCurrentFuseWire(executable);
  // A fuse's state is the character '0' (off) or '1' (on) in the binary's fuse wire.
  const DISABLE = '0'.charCodeAt(0);
  const ENABLE = '1'.charCodeAt(0);
  expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
  expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
  expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
  expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
  expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
  expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
});
