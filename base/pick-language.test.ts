import { describe, expect, it } from 'vitest';
import { pickLanguage } from './pick-language';

describe('pickLanguage', () => {
  it('takes the first preferred language that is shipped, by its primary subtag', () => {
    expect(pickLanguage(['fr-FR', 'de-AT', 'en-US'], ['en', 'de'], 'en')).toBe('de');
    expect(pickLanguage(['EN-gb'], ['en', 'de'], 'de')).toBe('en');
  });

  it('falls back when none is shipped or none is given', () => {
    expect(pickLanguage(['fr', 'ja-JP'], ['en', 'de'], 'en')).toBe('en');
    expect(pickLanguage([], ['en', 'de'], 'en')).toBe('en');
  });
});
