import { describe, expect, it } from 'vitest';
import { device } from '../../core/testing/fake-backend';
import type { TrayLevel } from './tray-state';
import { trayIconBitmap, trayLevel, trayTooltip } from './tray-state';
import { trayText } from './tray-text';

const english = trayText(['en-US']);
const german = trayText(['de-DE']);

describe('the tray icon', () => {
  it("follows the default device's volume and mute", () => {
    expect(trayLevel(undefined)).toBe('none');
    expect(trayLevel(device({ volume: null }))).toBe('none');
    expect(trayLevel(device({ volume: 0.8, muted: true }))).toBe('muted');
    expect(trayLevel(device({ volume: 0, muted: false }))).toBe('muted');
    expect(trayLevel(device({ volume: 0.2, muted: false }))).toBe('low');
    expect(trayLevel(device({ volume: 0.5, muted: false }))).toBe('medium');
    expect(trayLevel(device({ volume: 1, muted: false }))).toBe('high');
  });

  it('says the device, its volume and mute in the tooltip', () => {
    expect(trayTooltip(device({ name: 'Speakers', volume: 0.456, muted: true }), 'percent', english)).toBe('SndMix: Speakers 46% (muted)');
    expect(trayTooltip(undefined, 'percent', english)).toBe('SndMix: no playback device');
  });

  it('says it in the OS language where SndMix ships it (German), else English', () => {
    expect(trayTooltip(device({ name: 'Lautsprecher', volume: 0.456, muted: true }), 'percent', german)).toBe('SndMix: Lautsprecher 46% (stumm)');
    expect(trayTooltip(undefined, 'percent', german)).toBe('SndMix: kein Wiedergabegerät');
    expect(trayTooltip(undefined, 'percent', trayText(['fr-FR']))).toBe('SndMix: no playback device');
  });

  it('says the volume in dB on the dB scale, where the device gives its range, and says so where it does not', () => {
    const volumeRangeDb = { minDb: -200, maxDb: 0, stepDb: 0, curve: 'cubic' as const };
    expect(trayTooltip(device({ name: 'Sink', volume: 0.8, muted: false, volumeRangeDb }), 'decibel', english)).toBe('SndMix: Sink -5.8 dB');
    expect(trayTooltip(device({ name: 'Speakers', volume: 0.456, muted: false, volumeRangeDb: null }), 'decibel', english)).toBe(
      'SndMix: Speakers 46% (no dB range known)',
    );
  });

  it('draws a different picture per level, more waves for louder', () => {
    const ink = (level: TrayLevel) => trayIconBitmap(level, 32).reduce((sum, byte, index) => (index % 4 === 3 ? sum + byte : sum), 0);
    expect(trayIconBitmap('high', 16)).toHaveLength(16 * 16 * 4);
    expect(ink('low')).toBeLessThan(ink('medium'));
    expect(ink('medium')).toBeLessThan(ink('high'));
    expect(ink('none')).toBeLessThan(ink('muted'));
    expect(trayIconBitmap('muted', 32).equals(trayIconBitmap('low', 32))).toBe(false);
  });
});
