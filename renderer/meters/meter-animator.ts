// Peak meters, outside React state: a peaks message (whole steps, sent only on change: see
// core/contract.ts) moves the meters of the sessions it names, by redrawing their views
// (meter-drawing.ts), and a release continues on a timer at the same pace until it has settled.
// The same logic runs in the meter worker (worker-meters.ts, meters told apart by id, their
// visibility told by the page) and on the page where there is no worker (meter-host.ts).
// So meters are drawn at most at the rate peaks arrive (20 a second), never every
// animation frame, and nothing at all while levels hold or everything is silent; meters
// off screen (IntersectionObserver) keep their level but are not drawn. (Measured: each
// frame the page draws costs about as much whatever draws it, and restarting Web
// Animations or CSS transitions at every peak costs more than one write.)
// Ballistics like a PPM: a rise shows at once (its attack is shorter than the update
// interval), a fall releases exponentially, so levels drop smoothly instead of jumping.
import { PEAK_STEPS } from '../../core/contract';

const RELEASE_SECONDS = 0.3;
const SILENT = 0.002;
/**
 * A falling meter is redrawn this long after the last draw when no peaks message came
 * meanwhile (messages come every 50 ms while anything plays, and redraw every meter on
 * screen, so a release shares their frames instead of adding its own).
 */
const RELEASE_TICK_MS = 60;
/** Redraws smaller than this are invisible (a fraction of a pixel). */
const VISIBLE_CHANGE = 0.5 / PEAK_STEPS;

/** The meter's level `seconds` after it started moving from `from` toward `to` (all 0..1). */
export function levelAfter(from: number, to: number, seconds: number): number {
  const target = Math.min(1, Math.max(0, to));
  if (target >= from) return target;
  const released = from * Math.exp(-seconds / RELEASE_SECONDS);
  return Math.max(target, released < SILENT ? 0 : released);
}

/** What a meter is drawn on. `Watched`: what tells it apart to the visibility watcher (an element in the page, an id in the meter worker). */
export interface MeterView<Watched = Element> {
  /** What the visibility watcher observes for this meter. */
  readonly watched: Watched;
  /** Draws the level (0..1). */
  show(level: number): void;
}

interface Meter<Watched> {
  view: MeterView<Watched>;
  sessionIds: readonly string[];
  /** The motion in progress: from a level toward a target, since a time (ms). */
  from: number;
  target: number;
  since: number;
  /** The level last drawn. */
  shown: number;
}

/** Tells which meters are on screen. */
export interface VisibilityWatcher<Watched = Element> {
  observe(watched: Watched): void;
  unobserve(watched: Watched): void;
  disconnect(): void;
}

export type WatchVisibility<Watched = Element> = (onChange: (watched: Watched, visible: boolean) => void) => VisibilityWatcher<Watched> | null;

/** IntersectionObserver on the viewport; without one (old engines) every meter counts as on screen. */
const watchViewport: WatchVisibility = (onChange) =>
  typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
        for (const entry of entries) onChange(entry.target, entry.isIntersecting);
      })
    : null;

