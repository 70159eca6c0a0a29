// Peak meters animate outside React: one animation-frame loop reads the latest peaks and
// writes a CSS variable per meter, so 20 meters at 60 fps never re-render a strip.
// Ballistics: a fast attack and an exponential release (like a VU/PPM), so levels rise
// promptly and fall smoothly instead of jumping with every peaks message.

const ATTACK_SECONDS = 0.012;
const RELEASE_SECONDS = 0.3;
const SILENT = 0.002;

/** The meter's next level after dtSeconds, chasing target (all 0..1). */
export function nextLevel(level: number, target: number, dtSeconds: number): number {
  const clampedTarget = Math.min(1, Math.max(0, target));
  if (clampedTarget >= level) return level + (clampedTarget - level) * (1 - Math.exp(-dtSeconds / ATTACK_SECONDS));
  const released = level * Math.exp(-dtSeconds / RELEASE_SECONDS);
  return Math.max(clampedTarget, released < SILENT ? 0 : released);
}

interface Meter {
  element: HTMLElement;
  readTarget(): number;
  level: number;
  /** The level last written to the element. */
  shown: number;
}

export class MeterAnimator {
  private readonly meters = new Set<Meter>();
  private frame: number | null = null;
  private lastTime: number | null = null;

  /** Starts animating element's `--level`; returns the function that stops it. */
  add(element: HTMLElement, readTarget: () => number): () => void {
    const meter: Meter = { element, readTarget, level: 0, shown: 0 };
    element.style.setProperty('--level', '0');
    this.meters.add(meter);
    this.wake();
    return () => {
      this.meters.delete(meter);
      if (this.meters.size === 0) this.stop();
    };
  }

  /** New peaks arrived: make sure the loop runs (it sleeps while everything is silent). */
  wake(): void {
    if (this.frame === null && this.meters.size > 0) this.frame = requestAnimationFrame(this.tick);
  }

  stop(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.lastTime = null;
  }

  private readonly tick = (time: number): void => {
    // Cap the step so a long pause (hidden window) does not look like a huge decay jump.
    const dt = this.lastTime === null ? 1 / 60 : Math.min(0.1, (time - this.lastTime) / 1000);
    this.lastTime = time;
    let moving = false;
    for (const meter of this.meters) {
      const target = meter.readTarget();
      const level = nextLevel(meter.level, target, dt);
      meter.level = level;
      // Skip invisible changes: a style write per meter per frame is the loop's whole cost.
      if (Math.abs(level - meter.shown) > 0.001 || (level === 0 && meter.shown !== 0)) {
        meter.element.style.setProperty('--level', level.toFixed(4));
        meter.shown = level;
      }
      if (level > 0 || target > 0) moving = true;
    }
    this.frame = null;
    if (moving) this.frame = requestAnimationFrame(this.tick);
    else this.lastTime = null;
  };
}
