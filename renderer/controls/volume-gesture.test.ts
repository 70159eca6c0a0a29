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
    gesture = new VolumeGesture((percent) => {
      sent.push(percent);
    }, frames, SETTLE_MS);
  });
  afterEach(() => {
    gesture.dispose();
    vi.useRealTimers();
  });

  it('with a sender that gives no answer: a change after a quiet frame at once, then at most one command per frame carrying the latest value', () => {
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

  it('with a sender that answers: a change goes at once while nothing is unanswered, else waits for the answer and sends the latest', async () => {
    const answers: (() => void)[] = [];
    const answered = new VolumeGesture((percent) => {
      sent.push(percent);
      return new Promise<void>((resolve) => answers.push(resolve));
    }, frames, SETTLE_MS);
    answered.begin();
    answered.change(20);
    expect(sent).toEqual([20]);
    answered.change(21);
    answered.change(22);
    frames.runFrame();
    expect(sent).toEqual([20]);
    expect(frames.pending).toBe(0);
    answers.shift()?.();
    await Promise.resolve();
    expect(sent).toEqual([20, 22]);
    answers.shift()?.();
    await Promise.resolve();
    // Nothing waited: the next change goes at once, without a frame in between.
    answered.change(30);
    expect(sent).toEqual([20, 22, 30]);
    // Released while unanswered: the final value goes out now, and the late answer sends nothing more.
    answered.change(31);
    answered.end();
    expect(sent).toEqual([20, 22, 30, 31]);
    answers.shift()?.();
    await Promise.resolve();
    expect(sent).toEqual([20, 22, 30, 31]);
    answered.dispose();
  });

  it('a failed command counts as answered: the latest value still goes out', async () => {
    let fail: (() => void) | undefined;
    const failing = new VolumeGesture((percent) => {
      sent.push(percent);
      return new Promise<void>((_, reject) => (fail = () => reject(new Error('refused'))));
    }, frames, SETTLE_MS);
    failing.begin();
    failing.change(60);
    failing.change(65);
    fail?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual([60, 65]);
    failing.dispose();
  });
});
