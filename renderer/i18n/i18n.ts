// The renderer's one i18n setup (i18next + react-i18next): English and German, the
// browser's (the OS's, in Electron) preferred language by default, English for the rest.
import type { i18n as I18n } from 'i18next';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { pickLanguage as pickShippedLanguage } from '../../base/pick-language';
import { formatClock } from '../timeline/format';
import { de } from './de';
import { en } from './en';
import type { StringKey } from './keys';
import { isSlotMarker } from './template';

export const resources = { en: { translation: en }, de: { translation: de } } as const;
export type Language = keyof typeof resources;
export const LANGUAGES = Object.keys(resources) as Language[];

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

/** The first of the user's languages that SndMix ships ("de-AT" counts as German), else English. */
export function pickLanguage(preferred: readonly string[]): Language {
  return pickShippedLanguage(preferred, LANGUAGES, 'en');
}

export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}

/** A ready instance (resources are bundled, so it is initialised synchronously). */
export function createI18n(language: Language = pickLanguage(browserLanguages())): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: LANGUAGES,
    resources,
    initAsync: false,
    // React escapes what it renders.
    interpolation: { escapeValue: false },
  });
  // "{{time, clock}}": a timestamp as the timeline's clock reads in this language; a
  // template's slot (template.ts) stays in place, to be filled with a formatted time.
  instance.services.formatter?.add('clock', (value: unknown, language: string | undefined) =>
    isSlotMarker(value) ? value : formatClock(value as number, language ?? 'en'),
  );
  return instance;
}

/** A string by its key, for code outside React that words messages (transport, store): the UI's instance, or inEnglish. */
export type Translate = (key: StringKey, values?: Record<string, string | number>) => string;

export function translator(instance: I18n): Translate {
  return (key, values) => (instance.t as (key: string, values?: object) => string)(key, values);
}

let english: Translate | null = null;

/** A string in English whatever the UI's language: for what SndMix saves and searches (exports stay locale-independent). */
export function inEnglish(key: StringKey, values?: Record<string, string | number>): string {
  english ??= translator(createI18n('en'));
  return english(key, values);
}
