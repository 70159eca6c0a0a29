// Records a backend's events so a test can wait for the one it expects.
import type { AudioBackend, BackendEvent } from '../../types';

export class EventRecorder {
  readonly events: BackendEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(backend: AudioBackend) {
    this.unsubscribe = backend.subscribe((event) => {
      this.events.push(event);
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** A position in the event list: waitFor(..., mark) looks only at events after it. */
  mark(): number {
    return this.events.length;
  }

  /** The first event at or after `since` matching `predicate`, waiting up to `timeoutMs` for it. */
  waitFor<T extends BackendEvent>(predicate: (event: BackendEvent) => event is T, since?: number, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (event: BackendEvent) => boolean, since?: number, timeoutMs?: number): Promise<BackendEvent>;
  waitFor(predicate: (event: BackendEvent) => boolean, since = 0, timeoutMs = 5000): Promise<BackendEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(since).find(predicate);
        if (!found) return false;
        done();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.events.slice(since).map((event) => JSON.stringify(event).slice(0, 200));
        reject(new Error(`no matching backend event within ${timeoutMs} ms; saw:\n${seen.join('\n') || '(nothing)'}`));
      }, timeoutMs);
      const wake = () => void check();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
      check();
    });
  }

  stop(): void {
    this.unsubscribe();
  }
}

/** Retries `probe` until it stops throwing, for state read from outside (pactl). */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 5000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
