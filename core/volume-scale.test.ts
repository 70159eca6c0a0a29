import { describe, expect, it } from 'vitest';
import { dbToScalar, deviceDbMapping, formatDb, formatPercent, mappedDb, scalarToDb, sessionDbMapping, SILENCE_DB, volumeLabel } from './volume-scale';

describe('percent <-> dB', () => {
  it('maps PulseAudio\'s cubic curve as pa_sw_volume_to_dB does (80 % is -5.81 dB)', () => {
    expect(scalarToDb(1, 'cubic')).toBe(0);
    expect(scalarToDb(0.8, 'cubic')).toBeCloseTo(-5.81, 2);
    expect(scalarToDb(0, 'cubic')).toBe(SILENCE_DB);
  });

  it('maps amplitude factors as 20 log10', () => {
    expect(scalarToDb(0.5, 'amplitude')).toBeCloseTo(-6.02, 2);
  });

  it('spreads a linear-dB range evenly', () => {
    const range = { minDb: -60, maxDb: 0 };
    expect(scalarToDb(0.5, 'linear-db', range)).toBe(-30);
    expect(dbToScalar(-45, 'linear-db', range)).toBe(0.25);
    expect(dbToScalar(-90, 'linear-db', range)).toBe(0);
  });

  it('round-trips on every curve and clamps to 0..1', () => {
    for (const curve of ['cubic', 'amplitude', 'linear-db'] as const) {
      for (const scalar of [0.01, 0.3, 0.77, 1]) expect(dbToScalar(scalarToDb(scalar, curve), curve)).toBeCloseTo(scalar, 10);
    }
    expect(dbToScalar(12, 'cubic')).toBe(1);
    expect(dbToScalar(SILENCE_DB, 'amplitude')).toBe(0);
    expect(dbToScalar(Number.NaN, 'cubic')).toBe(0);
  });

  it('formats like pactl and Sndvol tooltips', () => {
    expect(formatDb(-5.8146)).toBe('-5.8 dB');
    expect(formatDb(-0.01)).toBe('0.0 dB');
    expect(formatDb(SILENCE_DB)).toBe('-inf dB');
    expect(formatPercent(0.456)).toBe('46 %');
  });
});

describe('which volumes have a dB scale', () => {
  it('sessions follow the backend\'s curve; a backend that names none has no dB scale', () => {
    expect(sessionDbMapping({ sessionVolumeCurve: 'cubic' })).toEqual({ curve: 'cubic', range: null });
    expect(sessionDbMapping({})).toBeNull();
    // A linear-dB curve needs a range, which sessions do not have: unknown rather than guessed.
    expect(sessionDbMapping({ sessionVolumeCurve: 'linear-db' })).toBeNull();
  });

  it('devices map through their endpoint range where it is known', () => {
    const volumeRangeDb = { minDb: -65.25, maxDb: 0, stepDb: 0.75, curve: 'linear-db' as const };
    const mapping = deviceDbMapping({ volumeRangeDb });
    expect(mapping).toEqual({ curve: 'linear-db', range: volumeRangeDb });
    expect(mapping && mappedDb(0.5, mapping)).toBeCloseTo(-32.625, 6);
    expect(deviceDbMapping({ volumeRangeDb: null })).toBeNull();
    expect(deviceDbMapping({})).toBeNull();
  });
});

describe('volume labels of the CLI and the tray', () => {
  it('read in percent, in dB where the mapping is known, and say when it is not', () => {
    const cubic = { curve: 'cubic' as const, range: null };
    expect(volumeLabel(0.456, 'percent', null)).toEqual({ text: '46%', dbUnknown: false });
    expect(volumeLabel(0.8, 'decibel', cubic)).toEqual({ text: '-5.8 dB', dbUnknown: false });
    expect(volumeLabel(0, 'decibel', cubic)).toEqual({ text: '-inf dB', dbUnknown: false });
    expect(volumeLabel(0.456, 'decibel', null)).toEqual({ text: '46%', dbUnknown: true });
  });
});
