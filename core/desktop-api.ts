// The desktop app's second door for the renderer (beside MixerApi): its settings, the
// state of the backend's own process, and the few window actions the compact flyout
// needs. Web mode has no such door: the renderer checks for it and hides what needs it.
import type { HotkeyProblem } from './hotkeys';
import type { HotkeyAction, Settings, SettingsPatch, SettingsWarning } from './settings';

/** The backend process as the window should show it. */
export type BackendProcessStatus =
  | { state: 'starting' }
  | { state: 'running' }
  | { state: 'restarting'; reason: string; inMs: number }
  | { state: 'stopped' };

export interface DesktopState {
  settings: Settings;
  /** What was wrong with the settings file at start (it was kept as settings.json.corrupt). */
  settingsWarnings: SettingsWarning[];
  /** Why a bound hotkey is not active: misspelt, the same keys as another action, or taken by another app. */
  hotkeyProblems: Partial<Record<HotkeyAction, HotkeyProblem>>;
  /** The last hotkey press that could not act, and why. */
  lastHotkeyError: string | null;
  backend: BackendProcessStatus;
  /** Null where start at login works; else why not. */
  startAtLoginUnsupported: string | null;
}

export type DesktopAction = 'open-mixer' | 'open-settings' | 'hide-flyout';

/** Pages the main process can ask a window to show (from the tray menu). */
export type DesktopPage = 'mixer' | 'settings';

export interface DesktopApi {
  getState(): Promise<DesktopState>;
  updateSettings(patch: SettingsPatch): Promise<{ ok: true } | { ok: false; error: string }>;
  onState(listener: (state: DesktopState) => void): () => void;
  onShowPage(listener: (page: DesktopPage, deviceId: string | null) => void): () => void;
  act(action: DesktopAction): void;
}

export const DESKTOP_IPC_CHANNELS = {
  getState: 'sndmix-desktop:get-state',
  updateSettings: 'sndmix-desktop:update-settings',
  state: 'sndmix-desktop:state',
  showPage: 'sndmix-desktop:show-page',
  act: 'sndmix-desktop:act',
} as const;

export const DESKTOP_ACTIONS: readonly DesktopAction[] = ['open-mixer', 'open-settings', 'hide-flyout'];
