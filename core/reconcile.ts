// Bringing the engine host's store in line with what the backend lists, for backends whose
// events are not complete (AudioBackend.pollIntervalMs) and for a device that appears (its
// sessions are listed, which is also what starts their notifications, R22). Guarantees:
// - what a notification would have told (a new or changed device, a device or session that
//   is gone, a session that appeared or changed state) becomes that event, logged with
//   source 'poll', exactly as if the backend had sent it;
// - other drift (a missed volume or name notification) is corrected in the store without
//   an event: the clients get the fields in the next patch;
// - polls never overlap: a tick while the last one still runs is skipped, not queued;
//   a failed poll is reported through onError and the next tick tries again; none after stop().
import type { AudioBackend, BackendEvent, SessionRecord } from '../native-bridge/types';
import type { KnownRecords, SessionChanges } from '../native-bridge/session-events';
import { changedSessionFields, sameDevice } from '../native-bridge/session-events';
import { messageOf } from './command-errors';

/** What reconciling changes in the host. */
export interface ReconciledHost {
  readonly known: KnownRecords;
  /** Something the backend did not notify: applied and logged as if it had (source 'poll'). */
  onPolledEvent(event: BackendEvent): void;
  /** Drift the store takes without an event: the listed record, and its fields that differ. */
  correct(listed: SessionRecord, changes: SessionChanges): void;
}

export class Reconciler {
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private stopped = false;

  constructor(
    private readonly backend: AudioBackend,
    private readonly host: ReconciledHost,
    private readonly onError: (message: string) => void,
  ) {}

  /** Re-reads everything from the backend and reconciles the store with it. */
  async reconcile(): Promise<void> {
    const { known } = this.host;
    const devices = await this.backend.listDevices();
    const seenDevices = new Set(devices.map((device) => device.id));
    for (const device of devices) {
      const before = known.devices.get(device.id);
      // Devices found by a poll are logged only when new or changed.
      if (before && sameDevice(before, device)) continue;
      this.host.onPolledEvent(before ? { type: 'device-changed', device } : { type: 'device-added', device });
    }
    for (const id of [...known.devices.keys()]) {
      if (!seenDevices.has(id)) this.host.onPolledEvent({ type: 'device-removed', deviceId: id });
    }
    const listed = await Promise.all(devices.map((device) => this.backend.listSessions(device.id)));
    const seenSessions = new Set<string>();
    for (const session of listed.flat()) {
      seenSessions.add(session.id);
      this.reconcileSession(session);
    }
    for (const session of [...known.sessions.values()]) {
      if (!seenSessions.has(session.id)) {
        this.host.onPolledEvent({ type: 'state-changed', sessionId: session.id, state: 'expired', terminated: true });
      }
    }
  }

  /** Lists a new device's sessions (which starts their notifications, R22); a failure is reported, not thrown. */
  async listDeviceSessions(deviceId: string): Promise<void> {
    try {
      for (const session of await this.backend.listSessions(deviceId)) this.reconcileSession(session);
    } catch (error) {
      this.onError(`listing the sessions of new device ${deviceId} failed: ${messageOf(error)}`);
    }
  }

  startPolling(intervalMs: number): void {
    const tick = async () => {
      if (this.stopped) return;
      if (!this.polling) {
        this.polling = true;
        try {
          await this.reconcile();
        } catch (error) {
          this.onError(`reconcile poll failed: ${messageOf(error)}`);
        } finally {
          this.polling = false;
        }
      }
      if (!this.stopped) this.pollTimer = setTimeout(tick, intervalMs).unref();
    };
    this.pollTimer = setTimeout(tick, intervalMs).unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
  }

  /** A session seen by a listing: new ones and state changes become events, as if notified. */
  private reconcileSession(listed: SessionRecord): void {
    const known = this.host.known.sessions.get(listed.id);
    if (!known) {
      this.host.onPolledEvent({ type: 'session-created', session: listed });
      return;
    }
    const changes = changedSessionFields(known, listed);
    if (!changes) return;
    if (changes.state !== undefined) {
      this.host.onPolledEvent({ type: 'state-changed', sessionId: listed.id, state: listed.state, terminated: false });
    }
    // Other drift (missed volume or name notifications) is corrected silently in the store.
    this.host.correct(listed, changes);
  }
}
