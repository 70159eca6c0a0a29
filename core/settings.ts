// The user's settings: one schema, its defaults, and how a stored file (possibly from an
// older or newer SndMix, possibly hand-edited) becomes settings without losing the rest.
// Plain module: the desktop app's main process keeps the file (electron/settings/), the
// renderer reads and changes settings through the desktop API (core/desktop-api.ts, the
// preload's second door), importing them through core/contract.ts; everyday-mixer
// features read volumeScale and meters from here.
import * as z from 'zod';
import { builtOnFirstUse } from '../base/built-on-first-use';

export const SETTINGS_VERSION = 1;

/** What a global hotkey does. The record below is the one list (the compiler keeps the rest in step). */
export type HotkeyAction =
  | 'foreground-volume-up'
  | 'foreground-volume-down'
  | 'foreground-mute'
  | 'default-volume-up'
  | 'default-volume-down'
  | 'default-mute'
  | 'app-volume-up'
  | 'app-volume-down'
  | 'app-mute'
  | 'mic-mute';

export const HOTKEY_ACTION_LABELS: Record<HotkeyAction, string> = {
  'foreground-volume-up': 'Foreground app: volume up',
  'foreground-volume-down': 'Foreground app: volume down',
  'foreground-mute': 'Foreground app: mute / unmute',
  'default-volume-up': 'Default device: volume up',
  'default-volume-down': 'Default device: volume down',
  'default-mute': 'Default device: mute / unmute',
  'app-volume-up': 'Chosen app: volume up',
  'app-volume-down': 'Chosen app: volume down',
  'app-mute': 'Chosen app: mute / unmute',
  'mic-mute': 'Microphone: mute / unmute',
};
export const HOTKEY_ACTIONS = Object.keys(HOTKEY_ACTION_LABELS) as HotkeyAction[];

/** An accelerator as Electron spells it ("CommandOrControl+Alt+Up"); its grammar is checked in core/hotkeys.ts. */
const accelerator = builtOnFirstUse(() => z.string().min(1).max(100).nullable());

const hotkeysShape = Object.fromEntries(HOTKEY_ACTIONS.map((action) => [action, accelerator])) as Record<
  HotkeyAction,
  typeof accelerator
>;

export const SettingsSchema = builtOnFirstUse(() => z
  .object({
    version: z.literal(SETTINGS_VERSION),
    theme: z.enum(['system', 'light', 'dark']),
    /** How volumes are shown: 0..100 like Sndvol, or decibels of attenuation. */
    volumeScale: z.enum(['percent', 'decibel']),
    /** Peak meters cost backend calls; off, the mixer never asks for them. */
    meters: z.boolean(),
    /** Closing the mixer window keeps SndMix in the tray. */
    closeToTray: z.boolean(),
    startAtLogin: z.boolean(),
    hotkeys: z.object(hotkeysShape).strict(),
    /** The "chosen app" of the app-* hotkeys: its process name (e.g. "vlc", "Spotify.exe"). */
    hotkeyApp: z.string().min(1).max(260).nullable(),
    /** What one volume hotkey press moves, in percent points. */
    hotkeyStep: z.number().int().min(1).max(25),
  })
  .strict());

export type Settings = z.infer<typeof SettingsSchema>;
export type ThemeSetting = Settings['theme'];
export type VolumeScale = Settings['volumeScale'];

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  theme: 'system',
  volumeScale: 'percent',
  meters: true,
  closeToTray: true,
  startAtLogin: false,
  // None bound out of the box: a global hotkey takes its keys from every other app.
  hotkeys: Object.fromEntries(HOTKEY_ACTIONS.map((action) => [action, null])) as Record<HotkeyAction, string | null>,
  hotkeyApp: null,
  hotkeyStep: 2,
};

/** A change from the settings page: any fields but the version; hotkeys may name a few actions. */
export const SettingsPatchSchema = builtOnFirstUse(() => SettingsSchema.omit({ version: true })
  .extend({ hotkeys: z.object(hotkeysShape).partial().strict() })
  .partial()
  .strict());
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  return { ...settings, ...patch, hotkeys: { ...settings.hotkeys, ...patch.hotkeys } };
}

