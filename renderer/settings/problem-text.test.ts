import { describe, expect, it } from 'vitest';
import type { HotkeyProblem, SettingsWarning } from '../../core/contract';
import { createI18n } from '../i18n/i18n';
import { hotkeyProblemText, settingsWarningText } from './problem-text';

const en = createI18n('en').t;
const de = createI18n('de').t;

describe('hotkey problems are worded in English and German', () => {
  const cases: [HotkeyProblem, string, string][] = [
    [{ kind: 'unparsable', accelerator: 'Ctrl+', reason: 'empty-part', text: 'Ctrl+' }, '“Ctrl+” has an empty part', '„Ctrl+“ hat einen leeren Teil'],
    [
      { kind: 'unparsable', accelerator: 'A+Ctrl', reason: 'modifier-after-key', text: 'A+Ctrl', modifier: 'Ctrl' },
      'In “A+Ctrl” the modifier Ctrl comes after the key',
      'In „A+Ctrl“ steht die Zusatztaste Ctrl nach der Taste',
    ],
    [
      { kind: 'unparsable', accelerator: 'Cmd+M', reason: 'command-not-macos' },
      'The Command key exists only on macOS: use Ctrl or Super',
      'Die Befehlstaste gibt es nur unter macOS: Strg oder Super verwenden',
    ],
    [
      { kind: 'unparsable', accelerator: 'Ctrl+A+B', reason: 'two-keys', text: 'Ctrl+A+B', first: 'A', second: 'B' },
      '“Ctrl+A+B” names two keys (A and B): a hotkey has one',
      '„Ctrl+A+B“ nennt zwei Tasten (A und B): ein Tastenkürzel hat eine',
    ],
    [{ kind: 'unparsable', accelerator: 'Ctrl+Hyper', reason: 'unknown-key', key: 'Hyper' }, '“Hyper” is not a key Electron knows', '„Hyper“ ist keine Taste, die Electron kennt'],
    [{ kind: 'unparsable', accelerator: 'Ctrl+Alt', reason: 'no-key', text: 'Ctrl+Alt' }, '“Ctrl+Alt” has modifiers but no key', '„Ctrl+Alt“ hat Zusatztasten, aber keine Taste'],
    [
      { kind: 'unparsable', accelerator: 'M', reason: 'needs-modifier', text: 'M' },
      '“M” needs a modifier (Ctrl, Alt, Shift or Super): alone it would take the key from every app',
      '„M“ braucht eine Zusatztaste (Strg, Alt, Umschalt oder Super): allein nähme es die Taste jeder Anwendung weg',
    ],
    [
      { kind: 'duplicate', accelerator: 'Control+M', rivals: ['mic-mute', 'app-mute'] },
      'Control+M is also bound to “Microphone: mute / unmute”, “Chosen app: mute / unmute”',
      'Control+M ist auch „Mikrofon: stumm / laut“, „Gewählte Anwendung: stumm / laut“ zugewiesen',
    ],
    [{ kind: 'taken', accelerator: 'Control+F9' }, 'Control+F9 is taken by another app or the system', 'Control+F9 ist von einer anderen Anwendung oder dem System belegt'],
    [
      { kind: 'unregistrable', accelerator: 'Control+F9', message: 'boom' },
      'Control+F9 cannot be registered: boom',
      'Control+F9 kann nicht registriert werden: boom',
    ],
  ];
  it.each(cases)('%o', (problem, english, german) => {
    expect(hotkeyProblemText(en, problem)).toBe(english);
    expect(hotkeyProblemText(de, problem)).toBe(german);
  });
});

describe('settings-file warnings are worded in English and German', () => {
  const cases: [SettingsWarning, string, string][] = [
    [
      { kind: 'unreadable', file: '/s/settings.json', message: 'EACCES' },
      'cannot read /s/settings.json (EACCES): using the defaults',
      '/s/settings.json kann nicht gelesen werden (EACCES): Standardwerte werden verwendet',
    ],
    [
      { kind: 'not-json', file: '/s/settings.json', message: 'Unexpected end' },
      '/s/settings.json is not valid JSON (Unexpected end): using the defaults',
      '/s/settings.json ist kein gültiges JSON (Unexpected end): Standardwerte werden verwendet',
    ],
    [{ kind: 'not-an-object' }, 'the settings file does not hold an object: using the defaults', 'die Einstellungsdatei enthält kein Objekt: Standardwerte werden verwendet'],
    [
      { kind: 'newer-version', version: '99' },
      'the settings file is from a newer SndMix (version 99): using the defaults',
      'die Einstellungsdatei stammt von einem neueren SndMix (Version 99): Standardwerte werden verwendet',
    ],
    [
      { kind: 'invalid-setting', setting: 'theme', issue: 'Invalid option' },
      'setting “theme” is invalid: using its default',
      'die Einstellung „theme“ ist ungültig: ihr Standardwert wird verwendet',
    ],
    [{ kind: 'unknown-setting', setting: 'colour' }, 'unknown setting “colour” was dropped', 'die unbekannte Einstellung „colour“ wurde verworfen'],
    [
      { kind: 'hotkeys-not-an-object' },
      'setting “hotkeys” is not an object: no hotkeys are bound',
      'die Einstellung „hotkeys“ ist kein Objekt: keine Tastenkürzel sind zugewiesen',
    ],
    [
      { kind: 'unknown-hotkey-action', action: 'warp-drive' },
      'unknown hotkey action “warp-drive” was dropped',
      'die unbekannte Tastenkürzel-Aktion „warp-drive“ wurde verworfen',
    ],
    [
      { kind: 'invalid-hotkey', action: 'mic-mute' },
      'the hotkey of “Microphone: mute / unmute” is invalid: unbound',
      'das Tastenkürzel von „Mikrofon: stumm / laut“ ist ungültig: nicht zugewiesen',
    ],
    [{ kind: 'copy-kept', copy: '/s/settings.json.corrupt' }, 'the file was kept as /s/settings.json.corrupt', 'die Datei wurde als /s/settings.json.corrupt aufbewahrt'],
  ];
  it.each(cases)('%o', (warning, english, german) => {
    expect(settingsWarningText(en, warning)).toBe(english);
    expect(settingsWarningText(de, warning)).toBe(german);
  });
});
