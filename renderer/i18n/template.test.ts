import { describe, expect, it } from 'vitest';
import { createI18n, translator } from './i18n';
import { template } from './template';

describe('template', () => {
  const en = translator(createI18n('en'));
  const de = translator(createI18n('de'));

  it('fills its values in where i18next would, in each language', () => {
    expect(template(en, 'strip.volumeOf', 'name')('Firefox')).toBe('Volume of Firefox');
    expect(template(de, 'strip.muteFailed', 'name')('Spiel')).toBe('Spiel konnte nicht stummgeschaltet werden');
    expect(template(en, 'change.lastBy', 'who', 'time')('the app itself', '09:05:07.120')).toBe('Last changed by the app itself at 09:05:07.120');
  });

  it('takes values as they are, even ones that look like placeholders or replacement patterns', () => {
    const volumeOf = template(en, 'strip.volumeOf', 'name');
    for (const name of ['{{name}}', '$&', '$1', '', 'a\\nb']) expect(volumeOf(name)).toBe(en('strip.volumeOf', { name }));
  });
});
