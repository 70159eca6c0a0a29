// When the engine host's pending changes go out to its clients: the host says a change is
// pending (schedule), this decides when its flush runs. The one place of the flush timing.
// Guarantees:
// - a change after a quiet window (no flush within the last intervalMs) is flushed right
//   after the current turn, so what one backend callback or command changes together still
//   travels as one patch, and a lone change waits for no timer;
// - changes within a window of the last flush wait for the window's end: a burst costs one
//   message a window (a frame, by default);
// - at most one flush is scheduled at a time; flushNow() runs it at once instead, cancel()
//   drops it.

export class FlushSchedule {
  /** Cancels the scheduled flush; null when none is scheduled. */
  private cancelScheduled: (() => void) | null = null;
  private lastFlushAt = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: () => void,
  ) {}

  schedule(): void {
    if (this.cancelScheduled) return;
    const wait = this.lastFlushAt + this.intervalMs - performance.now();
    if (wait <= 0) {
      // Not unref'd: libuv skips the poll phase's wait only for referenced immediates, so an
      // unref'd one waited for the next timer or socket event (up to a meter tick, 50 ms).
      const immediate = setImmediate(() => this.run());
      this.cancelScheduled = () => clearImmediate(immediate);
      return;
    }
    const timer = setTimeout(() => this.run(), wait).unref();
    this.cancelScheduled = () => clearTimeout(timer);
  }

  /** Flushes now; a scheduled flush is dropped (this one carries what it would have). */
  flushNow(): void {
    this.cancel();
    this.run();
  }

  cancel(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = null;
  }

  private run(): void {
    this.cancelScheduled = null;
    this.lastFlushAt = performance.now();
    this.flush();
  }
}
