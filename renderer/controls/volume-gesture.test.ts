import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualFrames } from '../testing/manual-frames';
import { VolumeGesture } from './volume-gesture';

const SETTLE_MS = 600;

describe('VolumeGesture', () => {
  let frames: ManualFrames;
  let sent: number[];
  let gesture: VolumeGesture;

  beforeEach(() => {
    vi.useFakeTimers();
    frames = new ManualFrames();
    sent = [];
    gesture = new VolumeGesture((percent) => sent.push(percent), frames, SETTLE_MS);
  });
  afterEach(() => {
    gesture.dispose();
    vi.useRealTimers();
  });

  it('sends a change after a quiet frame at once, then at most one command per frame carrying the latest value', () => {
    gesture.begin();
    gesture.change(41);
    expect(sent).toEqual([41]);
    gesture.change(42);
    gesture.change(43);
    expect(sent).toEqual([41]);
    frames.runFrame();
    expect(sent).toEqual([41, 43]);
    gesture.change(44);
    gesture.change(47);
    frames.runFrame();
    expect(sent).toEqual([41, 43, 47]);
    // A frame with nothing new closes the window: the next change goes at once again.
    frames.runFrame();
    frames.runFrame();
    expect(frames.pending).toBe(0);
    gesture.change(50);
    expect(sent).toEqual([41, 43, 47, 50]);
  });

  it('sends the final value on release even when no frame ran', () => {
    gesture.begin();
    gesture.change(10);
    gesture.change(12);
    gesture.change(15);
    gesture.end();
    expect(sent).toEqual([10, 15]);
    expect(frames.pending).toBe(0);
  });

  it('does not send the same value twice', () => {
    gesture.begin();
    gesture.change(30);
    frames.runFrame();
    gesture.end();
    expect(sent).toEqual([30]);
  });

  it('shows the local value while dragging and ignores values from elsewhere', () => {
    gesture.begin();
    gesture.change(70);
    gesture.observe(20);
    expect(gesture.getSnapshot()).toBe(70);
    vi.advanceTimersByTime(5 * SETTLE_MS);
    expect(gesture.getSnapshot()).toBe(70);
  });

  it('holds the released value until the server echoes it, ignoring late intermediate echoes', () => {
    gesture.begin();
    gesture.change(40);
    frames.runFrame();
    gesture.change(55);
    gesture.end();
    gesture.observe(40);
    expect(gesture.getSnapshot()).toBe(55);
    gesture.observe(55);
    expect(gesture.getSnapshot()).toBeNull();
  });

  it('shows the external value again when no echo comes (the command failed)', () => {
    const shown: (number | null)[] = [];
    gesture.subscribe(() => shown.push(gesture.getSnapshot()));
    gesture.begin();
    gesture.change(90);
    gesture.end();
    vi.advanceTimersByTime(SETTLE_MS);
    expect(gesture.getSnapshot()).toBeNull();
    expect(shown).toEqual([90, null]);
  });

  it('steps from the keyboard through the same per-frame sending', () => {
    gesture.change(46);
    gesture.change(47);
    gesture.change(48);
    frames.runFrame();
    expect(sent).toEqual([46, 48]);
    gesture.end();
    expect(sent).toEqual([46, 48]);
  });

  it('sends again after an idle period even if the value equals an earlier one', () => {
    gesture.begin();
    gesture.change(50);
    gesture.end();
    gesture.observe(50);
    gesture.begin();
    gesture.change(50);
    gesture.end();
    expect(sent).toEqual([50, 50]);
  });

  it('flushes a pending keyboard value when the settling window ends without a frame', () => {
    gesture.change(32);
    gesture.change(33);
    vi.advanceTimersByTime(SETTLE_MS);
    expect(sent).toEqual([32, 33]);
    expect(frames.pending).toBe(0);
  });
});
