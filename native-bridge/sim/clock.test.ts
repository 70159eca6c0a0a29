import { describe, expect, it } from 'vitest';
import { ManualClock, realClock } from './clock';

describe('ManualClock', () => {
  it('fires timers in due order only when advanced past them, including timers set by timers', () => {
    const clock = new ManualClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
    }, 10);
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(16);
    expect(fired).toEqual(['a@110', 'c@115', 'b@120']);
    expect(clock.now()).toBe(125);
    expect(clock.pendingTimers).toBe(0);
  });

  it('forgets cleared timers and refuses to go backwards', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    const handle = clock.setTimeout(() => fired.push(1), 5);
    clock.clearTimeout(handle);
    clock.advance(10);
    expect(fired).toEqual([]);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('realClock', () => {
  it('does not keep the process alive for a pending timer', () => {
    const handle = realClock.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(false);
    realClock.clearTimeout(handle);
  });
});
