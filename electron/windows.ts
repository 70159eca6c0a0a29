// The app's two windows, both on the same renderer: the mixer (a normal window) and the
// tray flyout (frameless, beside the tray, hidden when it loses focus). Both follow
// Electron's security checklist: isolated, sandboxed renderer with no Node, no
// navigation, no new windows; links open in the browser only for allowed hosts.
import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { BrowserWindow, shell } from 'electron';
import { isAllowedExternal } from './external-links';
import { MIXER_WINDOW_MIN_SIZE, MIXER_WINDOW_SIZE } from './mixer-window-size';

export const FLYOUT_SIZE = { width: 380, height: 460 };

function secureWebPreferences(): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload: path.join(__dirname, 'preload.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    spellcheck: false,
  };
}

function lockDown(window: BrowserWindow): void {
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // eslint-disable-next-line no-restricted-syntax -- the one door to the browser, behind the allowlist
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** `view` is the renderer's query parameter (compact for the flyout). */
export function pageUrl(base: string, view: 'compact' | null): string {
  if (!view) return base;
  const url = new URL(base);
  url.searchParams.set('view', view);
  return url.toString();
}

export function createMixerWindow(): BrowserWindow {
  const window = new BrowserWindow({
    ...MIXER_WINDOW_SIZE,
    minWidth: MIXER_WINDOW_MIN_SIZE.width,
    minHeight: MIXER_WINDOW_MIN_SIZE.height,
    title: 'SndMix',
    show: false,
    webPreferences: secureWebPreferences(),
  });
  lockDown(window);
  return window;
}

export function createFlyoutWindow(): BrowserWindow {
  const window = new BrowserWindow({
    ...FLYOUT_SIZE,
    title: 'SndMix',
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    webPreferences: secureWebPreferences(),
  });
  lockDown(window);
  return window;
}
