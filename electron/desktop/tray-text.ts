// The tray's words (its menu and tooltip) in English and German, through i18next as the
// window's are, in the language the window picks by the same rule (base/pick-language).
// Kept apart from renderer/i18n: electron/ sits below the renderer in the layering.
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import { pickLanguage } from '../../base/pick-language';

const en = {
  openMixer: 'Open mixer',
  playbackDevice: 'Playback device',
  noPlaybackDevice: 'No playback device',
  defaultDevice: '{{name}} (default)',
  settings: 'Settings',
  quit: 'Quit SndMix',
  noDevice: 'SndMix: no playback device',
  device: 'SndMix: {{name}}',
  deviceVolume: 'SndMix: {{name}} {{volume}}',
  deviceVolumeMuted: 'SndMix: {{name}} {{volume}} (muted)',
  noDbRange: '{{tooltip}} (no dB range known)',
};

export type TrayStringKey = keyof typeof en;

const de: Record<TrayStringKey, string> = {
  openMixer: 'Mixer öffnen',
  playbackDevice: 'Wiedergabegerät',
  noPlaybackDevice: 'Kein Wiedergabegerät',
  defaultDevice: '{{name}} (Standard)',
  settings: 'Einstellungen',
  quit: 'SndMix beenden',
  noDevice: 'SndMix: kein Wiedergabegerät',
  device: 'SndMix: {{name}}',
  deviceVolume: 'SndMix: {{name}} {{volume}}',
  deviceVolumeMuted: 'SndMix: {{name}} {{volume}} (stumm)',
  noDbRange: '{{tooltip}} (kein dB-Bereich bekannt)',
};

const resources = { en: { translation: en }, de: { translation: de } };
const LANGUAGES = Object.keys(resources) as (keyof typeof resources)[];

export type TrayText = (key: TrayStringKey, values?: Record<string, string>) => string;

/** The tray's strings in the first of `preferred` (the OS's languages) that SndMix ships, else English. */
export function trayText(preferred: readonly string[]): TrayText {
  const instance = i18next.createInstance();
  void instance.init({
    lng: pickLanguage(preferred, LANGUAGES, 'en'),
    fallbackLng: 'en',
    resources,
    initAsync: false,
    // Menu labels and tooltips are plain text, not HTML.
    interpolation: { escapeValue: false },
  });
  const t = instance.t as TFunction;
  return (key, values) => (t as (key: string, values?: object) => string)(key, values);
}
