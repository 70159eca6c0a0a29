import { describe, expect, it } from 'vitest';
import { createI18n, LANGUAGES, pickLanguage, resources } from './i18n';

/** Every key path of a strings object, e.g. "strip.volumeOf". */
function keyPaths(strings: object, prefix = ''): string[] {
  return Object.entries(strings).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keyPaths(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function placeholders(text: string): string[] {
  // "{{time, clock}}" is the placeholder "time" with a formatter.
  return [...text.matchAll(/\{\{(\w+)(?:, *\w+)?\}\}/g)].map((match) => match[1] ?? '').sort();
}

describe('strings', () => {
  const english = resources.en.translation;

  it('every language has exactly the English keys, each a non-empty string with the same placeholders', () => {
    const englishKeys = keyPaths(english).sort();
    for (const language of LANGUAGES) {
      const strings = resources[language].translation;
      expect(keyPaths(strings).sort(), language).toEqual(englishKeys);
      for (const path of englishKeys) {
        const [group, name] = path.split('.') as [keyof typeof english, string];
        const text = (strings[group] as Record<string, string>)[name] ?? '';
        expect(text.trim(), `${language} ${path}`).not.toBe('');
        expect(placeholders(text), `${language} ${path}`).toEqual(placeholders((english[group] as Record<string, string>)[name] ?? ''));
      }
    }
  });

  it('German is German: no string but names and units is left as the English one', () => {
    // Kept on purpose: the same in both languages.
    // Balance is German too, and L and R stand for Links and Rechts as for left and right.
    // Units, symbols and the loanword "Streams" read the same; the timeline's change lines are field names and values.
    const same = new Set([
      'menu.solo',
      'strip.valueText',
      'inspector.headingWithName',
      'balance.label',
      'balance.l',
      'balance.r',
      'volume.db',
      'volume.scaleToggle',
      'inspector.streams',
      'events.firstValue',
      'events.changed',
    ]);
    const german = resources.de.translation;
    const untranslated = keyPaths(english).filter((path) => {
      const [group, name] = path.split('.') as [keyof typeof english, string];
      return !same.has(path) && (german[group] as Record<string, string>)[name] === (english[group] as Record<string, string>)[name];
    });
    expect(untranslated).toEqual([]);
  });

  it('picks the first language the user prefers that SndMix ships, English otherwise', () => {
    expect(pickLanguage(['de-AT', 'en-US'])).toBe('de');
    expect(pickLanguage(['fr-FR', 'de'])).toBe('de');
    expect(pickLanguage(['fr-FR'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it('interpolates and counts', () => {
    const t = createI18n('de').t;
    expect(t('strip.volumeOf', { name: 'Firefox' })).toBe('Lautstärke von Firefox');
    expect(t('strip.detailsGrouped', { count: 2 })).toBe(' Details (2 Sitzungen gruppiert)');
    expect(createI18n('en').t('strip.detailsGrouped', { count: 1 })).toBe(' details (1 session grouped)');
  });
});
