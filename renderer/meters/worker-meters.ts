// The meter worker's work, outside the worker's global scope (tested without one): the page
// hands it each meter's canvas (an OffscreenCanvas), which meters are on screen and the
// theme's colours; the peaks come from a channel of the worker's own (web mode: a socket
// asking the server for peaks alone; the desktop app: a port of the main process's), so no
// peaks message and no meter frame passes through the page's main thread. The ballistics are
// the page's own (meter-animator.ts), drawn the same way (meter-drawing.ts). Guarantees:
// - a message it cannot read is named in a console error and ignored; nothing else changes;
// - a meter is drawn only while its track is on screen, and at its current level when it comes on;
// - new colours redraw every meter in them, without a peaks message;
// - a new peaks channel replaces the old one (which is closed): peaks come from one channel at a time.
import type { Command, CommandResult, MixerApi } from '../../core/contract';
import type { MeterAnimatorOptions } from './meter-animator';
import { MeterAnimator } from './meter-animator';
import type { MeterColours } from './meter-drawing';
import { CanvasMeterView, sameColours } from './meter-drawing';
import type { ToMeterWorker } from './meter-worker-protocol';
import { parseToMeterWorker } from './meter-worker-protocol';
import type { PeaksMessage } from './peak-levels';
import { applyPeaks } from './peak-levels';

/** The worker's own connection to the server (web mode): a MixerApi it can close. */
export type PeaksSocket = Pick<MixerApi, 'request' | 'onMessage'> & { close(): void };

export interface WorkerMetersOptions extends Pick<MeterAnimatorOptions<number>, 'now' | 'setTimer' | 'clearTimer'> {
  /** Opens the worker's socket to the server at this address. */
  connect: (url: string) => PeaksSocket;
  /** A problem worth a console error (in the worker: console.error). */
  report: (problem: string) => void;
  /**
   * Runs the callback before the next frame (the worker's requestAnimationFrame): peaks that
   * arrive meanwhile are drawn together, so every meter's new picture reaches the compositor
   * in one frame instead of one each. Without one, peaks are drawn as they arrive.
   */
  beforeFrame?: (callback: () => void) => void;
}

/** Before the page sends the theme's: none the canvas can parse, so the text colour (black). */
const NO_COLOURS: MeterColours = { low: '', high: '', text: '#000' };

export class WorkerMeters {
  private readonly animator: MeterAnimator<number>;
  private readonly views = new Map<number, { view: CanvasMeterView<number>; remove: () => void }>();
  private colours: MeterColours = NO_COLOURS;
  private showVisibility: (id: number, visible: boolean) => void = () => undefined;
  private socket: PeaksSocket | null = null;
  private port: MessagePort | null = null;
  private metersShown = false;
  /** Peaks messages waiting for the next frame (beforeFrame), oldest first. */
  private waiting: PeaksMessage[] = [];

  constructor(private readonly options: WorkerMetersOptions) {
    this.animator = new MeterAnimator<number>({
      now: options.now,
      setTimer: options.setTimer,
      clearTimer: options.clearTimer,
      // The page watches the tracks and says what is on screen; the worker only listens.
      watchVisibility: (onChange) => {
        this.showVisibility = onChange;
        return { observe: () => undefined, unobserve: () => undefined, disconnect: () => undefined };
      },
    });
  }

  /** One message from the page. */
  receive(data: unknown): void {
    const parsed = parseToMeterWorker(data);
    if (!parsed.ok) {
      this.options.report(`meter worker: ignored a message from the page: ${parsed.reason}`);
      return;
    }
    this.take(parsed.message);
  }

  private take(message: ToMeterWorker): void {
    switch (message.type) {
      case 'peaks-socket':
        this.closeChannels();
        this.openSocket(message.url);
        return;
      case 'peaks-port':
        this.closeChannels();
        this.port = message.port;
        // What the main process posts is checked as the page's own peaks messages are.
        message.port.onmessage = (event: MessageEvent) => this.receive({ type: 'peaks', message: event.data });
        return;
      case 'peaks':
        this.takePeaks(message.message);
        return;
      case 'meters':
        this.metersShown = message.enabled;
        this.ask({ type: 'set-meters', enabled: message.enabled });
        return;
      case 'add': {
        this.views.get(message.id)?.remove();
        const view = new CanvasMeterView(message.id, message.canvas.getContext('2d'), () => this.colours);
        this.views.set(message.id, { view, remove: this.animator.add(view, message.keys) });
        return;
      }
      case 'remove':
        this.views.get(message.id)?.remove();
        this.views.delete(message.id);
        return;
      case 'visible':
        this.showVisibility(message.id, message.visible);
        return;
      case 'colours': {
        const colours = { low: message.low, high: message.high, text: message.text };
        if (sameColours(colours, this.colours)) return;
        this.colours = colours;
        for (const { view } of this.views.values()) view.recolour();
        return;
      }
    }
  }

  private takePeaks(message: PeaksMessage): void {
    const { beforeFrame } = this.options;
    if (!beforeFrame) {
      applyPeaks(this.animator, message);
      return;
    }
    if (this.waiting.push(message) > 1) return;
    beforeFrame(() => {
      for (const waiting of this.waiting.splice(0)) applyPeaks(this.animator, waiting);
    });
  }

  private openSocket(url: string): void {
    const socket = this.options.connect(url);
    this.socket = socket;
    socket.onMessage((message) => {
      if (message.type === 'peaks') this.takePeaks(message);
    });
    // The socket replays both after a reconnect (ws-client.ts).
    this.ask({ type: 'subscribe', messages: 'peaks' });
    if (this.metersShown) this.ask({ type: 'set-meters', enabled: true });
  }

  /** A command on the worker's socket (web mode; the desktop app's meters are asked for by the page). */
  private ask(command: Command): void {
    this.socket?.request(command).then(
      (result: CommandResult) => {
        if (!result.ok) this.options.report(`meter worker: the server refused ${command.type}: ${result.error.message}`);
      },
      (error: unknown) => this.options.report(`meter worker: ${command.type} failed: ${String(error)}`),
    );
  }

  private closeChannels(): void {
    this.socket?.close();
    this.socket = null;
    this.port?.close();
    this.port = null;
  }
}