export interface MeterAnimatorOptions<Watched = Element> {
  now?: () => number;
  /** Without one: the viewport's IntersectionObserver (elements only). */
  watchVisibility?: WatchVisibility<Watched>;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class MeterAnimator<Watched = Element> {
  /** Session id -> its level in steps; silent sessions are absent. */
  private readonly levels = new Map<string, number>();
  private readonly meters = new Map<Watched, Meter<Watched>>();
  private readonly visible = new Set<Meter<Watched>>();
  private readonly bySession = new Map<string, Set<Meter<Watched>>>();
  private readonly observer: VisibilityWatcher<Watched> | null;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private releaseTimer: unknown = null;

  constructor(options: MeterAnimatorOptions<Watched> = {}) {
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    const watch = options.watchVisibility ?? (watchViewport as unknown as WatchVisibility<Watched>);
    this.observer = watch((watched, visible) => {
      const meter = this.meters.get(watched);
      if (!meter) return;
      if (visible) this.visible.add(meter);
      else this.visible.delete(meter);
      if (visible) this.draw();
    });
  }

  /** Shows the loudest of the sessions on the view; returns the function that stops it. */
  add(view: MeterView<Watched>, sessionIds: readonly string[]): () => void {
    const { watched } = view;
    const meter: Meter<Watched> = { view, sessionIds, from: 0, target: 0, since: this.now(), shown: -1 };
    this.meters.set(watched, meter);
    for (const sessionId of sessionIds) {
      let meters = this.bySession.get(sessionId);
      if (!meters) this.bySession.set(sessionId, (meters = new Set()));
      meters.add(meter);
    }
    if (this.observer) this.observer.observe(watched);
    else this.visible.add(meter);
    this.retarget(meter);
    this.draw();
    return () => {
      this.observer?.unobserve(watched);
      this.meters.delete(watched);
      this.visible.delete(meter);
      for (const sessionId of sessionIds) {
        const meters = this.bySession.get(sessionId);
        meters?.delete(meter);
        if (meters?.size === 0) this.bySession.delete(sessionId);
      }
    };
  }

  /** A peaks message: the levels that changed, in steps (0: silent); `full`: every other session is silent. */
  apply(peaks: Readonly<Record<string, number>>, full = false): void {
    const touched = new Set<Meter<Watched>>();
    if (full) {
      for (const sessionId of this.levels.keys()) for (const meter of this.bySession.get(sessionId) ?? []) touched.add(meter);
      this.levels.clear();
    }
    for (const [sessionId, step] of Object.entries(peaks)) {
      if (step > 0) this.levels.set(sessionId, step);
      else this.levels.delete(sessionId);
      for (const meter of this.bySession.get(sessionId) ?? []) touched.add(meter);
    }
    for (const meter of touched) this.retarget(meter);
    this.draw();
  }

  /** A new snapshot: the server starts over, so every level is silence until told otherwise. */
  reset(): void {
    this.levels.clear();
    for (const meter of this.meters.values()) this.retarget(meter);
    this.draw();
  }

  stop(): void {
    this.observer?.disconnect();
    if (this.releaseTimer !== null) this.clearTimer(this.releaseTimer);
    this.releaseTimer = null;
    this.meters.clear();
    this.visible.clear();
    this.bySession.clear();
  }

  private loudest(meter: Meter<Watched>): number {
    let loudest = 0;
    for (const sessionId of meter.sessionIds) loudest = Math.max(loudest, this.levels.get(sessionId) ?? 0);
    return loudest / PEAK_STEPS;
  }

  private levelNow(meter: Meter<Watched>, now: number): number {
    return levelAfter(meter.from, meter.target, (now - meter.since) / 1000);
  }

  private retarget(meter: Meter<Watched>): void {
    const target = this.loudest(meter);
    if (target === meter.target) return;
    const now = this.now();
    meter.from = this.levelNow(meter, now);
    meter.target = target;
    meter.since = now;
  }

  /** Draws the meters on screen whose level moved visibly; keeps releasing while any falls. */
  private draw(): void {
    const now = this.now();
    let falling = false;
    for (const meter of this.visible) {
      const level = this.levelNow(meter, now);
      if (Math.abs(level - meter.shown) >= VISIBLE_CHANGE || (level === meter.target && level !== meter.shown)) {
        meter.view.show(level);
        meter.shown = level;
      }
      if (level !== meter.target) falling = true;
    }
    if (this.releaseTimer !== null) this.clearTimer(this.releaseTimer);
    this.releaseTimer = null;
    if (falling) {
      this.releaseTimer = this.setTimer(() => {
        this.releaseTimer = null;
        this.draw();
      }, RELEASE_TICK_MS);
    }
  }
}
