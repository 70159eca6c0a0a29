// The engine host's own state beside the backend's records (contract.ts HostState): session
// notes (change origin), preferences, profiles and the recently heard list, and which of
// them changed since the last patch. The host tells it what happened to the records; it
// knows nothing of clients or transports.
import type { BackendEvent, SessionRecord } from '../native-bridge/types';
import type { HostState, SessionNote } from './contract';
import { ChangeTracker } from './change-origin';
import { PreferencesStore } from './preferences';
import { ProfileStore } from './profiles';
import { RecentlyHeard } from './recently-heard';

export interface HostStateOptions {
  /** Where preferences and profiles are kept; null: in memory only. */
  stateDir: string | null;
  /** The backend's volume events carry other programs' contexts (Capabilities.foreignEventContexts). */
  foreignEventContexts: boolean;
  now?: () => number;
}

export class HostStateKeeper {
  readonly tracker: ChangeTracker;
  readonly heard: RecentlyHeard;
  readonly preferences: PreferencesStore;
  readonly profiles: ProfileStore;
  private changedNotes = new Map<string, SessionNote>();
  private changedParts = new Set<'preferences' | 'profiles' | 'recentlyHeard'>();

  constructor(options: HostStateOptions) {
    const now = options.now ?? Date.now;
    this.tracker = new ChangeTracker(options.foreignEventContexts, now);
    this.heard = new RecentlyHeard(now);
    this.preferences = new PreferencesStore(options.stateDir);
    this.profiles = new ProfileStore(options.stateDir);
  }

  /** What loading the state files found wrong, for the user. */
  loadProblems(): string[] {
    return [...this.preferences.problems, ...this.profiles.list().problems];
  }

  /** A backend event was applied: `before` and `after` are the session it named, when there is one. */
  onEvent(event: BackendEvent, before: SessionRecord | undefined, after: SessionRecord | undefined): void {
    switch (event.type) {
      case 'session-created':
        if (event.session.state === 'active') this.hear(event.session);
        this.changedNotes.set(event.session.id, this.tracker.noteOf(event.session));
        return;
      case 'state-changed':
        if (after && before?.state !== 'active' && event.state === 'active') this.hear(after);
        if (event.terminated) this.tracker.forget(event.sessionId);
        return;
      case 'volume-changed':
      case 'channel-volume-changed':
        if (before && after) this.recordChange(before, after, event.eventContext);
        return;
      case 'duck':
      case 'unduck':
        this.tracker.noteDucking(event.deviceId);
        return;
      case 'display-name-changed':
      case 'icon-changed':
      case 'grouping-changed':
      case 'disconnected':
      case 'streams-changed':
      case 'output-route-changed':
      case 'device-added':
      case 'device-removed':
      case 'device-changed':
      case 'default-device-changed':
        return;
    }
  }

  /** A session's levels changed by a change with this context (a backend event or SndMix's own command). */
  recordChange(before: SessionRecord, after: SessionRecord, context: string): void {
    if (this.tracker.record(before, after, context)) this.changedNotes.set(after.id, this.tracker.noteOf(after));
  }

  markChanged(part: 'preferences' | 'profiles' | 'recentlyHeard'): void {
    this.changedParts.add(part);
  }

  /** Drops expired recently heard entries; returns when the next one expires (epoch ms), or null. */
  pruneHeard(): number | null {
    if (this.heard.prune()) this.markChanged('recentlyHeard');
    return this.heard.nextExpiry();
  }

  snapshot(sessions: readonly SessionRecord[]): HostState {
    this.pruneHeard();
    return {
      notes: Object.fromEntries(sessions.map((session) => [session.id, this.tracker.noteOf(session)])),
      preferences: this.preferences.all(),
      profiles: this.profiles.list(),
      recentlyHeard: this.heard.entries(),
    };
  }

  /** The parts changed since the last call (notes only of sessions still known), or null when none. */
  take(known: ReadonlyMap<string, SessionRecord>): Partial<HostState> | null {
    const part: Partial<HostState> = {};
    const notes = [...this.changedNotes].filter(([id]) => known.has(id));
    if (notes.length > 0) part.notes = Object.fromEntries(notes);
    if (this.changedParts.has('preferences')) part.preferences = this.preferences.all();
    if (this.changedParts.has('profiles')) part.profiles = this.profiles.list();
    if (this.changedParts.has('recentlyHeard')) part.recentlyHeard = this.heard.entries();
    this.changedNotes = new Map();
    this.changedParts = new Set();
    return Object.keys(part).length > 0 ? part : null;
  }

  private hear(session: SessionRecord): void {
    this.heard.add(session);
    this.markChanged('recentlyHeard');
  }
}
