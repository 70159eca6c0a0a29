// A bounded ring of logged backend events: memory stays flat however long the app runs,
// and the count of entries pushed out is kept so a viewer can say what it no longer has.
import type { BackendEvent } from '../native-bridge/types';
import type { LoggedEvent } from './contract';

export class EventLog {
  private readonly ring: (LoggedEvent | undefined)[];
  private next = 0;
  private size = 0;
  private seq = 0;
  /** Oldest entries pushed out of the ring so far. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event log capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<LoggedEvent | undefined>(capacity);
  }

  append(event: BackendEvent, source: LoggedEvent['source'], time = Date.now()): LoggedEvent {
    const logged: LoggedEvent = { ...event, seq: ++this.seq, time, source };
    if (this.size === this.capacity) this.dropped += 1;
    else this.size += 1;
    this.ring[this.next] = logged;
    this.next = (this.next + 1) % this.capacity;
    return logged;
  }

  /** The kept entries, oldest first. */
  entries(): LoggedEvent[] {
    const start = (this.next - this.size + this.capacity) % this.capacity;
    const out: LoggedEvent[] = [];
    for (let i = 0; i < this.size; i += 1) out.push(this.ring[(start + i) % this.capacity] as LoggedEvent);
    return out;
  }
}
