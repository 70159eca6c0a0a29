import { describe, expect, it } from 'vitest';
import type { LastChange } from '../../core/contract';
import { createI18n, translator } from '../i18n/i18n';
import { formatClock } from '../timeline/format';
import { lastChangeField, lastChangeText, StripWords } from './strip-text';

const en = createI18n('en').t;
const de = createI18n('de').t;
const TIME = new Date(2026, 11, 2, 9, 5, 7, 120).getTime();
const change = (origin: LastChange['origin']): LastChange => ({ origin, time: TIME, previous: { volume: 1, muted: false, channelVolumes: [1, 1] } });

describe('lastChangeText', () => {
  it('names who made the change and the local time to the millisecond, in the language’s clock', () => {
    expect(lastChangeText(en, change('app'))).toBe('Last changed by the app itself at 09:05:07.120');
    expect(lastChangeText(en, change('ducking'))).toBe(`Last changed by ducking (a call) at ${formatClock(TIME, 'en')}`);
    expect(lastChangeField(en, change('other-program'))).toBe('By another program at 09:05:07.120');
    expect(lastChangeField(de, change('app'))).toBe('Von der Anwendung selbst um 09:05:07,120');
  });

  it('has words for every origin, in English and German', () => {
    const origins: LastChange['origin'][] = ['mixer', 'cli', 'web', 'app', 'other-program', 'outside', 'ducking'];
    for (const t of [en, de]) {
      const texts = origins.map((origin) => lastChangeText(t, change(origin)));
      expect(new Set(texts).size).toBe(origins.length);
      for (const text of texts) expect(text).not.toMatch(/origin-|\{\{/);
    }
  });
});

const words = (language: 'en' | 'de') => new StripWords(translator(createI18n(language)), language);

describe('StripWords.tooltip', () => {
  it('lists the name, the last change, real process ids and the hints, one a line', () => {
    const text = words('en').tooltip({ name: 'Firefox', pids: [0, 4321], grouped: true, disconnected: false, lastChange: change('cli') });
    expect(text.split('\n')).toEqual([
      'Firefox',
      'Last changed by the SndMix command line at 09:05:07.120',
      'Process 4321',
      'Several sessions, controlled together',
      'Scroll to change the volume (Shift: finer); M mutes',
      'Click for details; right-click or Shift+F10 for more',
    ]);
  });

  it('says a disconnected strip can no longer be changed instead of the wheel hint, and leaves out what is unknown', () => {
    const text = words('en').tooltip({ name: 'Game', pids: [0], grouped: false, disconnected: true, lastChange: null });
    expect(text.split('\n')).toEqual(['Game', 'Disconnected: this session can no longer be changed', 'Click for details; right-click or Shift+F10 for more']);
  });
});

describe('StripWords', () => {
  it('reads as i18next words each text, in English and German', () => {
    for (const language of ['en', 'de'] as const) {
      const i18n = createI18n(language);
      const { t } = i18n;
      const strip = words(language);
      expect(strip.volumeOf('Firefox')).toBe(t('strip.volumeOf', { name: 'Firefox' }));
      expect(strip.mute('A {{name}} $& app')).toBe(t('strip.mute', { name: 'A {{name}} $& app' }));
      expect(strip.unmute('Game')).toBe(t('strip.unmute', { name: 'Game' }));
      for (const count of [1, 2, 5]) expect(strip.detailsGrouped(count)).toBe(t('strip.detailsGrouped', { count }));
      expect(strip.tooltip({ name: 'Game', pids: [7], grouped: false, disconnected: false, lastChange: change('app') }).split('\n')).toEqual([
        'Game',
        lastChangeText(t, change('app')),
        t('strip.process', { pids: '7' }),
        t('strip.wheelHint'),
        t('strip.clickForDetails'),
      ]);
    }
    expect(words('de').volumeOf('Spiel')).toBe('Lautstärke von Spiel');
    expect(words('de').tooltip({ name: 'Spiel', pids: [], grouped: false, disconnected: false, lastChange: change('app') })).toContain(
      'Zuletzt geändert von der Anwendung selbst um 09:05:07,120',
    );
  });
});
