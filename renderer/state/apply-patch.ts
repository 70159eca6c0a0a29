// How a `patch` message changes the devices and sessions a client knows: one definition
// for the mixer store (on copies) and the timeline's tracker (in place).
import type { ResolvedMessage } from '../../core/contract';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';

export type PatchMessage = Extract<ResolvedMessage, { type: 'patch' }>;

export function patchDevices(devices: Map<string, DeviceRecord>, patch: PatchMessage): void {
  for (const device of patch.devices.upserted) devices.set(device.id, device);
  for (const deviceId of patch.devices.removed) devices.delete(deviceId);
}

export function patchSessions(sessions: Map<string, SessionRecord>, patch: PatchMessage): void {
  for (const session of patch.sessions.added) sessions.set(session.id, session);
  for (const { id, changes } of patch.sessions.changed) {
    const current = sessions.get(id);
    // A change for a session never seen cannot be applied; the next snapshot heals it.
    if (current) sessions.set(id, { ...current, ...changes, id });
  }
  for (const sessionId of patch.sessions.removed) sessions.delete(sessionId);
}
