// Sessions that started playing in the last RECENTLY_HEARD_MS: "what just made that sound?".
// A session is heard when it becomes active (created active, or inactive -> active); an
// entry stays for the whole window even when the session ends (a short sound is the point).
import type { SessionRecord } from '../native-bridge/types';
import type { HeardEntry } from './contract';
import { RECENTLY_HEARD_MS } from './contract';
import { appKeyOf } from './app-identity';

/** At most this many entries are kept (a burst of notification sounds must not grow without end). */
export const RECENTLY_HEARD_LIMIT = 50;

export class RecentlyHeard {
  private heard: HeardEntry[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs: number = RECENTLY_HEARD_MS,
  ) {}

  /** The session started playing now. */
  add(session: SessionRecord): void {
    const entry: HeardEntry = {
      sessionId: session.id,
      appKey: appKeyOf(session),
      displayName: session.displayName,
      deviceId: session.deviceId,
      time: this.now(),
    };
    this.heard = [entry, ...this.heard.filter((known) => known.sessionId !== session.id)].slice(0, RECENTLY_HEARD_LIMIT);
  }

  /** Drops what is older than the window; returns whether anything was dropped. */
  prune(): boolean {
    const cutoff = this.now() - this.windowMs;
    const kept = this.heard.filter((entry) => entry.time > cutoff);
    const dropped = kept.length !== this.heard.length;
    this.heard = kept;
    return dropped;
  }

  /** When the oldest entry leaves the window (epoch ms), or null when empty. */
  nextExpiry(): number | null {
    const oldest = this.heard.at(-1);
    return oldest ? oldest.time + this.windowMs : null;
  }

  entries(): HeardEntry[] {
    return [...this.heard];
  }
}
