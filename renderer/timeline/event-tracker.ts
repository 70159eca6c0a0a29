// Follows the server's messages the way the timeline needs them: keeps the values last
// seen per session and device (to give every event its old values), the sessions'
// state histories, and a count of events the server logged that never reached us.
//
// Order matters. The engine host applies an event to its store, then each flush sends
// the coalesced `patch` first and that flush's `events` right after it. So a patch is
// held back until the next message: when that is `events`, their old values are read
// before the patch is applied; otherwise (a patch of its own: a command's accepted value,
// a reconcile poll's silent correction) it is applied first.
import type { KnownRecords, LoggedEvent, ResolvedMessage } from '../../core/contract';
import { applyEvent } from '../../core/contract';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';
import type { TimelineEntry } from './describe-event';
import { describeEvent } from './describe-event';
import type { PatchMessage } from '../state/apply-patch';
import { patchDevices, patchSessions } from '../state/apply-patch';
import { SessionHistories } from './session-history';

export interface TrackerUpdate {
  /** One entry per event of an `events` message; empty for other messages. */
  entries: TimelineEntry[];
  /** True when the sessions known or their histories changed (filter lists, the inspector). */
  sessionsChanged: boolean;
}

export class EventTracker {
  readonly known: KnownRecords = { sessions: new Map<string, SessionRecord>(), devices: new Map<string, DeviceRecord>() };
  readonly histories: SessionHistories;
  /** Events the server logged that this client never received (seen as gaps in `seq`). */
  missed = 0;
  private lastSeq: number | null = null;
  private heldPatch: PatchMessage | null = null;
  private nextEntryId = 1;

  constructor(histories = new SessionHistories()) {
    this.histories = histories;
  }

  apply(message: ResolvedMessage, receivedAt: number): TrackerUpdate {
    if (message.type === 'events') {
      const update = this.applyEvents(message.events);
      this.releaseHeldPatch();
      return update;
    }
    this.releaseHeldPatch();
    switch (message.type) {
      case 'snapshot':
        return { entries: [], sessionsChanged: this.applySnapshot(message, receivedAt) };
      case 'patch':
        this.heldPatch = message;
        return { entries: [], sessionsChanged: false };
      case 'peaks':
        return { entries: [], sessionsChanged: false };
    }
  }

  private applySnapshot(snapshot: Extract<ResolvedMessage, { type: 'snapshot' }>, receivedAt: number): boolean {
    const listed = new Set(snapshot.sessions.map((session) => session.id));
    // Sessions we knew that the snapshot lacks ended while we were not connected.
    for (const sessionId of this.known.sessions.keys()) {
      if (!listed.has(sessionId)) this.histories.unlisted(sessionId, receivedAt);
    }
    this.known.sessions.clear();
    this.known.devices.clear();
    for (const session of snapshot.sessions) {
      this.known.sessions.set(session.id, session);
      this.histories.seen(session, receivedAt);
    }
    for (const device of snapshot.devices) this.known.devices.set(device.id, device);
    return true;
  }

  private applyEvents(events: readonly LoggedEvent[]): TrackerUpdate {
    let sessionsChanged = false;
    const entries = events.map((event) => {
      this.countGap(event.seq);
      const entry: TimelineEntry = { ...describeEvent(event, this.known), id: this.nextEntryId++ };
      const before = 'sessionId' in event ? this.known.sessions.get(event.sessionId) : undefined;
      applyEvent(this.known, event);
      if (this.recordHistory(event, before)) sessionsChanged = true;
      return entry;
    });
    return { entries, sessionsChanged };
  }

  /** Returns true when a session's history or identity moved. */
  private recordHistory(event: LoggedEvent, before: SessionRecord | undefined): boolean {
    if (event.type === 'session-created') {
      this.histories.created(event.session, event.time, event.seq);
      return true;
    }
    if (!before || !('sessionId' in event)) return false;
    const after = this.known.sessions.get(event.sessionId) ?? before;
    switch (event.type) {
      case 'state-changed':
        this.histories.stateChanged(after, event.state, event.terminated, event.time, event.seq);
        return true;
      case 'disconnected':
        this.histories.disconnected(after, event.reason, event.time, event.seq);
        return true;
      // What the inspector shows of a session that ended: its last name, icon, grouping and titles.
      case 'display-name-changed':
      case 'icon-changed':
      case 'grouping-changed':
      case 'streams-changed':
        this.histories.identityChanged(after);
        return true;
      case 'volume-changed':
      case 'channel-volume-changed':
      case 'output-route-changed':
      case 'duck':
      case 'unduck':
        return false;
    }
  }

  private countGap(seq: number): void {
    // A lower number means a new server run (its log restarted), not a gap.
    if (this.lastSeq !== null && seq > this.lastSeq + 1) this.missed += seq - this.lastSeq - 1;
    this.lastSeq = seq;
  }

  private releaseHeldPatch(): void {
    const patch = this.heldPatch;
    if (!patch) return;
    this.heldPatch = null;
    patchDevices(this.known.devices, patch);
    patchSessions(this.known.sessions, patch);
  }
}
