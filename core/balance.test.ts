import { describe, expect, it } from 'vitest';
import { balanceOf, channelVolumesForBalance, hasBalance } from './balance';

describe('balance <-> channel volumes', () => {
  it('reads PulseAudio\'s balance: the quieter side scaled by 1 - |balance|', () => {
    expect(balanceOf([0.8, 0.8])).toBe(0);
    expect(balanceOf([0.8, 0.2])).toBeCloseTo(-0.75);
    expect(balanceOf([0.4, 0.8])).toBeCloseTo(0.5);
    expect(balanceOf([0, 0.5])).toBe(1);
    expect(balanceOf([0, 0])).toBe(0);
    expect(balanceOf([0.7])).toBe(0);
  });

  it('keeps the louder side\'s level and the channels past the first two', () => {
    expect(channelVolumesForBalance([0.8, 0.4, 0.3], 0)).toEqual([0.8, 0.8, 0.3]);
    expect(channelVolumesForBalance([0.8, 0.8], 0.5)).toEqual([0.4, 0.8]);
    expect(channelVolumesForBalance([0.8, 0.8], -1)).toEqual([0.8, 0]);
    expect(channelVolumesForBalance([0.5], 0.5)).toEqual([0.5]);
  });

  it('round-trips every balance', () => {
    for (const balance of [-1, -0.75, -0.1, 0, 0.33, 1]) expect(balanceOf(channelVolumesForBalance([0.6, 0.6], balance))).toBeCloseTo(balance, 10);
  });

  it('clamps out-of-range balances and needs two channels', () => {
    expect(channelVolumesForBalance([1, 1], 3)).toEqual([0, 1]);
    expect(hasBalance([1])).toBe(false);
    expect(hasBalance([1, 1])).toBe(true);
  });
});
