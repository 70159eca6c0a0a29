// What changed in the engine host's store since the last flush, turned into one patch
// message (contract.ts ResolvedMessage 'patch'; icon-table.ts turns it into the wire form). The store's changes come in as
// native-bridge/session-events.ts RecordChanges, in the order they happened; take() hands
// out everything since the last take() and starts over. Guarantees:
// - a session added and changed within one window goes out once, as added, with its latest
//   fields; changes to one session fold into one entry (later fields win);
// - a session added and removed within one window never reaches the clients; one removed
//   and added again goes out as added (its removal is dropped);
// - a device upserted and removed goes out as removed, and the other way round as upserted;
// - an empty window gives no patch (null), never an empty message.
import type { DeviceRecord, SessionRecord } from '../native-bridge/types';
import type { RecordChange, SessionChanges } from '../native-bridge/session-events';
import type { ResolvedMessage } from './contract';

export type PatchMessage = Extract<ResolvedMessage, { type: 'patch' }>;

/** A patch that changes no record, for a flush that only carries the host's own state. */
export function emptyPatch(): PatchMessage {
  return { type: 'patch', devices: { upserted: [], removed: [] }, sessions: { added: [], changed: [], removed: [] } };
}

export class PendingDiff {
  private added = new Map<string, SessionRecord>();
  private changed = new Map<string, SessionChanges>();
  private removed = new Set<string>();
  private devices = new Map<string, DeviceRecord>();
  private removedDevices = new Set<string>();

  /** Takes in what changed in the store. */
  record(changes: readonly RecordChange[]): void {
    for (const change of changes) {
      switch (change.kind) {
        case 'session-added':
          this.add(change.session);
          break;
        case 'session-changed':
          this.change(change.id, change.changes);
          break;
        case 'session-removed':
          this.remove(change.id);
          break;
        case 'device-upserted':
          this.upsertDevice(change.device);
          break;
        case 'device-removed':
          this.removeDevice(change.id);
          break;
      }
    }
  }

  add(session: SessionRecord): void {
    this.removed.delete(session.id);
    this.changed.delete(session.id);
    this.added.set(session.id, session);
  }

  change(id: string, changes: SessionChanges): void {
    const added = this.added.get(id);
    if (added) {
      this.added.set(id, { ...added, ...changes });
      return;
    }
    this.changed.set(id, { ...this.changed.get(id), ...changes });
  }

  remove(id: string): void {
    this.changed.delete(id);
    // A session born and gone within one frame never reaches the clients.
    if (!this.added.delete(id)) this.removed.add(id);
  }

  upsertDevice(device: DeviceRecord): void {
    this.removedDevices.delete(device.id);
    this.devices.set(device.id, device);
  }

  removeDevice(id: string): void {
    this.devices.delete(id);
    this.removedDevices.add(id);
  }

  take(): PatchMessage | null {
    const empty =
      this.added.size + this.changed.size + this.removed.size + this.devices.size + this.removedDevices.size === 0;
    if (empty) return null;
    const patch: PatchMessage = {
      type: 'patch',
      devices: { upserted: [...this.devices.values()], removed: [...this.removedDevices] },
      sessions: {
        added: [...this.added.values()],
        changed: [...this.changed.entries()].map(([id, changes]) => ({ id, changes })),
        removed: [...this.removed],
      },
    };
    this.added = new Map();
    this.changed = new Map();
    this.removed = new Set();
    this.devices = new Map();
    this.removedDevices = new Set();
    return patch;
  }
}
