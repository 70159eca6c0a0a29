import { describe, expect, it } from 'vitest';
import { MeterAnimator, levelAfter } from './meter-animator';

describe('meter ballistics', () => {
  it('shows a rise at once', () => {
    expect(levelAfter(0, 0.8, 0)).toBe(0.8);
  });

  it('falls smoothly instead of jumping down', () => {
    const afterOneTick = levelAfter(0.8, 0, 0.05);
    expect(afterOneTick).toBeLessThan(0.8);
    expect(afterOneTick).toBeGreaterThan(0.6);
    expect(levelAfter(0.8, 0, 0.5)).toBeLessThan(0.3);
  });

  it('reaches silence and stays at the target, never below it', () => {
    expect(levelAfter(0.8, 0, 2)).toBe(0);
    expect(levelAfter(0.8, 0.5, 2)).toBe(0.5);
  });

  it('clamps targets outside 0..1', () => {
    expect(levelAfter(0, 3, 1)).toBe(1);
    expect(levelAfter(0.5, -1, 5)).toBe(0);
  });
});

describe('MeterAnimator', () => {
  /** A meter animator on a clock, timers and a screen the test moves by hand. */
  function world() {
    let time = 0;
    const timers: (() => void)[] = [];
    let report: (element: Element, visible: boolean) => void = () => undefined;
    const watched = new Set<Element>();
    const animator = new MeterAnimator({
      now: () => time,
      setTimer: (callback) => timers.push(callback),
      clearTimer: () => undefined,
      watchVisibility: (onChange) => {
        report = onChange;
        return { observe: (element) => watched.add(element), unobserve: (element) => watched.delete(element), disconnect: () => watched.clear() };
      },
    });
    /** A meter whose view records what it is drawn: shown() is the last level drawn, as text ('' before any). */
    const meter = (sessionIds: string[], onScreen = true) => {
      const element = document.createElement('div');
      const drawn: number[] = [];
      const remove = animator.add({ watched: element, show: (level) => drawn.push(level) }, sessionIds);
      if (onScreen) report(element, true);
      const shown = () => (drawn.length > 0 ? (drawn.at(-1) as number).toFixed(3) : '');
      return { element, drawn, remove, shown, show: () => report(element, true) };
    };
    /** Moves the clock and runs the timers that were due. */
    const advance = (ms: number) => {
      time += ms;
      for (const timer of timers.splice(0)) timer();
    };
    return { animator, meter, advance, watched, pendingTimers: () => timers.length };
  }

  it('shows the loudest of a strip’s sessions, drawn only when it visibly changes', () => {
    const { animator, meter } = world();
    const grouped = meter(['a', 'b']);
    animator.apply({ a: 20, b: 70 });
    expect(grouped.shown()).toBe('0.700');
    const draws = grouped.drawn.length;
    animator.apply({ a: 30 });
    expect(grouped.drawn.length).toBe(draws);
  });

  it('releases a fall on its own timer until it settles, then stops', () => {
    const { animator, meter, advance, pendingTimers } = world();
    const one = meter(['a']);
    animator.apply({ a: 80 });
    animator.apply({ a: 10 });
    expect(one.shown()).toBe('0.800');
    advance(50);
    expect(one.shown()).toBe((0.8 * Math.exp(-0.05 / 0.3)).toFixed(3));
    for (let tick = 0; tick < 40; tick += 1) advance(50);
    expect(one.shown()).toBe('0.100');
    expect(pendingTimers()).toBe(0);
  });

  it('draws only meters on screen, and one coming into view at its current level', () => {
    const { animator, meter, watched } = world();
    const hidden = meter(['a'], false);
    expect(watched.has(hidden.element)).toBe(true);
    animator.apply({ a: 50 });
    expect(hidden.shown()).toBe('');
    hidden.show();
    expect(hidden.shown()).toBe('0.500');
  });

  it('takes a full peaks message as the whole truth: unlisted sessions fall silent', () => {
    const { animator, meter, advance } = world();
    const a = meter(['a']);
    const b = meter(['b']);
    animator.apply({ a: 40, b: 60 });
    animator.apply({ b: 20 }, true);
    for (let tick = 0; tick < 40; tick += 1) advance(50);
    expect(a.shown()).toBe('0.000');
    expect(b.shown()).toBe('0.200');
  });

  it('drops every level on a new snapshot and forgets a removed meter', () => {
    const { animator, meter, advance, watched } = world();
    const one = meter(['a']);
    animator.apply({ a: 50 });
    animator.reset();
    for (let tick = 0; tick < 40; tick += 1) advance(50);
    expect(one.shown()).toBe('0.000');
    one.remove();
    expect(watched.has(one.element)).toBe(false);
    animator.apply({ a: 90 });
    expect(one.shown()).toBe('0.000');
  });
});
