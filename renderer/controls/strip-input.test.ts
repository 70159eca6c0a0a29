import { describe, expect, it } from 'vitest';
import type { StripKeyInput, WheelInput } from './strip-input';
import { FINE_WHEEL_STEP, stripKeyAction, WHEEL_STEP, WheelSteps } from './strip-input';

const notch = (deltaY: number, extra: Partial<WheelInput> = {}): WheelInput => ({ deltaX: 0, deltaY, deltaMode: 0, shiftKey: false, ...extra });

describe('WheelSteps', () => {
  it('moves 2 per mouse-wheel notch, up is louder', () => {
    const steps = new WheelSteps();
    expect(steps.feed(notch(-100))).toBe(WHEEL_STEP);
    expect(steps.feed(notch(100))).toBe(-WHEEL_STEP);
    expect(steps.feed(notch(-300))).toBe(3 * WHEEL_STEP);
  });

  it('moves by the arrow keys’ step with Shift, also when Chromium turns it sideways', () => {
    const steps = new WheelSteps();
    expect(steps.feed(notch(-100, { shiftKey: true }))).toBe(FINE_WHEEL_STEP);
    expect(steps.feed({ deltaX: -100, deltaY: 0, deltaMode: 0, shiftKey: true })).toBe(FINE_WHEEL_STEP);
    // Sideways without Shift is a touchpad's horizontal swipe: not a volume change.
    expect(steps.feed({ deltaX: -100, deltaY: 0, deltaMode: 0, shiftKey: false })).toBe(0);
  });

  it('adds a touchpad’s small deltas up to notches', () => {
    const steps = new WheelSteps();
    expect([steps.feed(notch(-40)), steps.feed(notch(-40)), steps.feed(notch(-40))]).toEqual([0, 0, WHEEL_STEP]);
  });

  it('starts over when the direction turns, so a reversal is felt at once', () => {
    const steps = new WheelSteps();
    steps.feed(notch(-60));
    expect(steps.feed(notch(100))).toBe(-WHEEL_STEP);
  });

  it('counts lines (3 a notch) and pages as notches too', () => {
    const steps = new WheelSteps();
    expect(steps.feed(notch(-3, { deltaMode: 1 }))).toBe(WHEEL_STEP);
    expect(steps.feed(notch(-1, { deltaMode: 2 }))).toBe(WHEEL_STEP);
  });
});

const key = (input: Partial<StripKeyInput>): StripKeyInput => ({
  key: '',
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  onSlider: false,
  inTextField: false,
  ...input,
});

describe('stripKeyAction', () => {
  it('mutes with M anywhere in a strip and with Space on its slider only', () => {
    expect(stripKeyAction(key({ key: 'm' }))).toBe('toggle-mute');
    expect(stripKeyAction(key({ key: 'M', shiftKey: true }))).toBe('toggle-mute');
    expect(stripKeyAction(key({ key: ' ', onSlider: true }))).toBe('toggle-mute');
    // Space on a button presses that button.
    expect(stripKeyAction(key({ key: ' ' }))).toBeNull();
  });

  it('leaves browser and OS shortcuts and typing alone', () => {
    expect(stripKeyAction(key({ key: 'm', ctrlKey: true }))).toBeNull();
    expect(stripKeyAction(key({ key: 'm', metaKey: true }))).toBeNull();
    expect(stripKeyAction(key({ key: 'm', inTextField: true }))).toBeNull();
    expect(stripKeyAction(key({ key: 'F10' }))).toBeNull();
  });

  it('opens the menu with Shift+F10 and the context-menu key', () => {
    expect(stripKeyAction(key({ key: 'F10', shiftKey: true }))).toBe('open-menu');
    expect(stripKeyAction(key({ key: 'ContextMenu' }))).toBe('open-menu');
  });
});
