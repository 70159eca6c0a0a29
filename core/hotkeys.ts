// Global hotkeys as Electron's accelerators ("CommandOrControl+Alt+Up"): parsed into one
// canonical spelling, so two spellings of the same keys are found to conflict, and
// checked before they reach globalShortcut (which only says "false" for a bad one).
// Pure: the settings page checks as the user types, the main process before registering.
import type { HotkeyAction } from './settings';
import { HOTKEY_ACTIONS } from './settings';

type Modifier = 'Command' | 'Control' | 'Alt' | 'AltGr' | 'Shift' | 'Super';
/** The canonical order of modifiers in a canonical accelerator. */
const MODIFIER_ORDER: Modifier[] = ['Command', 'Control', 'Alt', 'AltGr', 'Shift', 'Super'];

const MODIFIER_ALIASES: Record<string, Modifier | 'CommandOrControl'> = {
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
};

const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Enter',
  'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'PrintScreen',
  'VolumeUp', 'VolumeDown', 'VolumeMute', 'MediaNextTrack', 'MediaPreviousTrack', 'MediaStop', 'MediaPlayPause',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
const KEY_ALIASES: Record<string, string> = { return: 'Enter', esc: 'Escape' };
const NAMED_BY_LOWER = new Map(NAMED_KEYS.map((key) => [key.toLowerCase(), key]));
const PUNCTUATION = new Set([...')!@#$%^&*(:;+=<,_->.?/~`{][|\\}"\'']);

/** Keys that can stand alone as a global hotkey: pressing them types nothing. */
const isStandaloneKey = (key: string) => /^F\d+$/.test(key) || key.startsWith('Volume') || key.startsWith('Media');

/** Why a spelling is not an accelerator: data, worded by the renderer in the user's language. */
export type AcceleratorError =
  | { reason: 'empty-part'; text: string }
  | { reason: 'modifier-after-key'; text: string; modifier: string }
  | { reason: 'command-not-macos' }
  | { reason: 'two-keys'; text: string; first: string; second: string }
  | { reason: 'unknown-key'; key: string }
  | { reason: 'no-key'; text: string }
  | { reason: 'needs-modifier'; text: string };

export type ParsedAccelerator = { ok: true; accelerator: string } | { ok: false; error: AcceleratorError };

/** Why a bound hotkey is not active; `accelerator` is as bound (canonical once it parsed). */
export type HotkeyProblem =
  | ({ kind: 'unparsable'; accelerator: string } & AcceleratorError)
  | { kind: 'duplicate'; accelerator: string; rivals: HotkeyAction[] }
  | { kind: 'taken'; accelerator: string }
  | { kind: 'unregistrable'; accelerator: string; message: string };

/** `platform` as Node names it (process.platform): Command exists only on darwin, CommandOrControl means Control elsewhere. */
export function parseAccelerator(text: string, platform: string): ParsedAccelerator {
  const parts = text.trim() === '+' ? ['+'] : text.split('+').map((part) => part.trim());
  // "Ctrl++" spells the plus key as an empty last part after the separator.
  if (parts.length >= 2 && parts.at(-1) === '' && parts.at(-2) === '') parts.splice(-2, 2, 'Plus');
  if (parts.some((part) => part === '')) return { ok: false, error: { reason: 'empty-part', text } };
  const modifiers = new Set<Modifier>();
  let key: string | null = null;
  for (const part of parts) {
    const alias = MODIFIER_ALIASES[part.toLowerCase()];
    if (alias) {
      if (key !== null) return { ok: false, error: { reason: 'modifier-after-key', text, modifier: part } };
      const modifier = alias === 'CommandOrControl' ? (platform === 'darwin' ? 'Command' : 'Control') : alias;
      if (modifier === 'Command' && platform !== 'darwin') return { ok: false, error: { reason: 'command-not-macos' } };
      modifiers.add(modifier);
      continue;
    }
    if (key !== null) return { ok: false, error: { reason: 'two-keys', text, first: key, second: part } };
    const resolved = resolveKey(part);
    if (!resolved) return { ok: false, error: { reason: 'unknown-key', key: part } };
    key = resolved;
  }
  if (key === null) return { ok: false, error: { reason: 'no-key', text } };
  if (modifiers.size === 0 && !isStandaloneKey(key)) {
    return { ok: false, error: { reason: 'needs-modifier', text } };
  }
  const ordered = MODIFIER_ORDER.filter((modifier) => modifiers.has(modifier));
  return { ok: true, accelerator: [...ordered, key].join('+') };
}

function resolveKey(part: string): string | null {
  if (/^[a-z0-9]$/i.test(part)) return part.toUpperCase();
  if (PUNCTUATION.has(part)) return part === '+' ? 'Plus' : part;
  const fKey = /^f(\d{1,2})$/i.exec(part);
  if (fKey) return Number(fKey[1]) >= 1 && Number(fKey[1]) <= 24 ? `F${fKey[1]}` : null;
  const lower = part.toLowerCase();
  return KEY_ALIASES[lower] ?? NAMED_BY_LOWER.get(lower) ?? null;
}

export interface HotkeyPlan {
  /** What to hand globalShortcut.register, canonical. */
  register: { action: HotkeyAction; accelerator: string }[];
  /** Why an action's hotkey is not registered: bad spelling, or the same keys as another action. */
  problems: Partial<Record<HotkeyAction, HotkeyProblem>>;
}

/** Which bound hotkeys can be registered; two actions on the same keys both stay unregistered, each told why. */
export function planHotkeys(bindings: Record<HotkeyAction, string | null>, platform: string): HotkeyPlan {
  const problems: HotkeyPlan['problems'] = {};
  const byAccelerator = new Map<string, HotkeyAction[]>();
  for (const action of HOTKEY_ACTIONS) {
    const binding = bindings[action];
    if (binding === null) continue;
    const parsed = parseAccelerator(binding, platform);
    if (!parsed.ok) {
      problems[action] = { kind: 'unparsable', accelerator: binding, ...parsed.error };
      continue;
    }
    byAccelerator.set(parsed.accelerator, [...(byAccelerator.get(parsed.accelerator) ?? []), action]);
  }
  const register: HotkeyPlan['register'] = [];
  for (const [accelerator, actions] of byAccelerator) {
    const [only, ...others] = actions;
    if (only && others.length === 0) {
      register.push({ action: only, accelerator });
      continue;
    }
    for (const action of actions) problems[action] = { kind: 'duplicate', accelerator, rivals: actions.filter((other) => other !== action) };
  }
  return { register, problems };
}

