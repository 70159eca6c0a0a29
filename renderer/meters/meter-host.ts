// The page's side of the meters: what needs the DOM. Each strip's meter canvas is added here;
// the page watches which tracks are on screen (IntersectionObserver) and the theme's colours
// (--meter-low/--meter-high, read again when the colour scheme or forced colours change).
// Two hosts, one logic (meter-animator.ts, meter-drawing.ts):
// - WorkerMeterHost: the canvases are handed to the meter worker (transferControlToOffscreen),
//   which draws them from peaks of its own channel: a socket of its own in web mode (the
//   page's socket then subscribes to the state alone), the main process's port in the desktop
//   app. No peaks message and no meter frame runs on the page's main thread.
// - PageMeterHost, where Worker or OffscreenCanvas is missing: the page animates and draws
//   them itself, from the peaks its own connection (or the desktop app's port) brings.
import type { Subscription } from '../../core/contract';
import { IPC_CHANNELS } from '../../core/contract';
import type { MeterAnimatorOptions } from './meter-animator';
import { MeterAnimator } from './meter-animator';
import type { MeterColours } from './meter-drawing';
import { CanvasMeterView, sameColours } from './meter-drawing';
import type { ToMeterWorker } from './meter-worker-protocol';
import type { PeaksMessage } from './peak-levels';
import { applyPeaks } from './peak-levels';

export interface MeterHost {
  /** Shows the loudest level of the keys (sessions, or deviceMeterKey) in the canvas, which must be in the document; returns the function that removes it. */
  add(canvas: HTMLCanvasElement, keys: readonly string[]): () => void;
  /** A peaks message that came through the page's own connection. */
  apply(message: PeaksMessage): void;
  /** A new snapshot on the page's connection: its levels are silence until told otherwise. */
  reset(): void;
  /** What the page's own connection subscribes to (contract.ts Subscription). */
  readonly pageSubscription: Subscription;
  /** The desktop app: the window's peaks arrive on this port instead of its IPC. */
  takePeaksPort(port: MessagePort): void;
  /** Meters shown or not: a meter channel of its own asks the server too. */
  setMeters(enabled: boolean): void;
  /** Forgets every meter (the mixer unmounted). The peaks channel lives as long as the page: meters added again are drawn again. */
  stop(): void;
}

const SCHEME_QUERIES = ['(prefers-color-scheme: dark)', '(forced-colors: active)'];

/**
 * The theme's meter colours where the element is, as rgb(): a system colour (Highlight, under
 * forced colours) means nothing to the meter worker, which knows no forced palette.
 */
function readMeterColours(element: Element): MeterColours {
  const style = getComputedStyle(element);
  const probe = document.createElement('span');
  probe.style.forcedColorAdjust = 'none';
  (element.parentElement ?? document.body).append(probe);
  const resolve = (colour: string) => {
    probe.style.color = '';
    probe.style.color = colour;
    // A value the page cannot parse leaves the probe's own colour: none is sent then, so the text colour is drawn.
    return probe.style.color === '' ? '' : getComputedStyle(probe).color;
  };
  const colours = { low: resolve(style.getPropertyValue('--meter-low').trim()), high: resolve(style.getPropertyValue('--meter-high').trim()), text: style.color };
  probe.remove();
  return colours;
}

/** Calls back when the colour scheme or forced colours change, while any meter is there (watch() at each add, the returned function at its removal). */
function colourSchemeWatch(onChange: () => void): { watch(): () => void } {
  let meters = 0;
  const lists = typeof matchMedia === 'function' ? SCHEME_QUERIES.map((query) => matchMedia(query)) : [];
  return {
    watch: () => {
      meters += 1;
      if (meters === 1) for (const list of lists) list.addEventListener('change', onChange);
      let watching = true;
      return () => {
        if (!watching) return;
        watching = false;
        meters -= 1;
        if (meters === 0) for (const list of lists) list.removeEventListener('change', onChange);
      };
    },
  };
}

/** The meters drawn by the page's main thread. */
export class PageMeterHost implements MeterHost {
  readonly pageSubscription: Subscription = 'all';
  private readonly animator: MeterAnimator<Element>;
  private readonly views = new Map<CanvasMeterView<Element>, () => void>();
  private colours: MeterColours | null = null;
  private port: MessagePort | null = null;
  private readonly scheme = colourSchemeWatch(() => {
    this.colours = null;
    for (const view of this.views.keys()) view.recolour();
  });

  constructor(options: MeterAnimatorOptions<Element> = {}) {
    this.animator = new MeterAnimator(options);
  }

  add(canvas: HTMLCanvasElement, keys: readonly string[]): () => void {
    // The track is watched: it holds still, so the visibility watcher has nothing to re-measure on the fill's account.
    const view = new CanvasMeterView(canvas.parentElement ?? canvas, canvas.getContext('2d'), () => (this.colours ??= readMeterColours(canvas)));
    const remove = this.animator.add(view, keys);
    const unwatch = this.scheme.watch();
    let forgotten = false;
    // Once only: the track (what the animator knows the meter by) may carry a newer meter by then.
    const forget = () => {
      if (forgotten) return;
      forgotten = true;
      remove();
      unwatch();
      this.views.delete(view);
    };
    this.views.set(view, forget);
    return forget;
  }

