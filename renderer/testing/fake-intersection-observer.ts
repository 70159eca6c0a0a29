// An IntersectionObserver the test drives: nothing is on screen until reveal() says so
// (happy-dom's never reports). Install it with vi.stubGlobal before the code under test
// makes its observer.
export class FakeIntersectionObserver {
  static readonly instances: FakeIntersectionObserver[] = [];
  readonly observed = new Set<Element>();

  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.instances.push(this);
  }

  observe(target: Element): void {
    this.observed.add(target);
  }

  unobserve(target: Element): void {
    this.observed.delete(target);
  }

  disconnect(): void {
    this.observed.clear();
  }

  /** Reports every observed element as on screen, to every observer. */
  static reveal(): void {
    for (const observer of FakeIntersectionObserver.instances) {
      const entries = [...observer.observed].map((target) => ({ target, isIntersecting: true }) as IntersectionObserverEntry);
      if (entries.length > 0) observer.callback(entries, observer as unknown as IntersectionObserver);
    }
  }
}
