import { describe, expect, it } from 'vitest';
import {
  PA_VOLUME_NORM,
  maxChannel,
  paVolumeToAmplitude,
  paVolumeToScalar,
  sameChannelVolumes,
  scalarToPaVolume,
  scaleChannelsTo,
} from './volume';

describe('pulse volume mapping (linear in pa_volume_t, 100 % = 1.0)', () => {
  it('maps PA_VOLUME_NORM to 1 and half of it to 0.5', () => {
    expect(paVolumeToScalar(PA_VOLUME_NORM)).toBe(1);
    expect(paVolumeToScalar(PA_VOLUME_NORM / 2)).toBe(0.5);
    expect(scalarToPaVolume(0.5)).toBe(PA_VOLUME_NORM / 2);
    expect(scalarToPaVolume(1)).toBe(PA_VOLUME_NORM);
  });

  it("reads a volume at the server's resolution: fewest decimals within one step (0.3, not 0.3000030517578125)", () => {
    expect(paVolumeToScalar(scalarToPaVolume(0.3))).toBe(0.3);
    expect(paVolumeToScalar(19660)).toBe(0.3); // pactl's 30 %
    expect(paVolumeToScalar(scalarToPaVolume(0.55))).toBe(0.55);
    for (let percent = 0; percent <= 100; percent++) {
      for (const volume of [Math.floor((percent * PA_VOLUME_NORM) / 100), Math.round((percent * PA_VOLUME_NORM) / 100)]) {
        expect(paVolumeToScalar(volume)).toBe(percent / 100);
      }
    }
    for (let volume = 0; volume <= PA_VOLUME_NORM; volume++) {
      const scalar = paVolumeToScalar(volume);
      if (Math.abs(scalarToPaVolume(scalar) - volume) > 1) throw new Error(`${volume} read as ${scalar}, which writes ${scalarToPaVolume(scalar)}`);
      if (String(scalar).length > 7) throw new Error(`${volume} read as ${scalar}: more than five decimals`);
    }
  });

  it('reads amplified volumes (over 100 %) as 1 and never writes above 100 %', () => {
    expect(paVolumeToScalar(PA_VOLUME_NORM * 1.5)).toBe(1);
    expect(scalarToPaVolume(7)).toBe(PA_VOLUME_NORM);
    expect(scalarToPaVolume(-1)).toBe(0);
    expect(paVolumeToScalar(-5)).toBe(0);
  });

  it('scales a stream to a new master volume keeping its balance', () => {
    expect(scaleChannelsTo([PA_VOLUME_NORM, PA_VOLUME_NORM / 2], PA_VOLUME_NORM / 2)).toEqual([PA_VOLUME_NORM / 2, PA_VOLUME_NORM / 4]);
    expect(maxChannel(scaleChannelsTo([1000, 3000, 2000], 6000))).toBe(6000);
  });

  it('gives every channel the target when a stream is silent on all channels', () => {
    expect(scaleChannelsTo([0, 0], 1234)).toEqual([1234, 1234]);
  });

  it('uses the cubic software-volume curve for amplitudes', () => {
    expect(paVolumeToAmplitude(PA_VOLUME_NORM)).toBe(1);
    expect(paVolumeToAmplitude(PA_VOLUME_NORM / 2)).toBe(0.125);
    expect(paVolumeToAmplitude(0)).toBe(0);
  });

  it('compares channel volumes within one step of rounding', () => {
    expect(sameChannelVolumes([100, 200], [101, 199])).toBe(true);
    expect(sameChannelVolumes([100, 200], [103, 200])).toBe(false);
    expect(sameChannelVolumes([100], [100, 100])).toBe(false);
  });
});