  apply(message: PeaksMessage): void {
    applyPeaks(this.animator, message);
  }

  reset(): void {
    // Peaks on a port of their own may overtake the snapshot: that channel's next message is full anyway.
    if (!this.port) this.animator.reset();
  }

  takePeaksPort(port: MessagePort): void {
    this.port?.close();
    this.port = port;
    port.onmessage = (event: MessageEvent<PeaksMessage>) => applyPeaks(this.animator, event.data);
  }

  setMeters(): void {
    // The page's own connection carries the peaks: its set-meters is the one that counts.
  }

  stop(): void {
    for (const forget of [...this.views.values()]) forget();
    this.animator.stop();
  }
}

/** The part of a Worker the host uses (tests pass a fake). */
export interface MeterWorkerLike {
  postMessage(message: ToMeterWorker, transfer: Transferable[]): void;
}

/** The meters drawn by the meter worker. */
export class WorkerMeterHost implements MeterHost {
  readonly pageSubscription: Subscription;
  private nextId = 1;
  private readonly ids = new Map<Element, number>();
  /** Each live meter's canvas, and the function that removes it. */
  private readonly canvases = new Map<HTMLCanvasElement, () => void>();
  private readonly observer: IntersectionObserver;
  private sent: MeterColours | null = null;
  private readonly scheme = colourSchemeWatch(() => {
    const live = this.canvases.keys().next();
    if (!live.done) this.sendColours(live.value);
  });

  /** `peaksSocketUrl`: web mode's socket address; the worker opens its own socket there. Null in the desktop app (a port comes). */
  constructor(
    private readonly worker: MeterWorkerLike,
    peaksSocketUrl: string | null,
  ) {
    this.pageSubscription = peaksSocketUrl ? 'state' : 'all';
    if (peaksSocketUrl) this.post({ type: 'peaks-socket', url: peaksSocketUrl });
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = this.ids.get(entry.target);
        if (id !== undefined) this.post({ type: 'visible', id, visible: entry.isIntersecting });
      }
    });
  }

  add(canvas: HTMLCanvasElement, keys: readonly string[]): () => void {
    const id = this.nextId++;
    const track = canvas.parentElement ?? canvas;
    if (!this.sent) this.sendColours(canvas);
    const offscreen = canvas.transferControlToOffscreen();
    this.post({ type: 'add', id, canvas: offscreen, keys: [...keys] }, [offscreen]);
    this.ids.set(track, id);
    this.observer.observe(track);
    const unwatch = this.scheme.watch();
    let removed = false;
    const remove = () => {
      if (removed) return;
      removed = true;
      this.observer.unobserve(track);
      this.ids.delete(track);
      this.canvases.delete(canvas);
      unwatch();
      this.post({ type: 'remove', id });
    };
    this.canvases.set(canvas, remove);
    return remove;
  }

  apply(message: PeaksMessage): void {
    this.post({ type: 'peaks', message });
  }

  reset(): void {
    // The worker's peaks come on a channel of their own, whose next message after a snapshot is full.
  }

  takePeaksPort(port: MessagePort): void {
    this.post({ type: 'peaks-port', port }, [port]);
  }

  setMeters(enabled: boolean): void {
    this.post({ type: 'meters', enabled });
  }

  stop(): void {
    for (const remove of [...this.canvases.values()]) remove();
  }

  private sendColours(canvas: HTMLCanvasElement): void {
    const colours = readMeterColours(canvas);
    if (this.sent && sameColours(colours, this.sent)) return;
    this.sent = colours;
    this.post({ type: 'colours', ...colours });
  }

  private post(message: ToMeterWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}

/** The meter worker where the browser can run one (Worker, OffscreenCanvas, IntersectionObserver), else the page's own drawing. */
export function createMeterHost(peaksSocketUrl: string | null): MeterHost {
  const canWork =
    typeof Worker === 'function' && typeof OffscreenCanvas === 'function' && typeof IntersectionObserver === 'function' &&
    typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function';
  if (!canWork) return new PageMeterHost();
  const worker = new Worker(new URL('./meter-worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (event) => console.error(`the meter worker failed: ${event.message || 'it could not be loaded'}`));
  return new WorkerMeterHost(worker, peaksSocketUrl);
}

/** The desktop app's preload hands the window its meter port by window.postMessage (electron/preload.ts). */
export function listenForMeterPort(take: (port: MessagePort) => void): () => void {
  const listener = (event: MessageEvent) => {
    const port = event.ports[0];
    if (event.source === window && event.data === IPC_CHANNELS.meterPort && port) take(port);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
