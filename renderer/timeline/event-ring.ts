// A fixed-capacity ring: appending past the capacity pushes out the oldest entries and
// counts them, so memory stays flat however long a QA session runs and the view can say
// how much it no longer holds.

export const MIN_RING_CAPACITY = 100;
export const MAX_RING_CAPACITY = 1_000_000;

export function checkRingCapacity(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < MIN_RING_CAPACITY || capacity > MAX_RING_CAPACITY) {
    throw new RangeError(
      `the timeline size must be a whole number from ${MIN_RING_CAPACITY} to ${MAX_RING_CAPACITY}, got ${capacity}`,
    );
  }
  return capacity;
}

export class EventRing<T> {
  private slots: (T | undefined)[];
  /** Index of the oldest kept entry in `slots`. */
  private start = 0;
  private count = 0;
  private capacityValue: number;
  /** Oldest entries pushed out (by appends or by shrinking) since the ring was made or cleared. */
  dropped = 0;

  constructor(capacity: number) {
    this.capacityValue = checkRingCapacity(capacity);
    this.slots = new Array<T | undefined>(capacity);
  }

  get capacity(): number {
    return this.capacityValue;
  }

  get length(): number {
    return this.count;
  }

  /** The entry at `index`, 0 being the oldest kept. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.slots[(this.start + index) % this.capacityValue];
  }

  push(items: readonly T[]): void {
    for (const item of items) {
      if (this.count === this.capacityValue) {
        this.slots[this.start] = item;
        this.start = (this.start + 1) % this.capacityValue;
        this.dropped += 1;
      } else {
        this.slots[(this.start + this.count) % this.capacityValue] = item;
        this.count += 1;
      }
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let index = 0; index < this.count; index += 1) out[index] = this.slots[(this.start + index) % this.capacityValue] as T;
    return out;
  }

  /** Keeps the newest entries that fit; the ones that do not count as dropped. */
  resize(capacity: number): void {
    checkRingCapacity(capacity);
    const kept = this.toArray();
    const overflow = Math.max(0, kept.length - capacity);
    this.dropped += overflow;
    this.capacityValue = capacity;
    this.slots = new Array<T | undefined>(capacity);
    this.start = 0;
    this.count = 0;
    this.push(kept.slice(overflow));
  }

  clear(): void {
    this.slots = new Array<T | undefined>(this.capacityValue);
    this.start = 0;
    this.count = 0;
    this.dropped = 0;
  }
}
