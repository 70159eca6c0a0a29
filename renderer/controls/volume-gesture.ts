// One slider's interaction (the volume sliders and the inspector's balance; use-gesture.ts
// binds it to an input), kept outside React so it can be driven by pointer, keyboard
// and server echoes alike. Values are any numbers in the slider's units:
// - a change is sent at once when the last command has been answered; changes while it is
//   unanswered wait for its answer, and then the latest value goes out (one command in
//   flight, never a queue). A sender that gives no answer (returns nothing) counts as
//   answered at the next animation frame, so it gets at most one command a frame;
// - the final value is always sent on release, even when no frame ran in between;
// - values from elsewhere are ignored while dragging, and briefly after release until the
//   server echoes what we sent (so late echoes of intermediate values cannot pull the thumb back).

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

type Phase = 'idle' | 'dragging' | 'settling';

/**
 * What a sender gives back: a promise settled when the command is answered, or anything
 * else (nothing) when there is no answer to wait for.
 */
export type Sent = unknown;

function isAnswer(sent: Sent): sent is PromiseLike<unknown> {
  return typeof (sent as PromiseLike<unknown> | undefined)?.then === 'function';
}

export class VolumeGesture {
  private phase: Phase = 'idle';
  /** The value the user is moving; null while idle (the slider shows the external value). */
  private local: number | null = null;
  private lastSent: number | null = null;
  /** The frame that stands for the last command's answer (senders without one); null when none. */
  private frame: number | null = null;
  /** The last command's answer still awaited: the number of that command, or null. */
  private unanswered: number | null = null;
  private commands = 0;
  /** A change waits for that answer. */
  private waiting = false;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private send: (percent: number) => Sent,
    private readonly frames: FrameScheduler = browserFrames,
    /** How long after release to wait for the echo before trusting external values again. */
    private readonly settleMs = 600,
  ) {}

  setSender(send: (percent: number) => Sent): void {
    this.send = send;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The value to show instead of the external one, or null to show the external one. */
  getSnapshot = (): number | null => this.local;

  /** Pointer down on the slider. */
  begin(): void {
    if (this.phase === 'idle') this.lastSent = null;
    this.clearSettleTimer();
    this.phase = 'dragging';
  }

  /** A new value from the pointer or the keyboard. */
  change(percent: number): void {
    if (this.phase === 'idle') this.lastSent = null;
    this.setLocal(percent);
    if (this.phase !== 'dragging') {
      // Keyboard steps have no release of their own: each one opens a short settling window.
      this.phase = 'settling';
      this.restartSettleTimer();
    }
    if (this.frame !== null || this.unanswered !== null) {
      this.waiting = true;
      return;
    }
    this.awaitAnswer(this.flush());
  }

  /** Pointer released (or focus lost, or key released): the final value goes out now. */
  end(): void {
    if (this.phase === 'idle') return;
    this.cancelFrame();
    this.flush();
    this.phase = 'settling';
    this.restartSettleTimer();
  }

  /** A value from elsewhere arrived (a patch). */
  observe(percent: number): void {
    if (this.phase === 'settling' && !this.waiting && percent === this.lastSent) this.toIdle();
  }

  dispose(): void {
    this.cancelFrame();
    this.clearSettleTimer();
  }

  /** Holds later changes until `sent` is answered (or, without an answer to wait for, until the next frame). */
  private awaitAnswer(sent: Sent): void {
    if (isAnswer(sent)) {
      const command = ++this.commands;
      this.unanswered = command;
      const answered = () => {
        if (this.unanswered !== command) return;
        this.unanswered = null;
        this.sendWaiting();
      };
      sent.then(answered, answered);
      return;
    }
    this.frame = this.frames.request(() => {
      this.frame = null;
      this.sendWaiting();
    });
  }

  private sendWaiting(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.awaitAnswer(this.flush());
  }

  /** Sends the value being moved unless it went out already; gives the sender's answer. */
  private flush(): Sent {
    if (this.local === null || this.local === this.lastSent) return undefined;
    this.lastSent = this.local;
    return this.send(this.local);
  }

  private toIdle(): void {
    this.clearSettleTimer();
    this.phase = 'idle';
    this.setLocal(null);
  }

  private setLocal(percent: number | null): void {
    if (percent === this.local) return;
    this.local = percent;
    for (const listener of this.listeners) listener();
  }

  private restartSettleTimer(): void {
    this.clearSettleTimer();
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      // No echo came (the command failed, or the backend rounded): show the truth again.
      this.cancelFrame();
      this.flush();
      this.toIdle();
    }, this.settleMs);
  }

  private clearSettleTimer(): void {
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.settleTimer = null;
  }

  /** Stops waiting for the last command's answer (or frame); what waited is dropped or sent by the caller. */
  private cancelFrame(): void {
    if (this.frame !== null) this.frames.cancel(this.frame);
    this.frame = null;
    this.unanswered = null;
    this.waiting = false;
  }
}
