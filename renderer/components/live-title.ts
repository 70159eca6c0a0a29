// A title that changes often (a strip head's tooltip says when its volume last changed) is
// worded only while someone can see it, not on every change: composing it (a clock in the
// user's language) and writing `title` cost more than the change itself.
// Guarantees:
// - At rest (neither hovered nor focused) the element keeps the title its owner rendered,
//   the steady part (`compose(null)`); nothing is read, composed or written on a change.
// - From pointerenter or focus until both have left, the title is `compose(read())`, the
//   latest state: composed at once, and again only when `read()` gives another value
//   (compared by identity) after the source said it changed, or on `refresh(source)`.
// - When both have left, the title goes back to the steady part, never a stale time.
export interface LiveTitleSource<T> {
  /** What the changing part is worded from, now. */
  read(): T | null;
  /** The whole title; with null, the steady part alone. */
  compose(value: T | null): string;
  /** Calls back on every change that may give `read()` another value; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

type Reason = 'pointer' | 'focus';

export class LiveTitle<T> {
  private readonly reasons = new Set<Reason>();
  private unsubscribe: (() => void) | null = null;
  private shown: T | null = null;
  private element: HTMLElement | null = null;

  constructor(private source: LiveTitleSource<T>) {}

  /** Pointer over, or focus on, the element: its title says the latest state from now on. */
  enter(element: HTMLElement, reason: Reason): void {
    this.element = element;
    this.reasons.add(reason);
    if (this.unsubscribe) return;
    this.unsubscribe = this.source.subscribe(() => this.update(false));
    this.update(true);
  }

  /** Pointer or focus gone: once both are, back to the steady title and nothing more per change. */
  leave(reason: Reason): void {
    this.reasons.delete(reason);
    if (this.reasons.size > 0 || !this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = null;
    this.shown = null;
    if (this.element) this.element.title = this.source.compose(null);
  }

  /** The owner rendered again (maybe a new steady title over ours): words from `source` now, at once if shown. */
  refresh(source: LiveTitleSource<T>): void {
    this.source = source;
    if (this.unsubscribe) this.update(true);
  }

  private update(always: boolean): void {
    const value = this.source.read();
    if (!always && value === this.shown) return;
    this.shown = value;
    if (this.element) this.element.title = this.source.compose(value);
  }
}
