import { describe, expect, it } from 'vitest';
import { formatDb, mappedDb } from '../../core/contract';
import { createI18n } from '../i18n/i18n';
import { volumeTextFor } from './volume-text';

const english = createI18n('en');
const german = createI18n('de');
const cubic = { curve: 'cubic' as const, range: null };

describe('volume text', () => {
  it('percent reads as Sndvol does: the number under the slider, "45 %" spoken', () => {
    const text = volumeTextFor(english.t, 'en', 'percent', cubic, { kind: 'session', backend: 'pulse' });
    expect([text.shown(45), text.spoken(45), text.note]).toEqual(['45', '45 %', null]);
  });

  it('dB reads with one decimal through the backend\'s curve, minus infinity at 0', () => {
    const text = volumeTextFor(english.t, 'en', 'decibel', cubic, { kind: 'session', backend: 'pulse' });
    // pactl says 80 % of a sink is -5.81 dB.
    expect(text.shown(80)).toBe('-5.8 dB');
    expect(text.spoken(80)).toBe('-5.8 dB');
    expect(text.shown(100)).toBe('0.0 dB');
    expect(text.shown(0)).toBe('-∞ dB');
    // -0.04 rounds to zero without a sign.
    expect(volumeTextFor(english.t, 'en', 'decibel', { curve: 'amplitude', range: null }, { kind: 'device' }).shown(100)).toBe('0.0 dB');
    expect(volumeTextFor(english.t, 'en', 'decibel', { curve: 'amplitude', range: null }, { kind: 'device' }).shown(50)).toBe('-6.0 dB');
  });

  it('a device range spreads evenly in dB', () => {
    const text = volumeTextFor(english.t, 'en', 'decibel', { curve: 'linear-db', range: { minDb: -65.25, maxDb: 0 } }, { kind: 'device' });
    expect(text.shown(50)).toBe('-32.6 dB');
    expect(text.shown(0)).toBe('-65.2 dB');
    // An exact half rounds as the CLI's formatDb rounds it: 80 % of -65.25..0 is -13.05.
    expect(text.shown(80)).toBe(formatDb(mappedDb(0.8, { curve: 'linear-db', range: { minDb: -65.25, maxDb: 0 } })));
  });

  it('German numbers have a decimal comma', () => {
    const text = volumeTextFor(german.t, 'de', 'decibel', cubic, { kind: 'session', backend: 'pulse' });
    expect(text.shown(80)).toBe('-5,8 dB');
    expect(text.shown(0)).toBe('-∞ dB');
  });

  it('where the mapping is unknown, dB reads in percent and says why instead of guessing', () => {
    const session = volumeTextFor(english.t, 'en', 'decibel', null, { kind: 'session', backend: 'sim' });
    expect(session.shown(45)).toBe('45 %');
    expect(session.spoken(45)).toBe('45 %, no dB scale: the sim backend does not say how its volumes map to decibels');
    expect(session.note).toBe('the sim backend does not say how its volumes map to decibels');
    const device = volumeTextFor(german.t, 'de', 'decibel', null, { kind: 'device' });
    expect(device.spoken(45)).toBe('45 %, keine dB-Skala: dieses Gerät meldet seinen Dezibelbereich nicht');
  });

  it('is one object per scale, mapping and language, so strips share it', () => {
    const a = volumeTextFor(english.t, 'en', 'decibel', { curve: 'cubic', range: null }, { kind: 'session', backend: 'pulse' });
    const b = volumeTextFor(english.t, 'en', 'decibel', { curve: 'cubic', range: null }, { kind: 'session', backend: 'pulse' });
    expect(a).toBe(b);
    expect(volumeTextFor(english.t, 'de', 'decibel', cubic, { kind: 'session', backend: 'pulse' })).not.toBe(a);
  });
});
