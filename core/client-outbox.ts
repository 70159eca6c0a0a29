// Backpressure for one transport client (a WebSocket, an Electron window). Guarantees:
//  - what waits for a client is bounded by `highWater` (plus one frame): past it, meter
//    frames are dropped and state frames (snapshot, patch, events) are not sent at all: the
//    client is marked stale, and once its backlog is back under `lowWater` it gets one fresh
//    snapshot, which supersedes every patch it missed (coalescing without keeping them);
//  - a client congested for longer than `behindLimitMs` is closed with a reason it can act on
//    (reconnect and resync), so a peer that never reads cannot hold the server's memory;
//  - command results are always sent: the transport stops reading requests while the client
//    is congested (`onCongestion`), which bounds them.
// The transport says what "backlog" means: unsent bytes for a WebSocket, unacknowledged
// messages for IPC.
import type { ServerMessage } from './contract';

export type OutboxFrame = ServerMessage | { type: 'result' };

export interface OutboxOptions<Frame extends OutboxFrame> {
  /** How much the client has not taken yet. */
  backlog(): number;
  write(frame: Frame): void;
  /** Ask the engine host for a fresh snapshot (sent through `send` like any other). */
  resync(): void;
  /** The client stayed behind too long: close it, telling it why. */
  closeBehind(reason: string): void;
  /** Congested (true): stop reading the client's requests; false: read again. */
  onCongestion?(congested: boolean): void;
  highWater: number;
  lowWater: number;
  behindLimitMs: number;
  /** How often a congested client's backlog is looked at. */
  checkIntervalMs?: number;
}

export interface OutboxStats {
  /** State frames not sent because the client was behind. */
  coalesced: number;
  /** Meter frames dropped. */
  droppedPeaks: number;
  resyncs: number;
}

export class ClientOutbox<Frame extends OutboxFrame> {
  readonly stats: OutboxStats = { coalesced: 0, droppedPeaks: 0, resyncs: 0 };
  private readonly options: OutboxOptions<Frame>;
  private subscribed = false;
  private staleSince: number | null = null;
  /** When the backlog last went over highWater; null while under it. */
  private congestedSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: OutboxOptions<Frame>) {
    this.options = options;
  }

  /** True while the client misses state and will be resynced. */
  get stale(): boolean {
    return this.staleSince !== null;
  }

  /** False when the frame was not written (dropped or coalesced), so the sender can tell. */
  send(frame: Frame): boolean {
    if (this.closed) return false;
    if (frame.type === 'snapshot') this.subscribed = true;
    const over = this.options.backlog() > this.options.highWater;
    if (over) this.setCongested(true);
    switch (frame.type) {
      case 'result':
        this.options.write(frame);
        return true;
      case 'peaks':
        if (over || this.stale) {
          this.stats.droppedPeaks += 1;
          return false;
        }
        this.options.write(frame);
        return true;
      case 'snapshot':
      case 'patch':
      case 'events':
        if (over && !this.stale) this.staleSince = Date.now();
        if (this.stale) {
          this.stats.coalesced += 1;
          return false;
        }
        this.options.write(frame);
        return true;
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private setCongested(congested: boolean): void {
    if ((this.congestedSince !== null) === congested) return;
    this.congestedSince = congested ? Date.now() : null;
    this.options.onCongestion?.(congested);
    if (congested && !this.timer) {
      this.timer = setInterval(() => this.check(), this.options.checkIntervalMs ?? 50);
      this.timer.unref();
    }
  }

  private check(): void {
    if (this.closed) return;
    if (this.options.backlog() <= this.options.lowWater) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      this.setCongested(false);
      if (this.staleSince !== null) {
        this.staleSince = null;
        if (this.subscribed) {
          this.stats.resyncs += 1;
          this.options.resync();
        }
      }
      return;
    }
    if (this.congestedSince !== null && Date.now() - this.congestedSince > this.options.behindLimitMs) {
      const seconds = Math.round(this.options.behindLimitMs / 1000);
      this.close();
      this.options.closeBehind(`fell more than ${seconds} s behind: reconnect and subscribe again for a fresh snapshot`);
    }
  }
}
