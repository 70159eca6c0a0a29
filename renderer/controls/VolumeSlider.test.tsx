import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualFrames } from '../testing/manual-frames';
import { settableVolume } from '../testing/settable-volume';
import { withStrings } from '../testing/strings';
import { VolumeSlider } from './VolumeSlider';
import type { VolumeText } from './volume-text';

const percentText: VolumeText = { shown: String, spoken: (percent) => `${percent} %`, note: null, wide: false };

describe('VolumeSlider', () => {
  let frames: ManualFrames;
  let sent: number[];

  beforeEach(() => {
    vi.useFakeTimers();
    frames = new ManualFrames();
    sent = [];
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  function renderSlider(initial: number) {
    const onVolume = (value: number) => {
      sent.push(value);
    };
    const volume = settableVolume(initial);
    render(<VolumeSlider label="Volume of Firefox" text={percentText} volume={volume} onVolume={onVolume} frames={frames} />, {
      wrapper: withStrings(),
    });
    const slider = screen.getByRole('slider', { name: 'Volume of Firefox' });
    const rerender = (next: number) => act(() => volume.set(next));
    return { slider, rerender };
  }

  function press(slider: HTMLElement, key: string) {
    fireEvent.keyDown(slider, { key });
    act(() => frames.runFrame());
    fireEvent.keyUp(slider, { key });
  }

  it('is a named 0-100 slider that speaks its value as a percentage', () => {
    const { slider } = renderSlider(0.45);
    expect(slider).toHaveProperty('value', '45');
    expect(slider.getAttribute('aria-valuetext')).toBe('45 %');
    expect(slider.getAttribute('min')).toBe('0');
    expect(slider.getAttribute('max')).toBe('100');
  });

  it('steps 1 with the arrows, 10 with PageUp/PageDown, and jumps with Home/End', () => {
    const { slider } = renderSlider(0.45);
    press(slider, 'ArrowUp');
    expect(slider.getAttribute('aria-valuetext')).toBe('46 %');
    press(slider, 'ArrowRight');
    press(slider, 'PageUp');
    expect(slider).toHaveProperty('value', '57');
    press(slider, 'ArrowDown');
    press(slider, 'ArrowLeft');
    press(slider, 'PageDown');
    expect(slider).toHaveProperty('value', '45');
    press(slider, 'End');
    expect(slider).toHaveProperty('value', '100');
    press(slider, 'Home');
    expect(slider).toHaveProperty('value', '0');
    expect(sent).toEqual([0.46, 0.47, 0.57, 0.56, 0.55, 0.45, 1, 0]);
  });

  it('clamps at the ends', () => {
    const { slider } = renderSlider(0.95);
    press(slider, 'PageUp');
    press(slider, 'ArrowUp');
    expect(slider).toHaveProperty('value', '100');
    expect(sent).toEqual([1]);
  });

  it('sends a drag’s first move at once, coalesces the rest to one command per frame, and sends the final value on release', () => {
    const { slider } = renderSlider(0.5);
    fireEvent.pointerDown(slider, { pointerId: 1 });
    fireEvent.change(slider, { target: { value: '52' } });
    fireEvent.change(slider, { target: { value: '55' } });
    act(() => frames.runFrame());
    fireEvent.change(slider, { target: { value: '60' } });
    fireEvent.change(slider, { target: { value: '61' } });
    fireEvent.pointerUp(slider, { pointerId: 1 });
    expect(sent).toEqual([0.52, 0.55, 0.61]);
  });

  it('follows a change made elsewhere, except while the user drags it', () => {
    const { slider, rerender } = renderSlider(0.5);
    rerender(0.3);
    expect(slider).toHaveProperty('value', '30');

    fireEvent.pointerDown(slider, { pointerId: 1 });
    fireEvent.change(slider, { target: { value: '70' } });
    rerender(0.1);
    expect(slider).toHaveProperty('value', '70');

    fireEvent.pointerUp(slider, { pointerId: 1 });
    rerender(0.7);
    rerender(0.25);
    expect(slider).toHaveProperty('value', '25');
  });

  it('falls back to the reported value when the release is never confirmed', () => {
    const { slider } = renderSlider(0.5);
    fireEvent.pointerDown(slider, { pointerId: 1 });
    fireEvent.change(slider, { target: { value: '80' } });
    fireEvent.pointerUp(slider, { pointerId: 1 });
    expect(slider).toHaveProperty('value', '80');
    act(() => vi.advanceTimersByTime(1000));
    expect(slider).toHaveProperty('value', '50');
  });
});