/** What was wrong with the stored settings file: data, worded by the renderer in the user's language. */
export type SettingsWarning =
  | { kind: 'unreadable'; file: string; message: string }
  | { kind: 'not-json'; file: string; message: string }
  | { kind: 'not-an-object' }
  | { kind: 'newer-version'; version: string }
  | { kind: 'invalid-setting'; setting: string; issue: string }
  | { kind: 'unknown-setting'; setting: string }
  | { kind: 'hotkeys-not-an-object' }
  | { kind: 'unknown-hotkey-action'; action: string }
  | { kind: 'invalid-hotkey'; action: HotkeyAction }
  | { kind: 'copy-kept'; copy: string };

/** The main process's console line (English); the settings page words warnings itself. */
export function settingsWarningForLog(warning: SettingsWarning): string {
  switch (warning.kind) {
    case 'unreadable':
      return `cannot read ${warning.file} (${warning.message}): using the defaults`;
    case 'not-json':
      return `${warning.file} is not valid JSON (${warning.message}): using the defaults`;
    case 'not-an-object':
      return 'the settings file does not hold an object: using the defaults';
    case 'newer-version':
      return `the settings file is from a newer SndMix (version ${warning.version}): using the defaults`;
    case 'invalid-setting':
      return `setting "${warning.setting}" is invalid (${warning.issue}): using its default`;
    case 'unknown-setting':
      return `unknown setting "${warning.setting}" was dropped`;
    case 'hotkeys-not-an-object':
      return 'setting "hotkeys" is not an object: no hotkeys are bound';
    case 'unknown-hotkey-action':
      return `unknown hotkey action "${warning.action}" was dropped`;
    case 'invalid-hotkey':
      return `hotkey "${warning.action}" is invalid: unbound`;
    case 'copy-kept':
      return `the file was kept as ${warning.copy}`;
  }
}

export interface LoadedSettings {
  settings: Settings;
  /** What was wrong with the stored file, for the user to see; empty when it was fine. */
  warnings: SettingsWarning[];
}

/**
 * Settings from a stored file's parsed JSON (undefined: no file yet). A file from an older
 * version lacks newer fields: they get their defaults. A field that does not fit the
 * schema is reset to its default with a warning naming it; the others are kept. A file
 * that is not an object, or is from a newer SndMix, gives the defaults and a warning.
 */
export function migrateSettings(stored: unknown): LoadedSettings {
  if (stored === undefined) return { settings: DEFAULT_SETTINGS, warnings: [] };
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    return { settings: DEFAULT_SETTINGS, warnings: [{ kind: 'not-an-object' }] };
  }
  const record = stored as Record<string, unknown>;
  const version = record.version ?? 0;
  if (typeof version !== 'number' || version > SETTINGS_VERSION) {
    return {
      settings: DEFAULT_SETTINGS,
      warnings: [{ kind: 'newer-version', version: String(version) }],
    };
  }
  const warnings: SettingsWarning[] = [];
  const settings: Record<string, unknown> = { version: SETTINGS_VERSION };
  const shape = SettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof Settings)[]) {
    if (key === 'version') continue;
    const value = record[key];
    if (value === undefined) {
      settings[key] = DEFAULT_SETTINGS[key];
    } else if (key === 'hotkeys') {
      settings.hotkeys = migrateHotkeys(value, warnings);
    } else {
      const parsed = shape[key].safeParse(value);
      if (parsed.success) settings[key] = parsed.data;
      else {
        settings[key] = DEFAULT_SETTINGS[key];
        warnings.push({ kind: 'invalid-setting', setting: key, issue: parsed.error.issues[0]?.message ?? 'malformed' });
      }
    }
  }
  for (const key of Object.keys(record)) if (!(key in shape)) warnings.push({ kind: 'unknown-setting', setting: key });
  return { settings: SettingsSchema.parse(settings), warnings };
}

function migrateHotkeys(value: unknown, warnings: SettingsWarning[]): Settings['hotkeys'] {
  const hotkeys = { ...DEFAULT_SETTINGS.hotkeys };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    warnings.push({ kind: 'hotkeys-not-an-object' });
    return hotkeys;
  }
  for (const [action, binding] of Object.entries(value)) {
    if (!(action in hotkeys)) {
      warnings.push({ kind: 'unknown-hotkey-action', action });
      continue;
    }
    const parsed = accelerator.safeParse(binding);
    if (parsed.success) hotkeys[action as HotkeyAction] = parsed.data;
    else warnings.push({ kind: 'invalid-hotkey', action: action as HotkeyAction });
  }
  return hotkeys;
}
