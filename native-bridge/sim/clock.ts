// Time as the sim engine sees it: injectable, so tests advance it by hand.

export type TimerHandle = unknown;

export interface SimClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Real time. Timers are unref'd: a pending expiry or demo step never keeps a CLI run alive. */
export const realClock: SimClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface ManualTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/** A clock that moves only when told to; timers fire in due order, ties in creation order. */
export class ManualClock implements SimClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(startAt = 0) {
    this.current = startAt;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Moves time forward, running every timer that falls due on the way (including ones they set). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next.id);
      this.current = next.dueAt;
      next.callback();
    }
    this.current = target;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  private nextDue(limit: number): ManualTimer | undefined {
    let found: ManualTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.dueAt > limit) continue;
      if (!found || timer.dueAt < found.dueAt || (timer.dueAt === found.dueAt && timer.id < found.id)) found = timer;
    }
    return found;
  }
}
