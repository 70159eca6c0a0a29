// AudioSessionDisconnectReason (R21) between the enum's numbers and SndMix's names
// (types.ts DISCONNECT_REASONS lists the names in the enum's order).
import type { DisconnectReason } from '../types';
import { DISCONNECT_REASONS } from '../types';

/** The reason an OnSessionDisconnected number stands for; an unknown number reads as session-disconnected. */
export function disconnectReasonOf(code: number): DisconnectReason {
  return DISCONNECT_REASONS[code] ?? 'session-disconnected';
}

/** The AudioSessionDisconnectReason number of a reason. */
export function disconnectReasonCode(reason: DisconnectReason): number {
  return DISCONNECT_REASONS.indexOf(reason);
}
