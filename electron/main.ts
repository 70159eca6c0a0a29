// Electron main process: one window, one engine host, the IPC transport between them.
// Follows Electron's security checklist: isolated, sandboxed renderer with no Node,
// a strict CSP, no navigation, no new windows, no permissions.
import path from 'node:path';
import { BrowserWindow, app, session, shell } from 'electron';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../core/csp';
import { EngineHost } from '../core/engine-host';
import { resolveStateDir } from '../core/paths';
import { openBackend, parseBackendName, windowNotice } from '../native-bridge/open-backend';
import type { BackendName } from '../native-bridge/types';
import { attachIpcTransport, originOf } from './ipc-transport';
import { createE2EHook, e2eHooksEnabled, installE2EHook, openE2EBackend } from './test-hooks';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;


let host: EngineHost | null = null;
let mainWindow: BrowserWindow | null = null;

function rendererUrl(): string {
  if (MAIN_WINDOW_VITE_DEV_SERVER_URL) return MAIN_WINDOW_VITE_DEV_SERVER_URL;
  return `file://${path.join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`)}`;
}

function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const policy = MAIN_WINDOW_VITE_DEV_SERVER_URL ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

async function createWindow(engine: EngineHost): Promise<void> {
  const url = rendererUrl();
  const window = new BrowserWindow({
    width: 980,
    height: 560,
    minWidth: 420,
    minHeight: 420,
    title: 'SndMix',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = window;
  const detach = attachIpcTransport(engine, window.webContents, originOf(url));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url: target }) => {
    // Links (e.g. to docs) open in the user's browser, never inside the app.
    if (target.startsWith('https://')) void shell.openExternal(target);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    detach();
    mainWindow = null;
  });
  await window.loadURL(url);
}

/** SNDMIX_BACKEND picks the backend (sim, pulse, coreaudio); unset, the platform's own. */
function requestedBackend(): BackendName | undefined {
  const value = process.env.SNDMIX_BACKEND;
  return value ? parseBackendName(value) : undefined;
}

async function main(): Promise<void> {
  const stateDir = resolveStateDir();
  const e2e = e2eHooksEnabled();
  // An app under test gets its own profile: it never meets a running SndMix's single-instance lock.
  if (e2e) app.setPath('userData', path.join(stateDir, 'electron-user-data'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  await app.whenReady();
  hardenSession();
  const name = requestedBackend();
  const opened = e2e
    ? await openE2EBackend({ name, stateDir })
    : {
        ...(await openBackend({ name, stateDir, live: true, onWarning: (message) => console.warn(`sndmix: ${message}`) })),
        sim: null,
      };
  const { backend, sim } = opened;
  host = await EngineHost.start(backend, { notice: windowNotice(opened) });
  if (e2e) installE2EHook(createE2EHook(host, sim));
  const engine = host;
  await createWindow(engine);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(engine);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!host) return;
    // Let the backend flush persisted settings and release OS handles before exit.
    event.preventDefault();
    const closing = host;
    host = null;
    // A close that could not save settings says so; quitting goes on either way.
    void closing
      .close()
      .catch((error: unknown) => console.error(`sndmix: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => app.quit());
  });
}

main().catch((error: unknown) => {
  console.error('sndmix: failed to start:', error);
  app.exit(1);
});
