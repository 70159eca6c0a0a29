// Electron main process: the windows (mixer and tray flyout), the tray, hotkeys and
// settings. The audio backend and its engine host run in a process of their own (the
// backend supervisor restarts it when it dies; the windows say so meanwhile).
// Follows Electron's security checklist: isolated, sandboxed renderer with no Node, a
// custom app:// scheme instead of file://, a strict CSP, no navigation, no new windows,
// no permissions, external links only to listed hosts (see windows.ts).
import path from 'node:path';
import type { BrowserWindow, IpcMainEvent, IpcMainInvokeEvent, Rectangle } from 'electron';
import { app, ipcMain, nativeTheme, screen, session } from 'electron';
import { DEV_CONTENT_SECURITY_POLICY } from '../core/csp';
import type { DesktopPage, DesktopState } from '../core/desktop-api';
import { DESKTOP_ACTIONS, DESKTOP_IPC_CHANNELS } from '../core/desktop-api';
import { resolveStateDir } from '../core/paths';
import type { Settings } from '../core/settings';
import { settingsWarningForLog } from '../core/settings';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol';
import { forkBackendProcess } from './backend/electron-child';
import type { BackendStatus } from './backend/supervisor';
import { BackendSupervisor } from './backend/supervisor';
import { E2E_DOOR_BUILT_IN } from './build-flags';
import { deviceHotkeyCommands } from './desktop/hotkey-actions';
import { placeFlyout } from './desktop/flyout-placement';
import { HIDDEN_FLAG, setLinuxAutostart } from './desktop/login-item';
import { MixerMirror } from './desktop/mixer-mirror';
import { HotkeyService } from './hotkey-service';
import { attachIpcTransport, isTrustedSender, originOf } from './ipc-transport';
import { SettingsStore } from './settings/store';
import { DesktopTray } from './tray';
import { trayText } from './desktop/tray-text';
import { FLYOUT_SIZE, createFlyoutWindow, createMixerWindow, pageUrl } from './windows';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const RENDERER_ROOT = path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}`);
const rendererUrl = MAIN_WINDOW_VITE_DEV_SERVER_URL ?? `${APP_ORIGIN}/index.html`;
const rendererOrigin = originOf(rendererUrl);
/** A blur that hid the flyout this recently was the click on the tray icon itself: do not reopen. */
const FLYOUT_REOPEN_GUARD_MS = 300;

const e2eRequested = process.env.SNDMIX_E2E === '1';

function hardenSession(): void {
  // app:// responses carry the strict CSP themselves (app-protocol.ts); the dev server's pages get the dev one.
  if (MAIN_WINDOW_VITE_DEV_SERVER_URL) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DEV_CONTENT_SECURITY_POLICY] } });
    });
  }
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function statusForWindow(status: BackendStatus): DesktopState['backend'] {
  return status.state === 'running' ? { state: 'running' } : status;
}

async function applyLoginItem(enabled: boolean): Promise<string | null> {
  // From a checkout, the executable is the bare Electron binary: it would start no SndMix at login.
  if (!app.isPackaged) return 'only in the installed app';
  if (process.platform === 'win32' || process.platform === 'darwin') {
    app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
    return null;
  }
  if (process.platform === 'linux') {
    // An AppImage runs from a temporary mount: autostart must name the AppImage file itself.
    await setLinuxAutostart(enabled, process.env.APPIMAGE ?? process.execPath);
    return null;
  }
  return `not supported on ${process.platform}`;
}

async function main(): Promise<void> {
  const stateDir = resolveStateDir();
  // An app under test gets its own profile: it never meets a running SndMix's single-instance lock.
  if (e2eRequested && E2E_DOOR_BUILT_IN) app.setPath('userData', path.join(stateDir, 'electron-user-data'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await registerAppScheme();
  await app.whenReady();
  hardenSession();
  if (!MAIN_WINDOW_VITE_DEV_SERVER_URL) await serveAppProtocol(RENDERER_ROOT);

  const settings = await SettingsStore.open(stateDir);
  for (const warning of settings.warnings) console.warn(`sndmix: settings: ${settingsWarningForLog(warning)}`);

  let mixerWindow: BrowserWindow | null = null;
  let flyout: BrowserWindow | null = null;
  let flyoutHiddenAt = 0;
  let tray: DesktopTray | null = null;
  let quitting = false;
  let startAtLoginUnsupported: string | null = app.isPackaged ? null : 'only in the installed app';
  const windows = () => [mixerWindow, flyout].filter((window): window is BrowserWindow => window !== null && !window.isDestroyed());

  const supervisor = new BackendSupervisor({
    spawn: () =>
      forkBackendProcess(path.join(__dirname, 'backend.cjs'), {
        backend: process.env.SNDMIX_BACKEND || null,
        stateDir,
        e2e: e2eRequested,
      }),
    onStatus: (status) => {
      if (status.state === 'restarting') console.error(`sndmix: the audio backend stopped (${status.reason}); restarting in ${status.inMs} ms`);
      publishState();
    },
  });
  const mirror = new MixerMirror();
  const ownClient = supervisor.connect((message) => mirror.apply(message));
  const hotkeys = new HotkeyService(() => settings.get(), ownClient, mirror, supervisor, () => publishState());

  function desktopState(): DesktopState {
    return {
      settings: settings.get(),
      settingsWarnings: [...settings.warnings],
      hotkeyProblems: hotkeys.problems,
      lastHotkeyError: hotkeys.lastError,
      backend: statusForWindow(supervisor.status),
      startAtLoginUnsupported,
    };
  }

  function publishState(): void {
    const state = desktopState();
    for (const window of windows()) window.webContents.send(DESKTOP_IPC_CHANNELS.state, state);
  }

  async function applySettings(next: Settings, previous: Settings | null): Promise<void> {
    nativeTheme.themeSource = next.theme;
    if (previous === null || JSON.stringify(previous.hotkeys) !== JSON.stringify(next.hotkeys)) hotkeys.apply(next.hotkeys);
    if (previous !== null && previous.startAtLogin !== next.startAtLogin) {
      startAtLoginUnsupported = await applyLoginItem(next.startAtLogin).catch((error: unknown) => `could not change start at login: ${String(error)}`);
    }
    publishState();
  }
  let applied = settings.get();
  settings.onChange((next) => {
    const previous = applied;
    applied = next;
    void applySettings(next, previous);
    // The tooltip reads the volume scale.
    if (next.volumeScale !== previous.volumeScale) tray?.update();
  });

  const trusted = (event: IpcMainInvokeEvent | IpcMainEvent) => windows().some((window) => isTrustedSender(event as IpcMainInvokeEvent, window.webContents, rendererOrigin));
  ipcMain.handle(DESKTOP_IPC_CHANNELS.getState, (event) => {
    if (!trusted(event)) throw new Error('request from an untrusted frame');
    return desktopState();
  });
  ipcMain.handle(DESKTOP_IPC_CHANNELS.updateSettings, async (event, patch: unknown) => {
    if (!trusted(event)) return { ok: false, error: 'request from an untrusted frame' };
    const result = await settings.update(patch);
    return result.ok ? { ok: true } : result;
  });
  ipcMain.on(DESKTOP_IPC_CHANNELS.act, (event, action: unknown) => {
    if (!trusted(event) || !DESKTOP_ACTIONS.includes(action as never)) return;
    if (action === 'hide-flyout') flyout?.hide();
    if (action === 'open-mixer') showMixer('mixer', null);
    if (action === 'open-settings') showMixer('settings', null);
  });

  function attach(window: BrowserWindow): void {
    const detach = attachIpcTransport(supervisor, window.webContents, rendererOrigin);
    window.on('closed', detach);
  }

  function showMixer(page: DesktopPage, deviceId: string | null): void {
    flyout?.hide();
    if (!mixerWindow || mixerWindow.isDestroyed()) {
      const window = createMixerWindow();
      mixerWindow = window;
      attach(window);
      window.on('close', (event) => {
        if (quitting || !settings.get().closeToTray || !tray) return;
        event.preventDefault();
        window.hide();
      });
      window.on('closed', () => {
        if (mixerWindow === window) mixerWindow = null;
        // Without close-to-tray, closing the mixer ends SndMix (the hidden flyout does not keep it alive).
        if (!quitting && !(settings.get().closeToTray && tray)) quit();
      });
      window.once('ready-to-show', () => {
        window.show();
        if (page !== 'mixer' || deviceId) window.webContents.send(DESKTOP_IPC_CHANNELS.showPage, page, deviceId);
      });
      void window.loadURL(rendererUrl);
      return;
    }
    if (mixerWindow.isMinimized()) mixerWindow.restore();
    mixerWindow.show();
    mixerWindow.focus();
    if (page !== 'mixer' || deviceId) mixerWindow.webContents.send(DESKTOP_IPC_CHANNELS.showPage, page, deviceId);
  }

  function showFlyoutAt(window: BrowserWindow, anchor: Rectangle): void {
    const display = screen.getDisplayNearestPoint({ x: anchor.x, y: anchor.y });
    const place = placeFlyout(FLYOUT_SIZE, anchor, display.bounds, display.workArea);
    window.setPosition(place.x, place.y);
    window.show();
    window.focus();
  }

  function toggleFlyout(anchor: Rectangle): void {
    if (flyout?.isVisible()) {
      flyout.hide();
      return;
    }
    if (Date.now() - flyoutHiddenAt < FLYOUT_REOPEN_GUARD_MS) return;
    if (!flyout || flyout.isDestroyed()) {
      const window = createFlyoutWindow();
      flyout = window;
      attach(window);
      window.on('blur', () => {
        if (!window.isVisible()) return;
        flyoutHiddenAt = Date.now();
        window.hide();
      });
      window.on('closed', () => {
        if (flyout === window) flyout = null;
      });
      // Shown once painted: no blank frame beside the tray.
      window.once('ready-to-show', () => showFlyoutAt(window, anchor));
      void window.loadURL(pageUrl(rendererUrl, 'compact'));
      return;
    }
    showFlyoutAt(flyout, anchor);
  }

  function quit(): void {
    quitting = true;
    app.quit();
  }

  app.on('second-instance', () => showMixer('mixer', null));
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (!tray || !settings.get().closeToTray) quit();
  });
  app.on('activate', () => showMixer('mixer', null));
  let closed = false;
  app.on('will-quit', (event) => {
    hotkeys.dispose();
    if (closed) return;
    // Let the backend process flush persisted settings and release OS handles before exit.
    event.preventDefault();
    closed = true;
    tray?.destroy();
    void supervisor.close().finally(() => app.quit());
  });

  if (E2E_DOOR_BUILT_IN && e2eRequested) {
    const { installE2EHook } = await import('./test-hooks');
    installE2EHook({
      run: (source, arg) => supervisor.runE2E(source, arg),
      // What only the desktop shell has, for desktop-shell.electron.spec.ts.
      shell: {
        backendPid: () => supervisor.pid,
        trayTooltip: () => tray?.tooltip ?? null,
        openFlyout: () => toggleFlyout(screen.getPrimaryDisplay().workArea),
        flyoutVisible: () => flyout?.isVisible() === true,
        flyoutUrl: () => flyout?.webContents.getURL() ?? null,
      },
    });
  }

  void supervisor.start().catch(() => undefined);
  void ownClient.handle({ type: 'subscribe' });
  tray = new DesktopTray(
    mirror,
    {
      toggleFlyout,
      openMixer: (deviceId) => showMixer('mixer', deviceId),
      openSettings: () => showMixer('settings', null),
      toggleDefaultMute: () => {
        const outcome = deviceHotkeyCommands('default-mute', mirror.devices.values(), 0);
        if (outcome.ok) for (const command of outcome.commands) void ownClient.handle(command);
      },
      quit,
      volumeScale: () => settings.get().volumeScale,
    },
    // The window picks its language from the OS's the same way (Chromium passes them on).
    trayText([...app.getPreferredSystemLanguages(), app.getLocale()]),
  );
  await applySettings(settings.get(), null);
  // Started at login: straight to the tray.
  if (!process.argv.includes(HIDDEN_FLAG)) showMixer('mixer', null);
}

main().catch((error: unknown) => {
  console.error('sndmix: failed to start:', error);
  app.exit(1);
});
