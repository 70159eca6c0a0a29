import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualFrames } from '../testing/manual-frames';
import { settableVolume } from '../testing/settable-volume';
import { SliderView } from './slider-view';
import { VolumeGesture } from './volume-gesture';
import type { VolumeText } from './volume-text';

const percent: VolumeText = { shown: String, spoken: (value) => `${value} %`, note: null, wide: false };
const decibels: VolumeText = { shown: (value) => `${value - 100} dB`, spoken: (value) => `${value - 100} decibels`, note: 'why dB', wide: true };

function elements() {
  const input = document.createElement('input');
  input.type = 'range';
  const readout = document.createElement('span');
  return { input, readout };
}

/** What the user and a screen reader get from the slider. */
function shown({ input, readout }: ReturnType<typeof elements>) {
  return { value: input.value, spoken: input.getAttribute('aria-valuetext'), fill: input.style.getPropertyValue('--fill'), readout: readout.textContent };
}

describe('SliderView', () => {
  let sent: number[];
  let gesture: VolumeGesture;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    gesture = new VolumeGesture((value) => {
      sent.push(value);
    }, new ManualFrames());
  });
  afterEach(() => {
    gesture.dispose();
    vi.useRealTimers();
  });

  it('shows the engine volume at once and every change of it, in all four places', () => {
    const parts = elements();
    const volume = settableVolume(0.42);
    new SliderView(parts, gesture, volume, percent).start();
    expect(shown(parts)).toEqual({ value: '42', spoken: '42 %', fill: '0.42', readout: '42' });
    volume.set(0.07);
    expect(shown(parts)).toEqual({ value: '7', spoken: '7 %', fill: '0.07', readout: '7' });
  });

  it('keeps the user’s value while they drag, and tells the gesture each engine value for its echo check', () => {
    const parts = elements();
    const volume = settableVolume(0.5);
    const observed = vi.spyOn(gesture, 'observe');
    const view = new SliderView(parts, gesture, volume, percent);
    view.start();
    gesture.begin();
    gesture.change(80);
    volume.set(0.3);
    expect(shown(parts).readout).toBe('80');
    expect(view.percent()).toBe(80);
    expect(observed).toHaveBeenLastCalledWith(30);
    gesture.end();
    // The echo of the release: the engine's value is shown again.
    volume.set(0.8);
    expect(shown(parts).readout).toBe('80');
    volume.set(0.25);
    expect(shown(parts)).toEqual({ value: '25', spoken: '25 %', fill: '0.25', readout: '25' });
  });

  it('writes nothing when a wake-up did not move the volume', () => {
    const parts = elements();
    const volume = settableVolume(0.5);
    new SliderView(parts, gesture, volume, percent).start();
    const writes = vi.spyOn(parts.input, 'setAttribute');
    volume.set(0.501);
    volume.set(0.5);
    expect(writes).not.toHaveBeenCalled();
  });

  it('words the value in its scale, with the scale’s note and width on the readout, and a view in another scale rewords it all', () => {
    const parts = elements();
    const volume = settableVolume(0.9);
    const stop = new SliderView(parts, gesture, volume, decibels).start();
    expect(shown(parts)).toEqual({ value: '90', spoken: '-10 decibels', fill: '0.9', readout: '-10 dB' });
    expect(parts.readout.title).toBe('why dB');
    expect(parts.readout.dataset.wide).toBe('true');
    stop();
    new SliderView(parts, gesture, volume, percent).start();
    expect(shown(parts)).toEqual({ value: '90', spoken: '90 %', fill: '0.9', readout: '90' });
    expect(parts.readout.hasAttribute('title')).toBe(false);
    expect(parts.readout.dataset.wide).toBeUndefined();
  });

  it('keeps the last volume shown while the source has none (its strip is going)', () => {
    const parts = elements();
    const volume = settableVolume(0.6);
    new SliderView(parts, gesture, volume, percent).start();
    volume.set(null);
    expect(shown(parts)).toEqual({ value: '60', spoken: '60 %', fill: '0.6', readout: '60' });
  });

  it('writes nothing after stop', () => {
    const parts = elements();
    const volume = settableVolume(0.5);
    const stop = new SliderView(parts, gesture, volume, percent).start();
    stop();
    volume.set(0.2);
    gesture.change(60);
    expect(shown(parts).readout).toBe('50');
  });
});
