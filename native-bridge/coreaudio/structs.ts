// Core Audio structs read from native memory, with their x64 layouts (checked by the
// conformance probe against the headers).
import { readGuid } from '../com/guid';
import type { NativeAccess, StructLayout } from '../com/interface';

export const AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT = {
  struct: 'AUDIO_VOLUME_NOTIFICATION_DATA',
  // Ends in a variable-length array: nChannels floats from afChannelVolumes on.
  size: null,
  offsets: { guidEventContext: 0, bMuted: 16, fMasterVolume: 20, nChannels: 24, afChannelVolumes: 28 },
} as const;

export const CORE_AUDIO_LAYOUTS: readonly StructLayout[] = [AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT];

export interface VolumeNotification {
  eventContext: string;
  muted: boolean;
  masterVolume: number;
  channelVolumes: number[];
}

/** Channel counts above this are treated as corrupt data rather than read. */
const MAX_CHANNELS = 64;

export function readVolumeNotification(native: NativeAccess, address: bigint): VolumeNotification {
  const { offsets } = AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT;
  const head = native.read(address, offsets.afChannelVolumes);
  const channels = Math.min(head.readUInt32LE(offsets.nChannels), MAX_CHANNELS);
  const volumes = native.read(address + BigInt(offsets.afChannelVolumes), channels * 4);
  return {
    eventContext: readGuid(head, offsets.guidEventContext),
    muted: head.readInt32LE(offsets.bMuted) !== 0,
    masterVolume: head.readFloatLE(offsets.fMasterVolume),
    channelVolumes: Array.from({ length: channels }, (_, index) => volumes.readFloatLE(index * 4)),
  };
}

/** Reads `count` floats at an address (OnChannelVolumeChanged's array). */
export function readFloats(native: NativeAccess, address: bigint, count: number): number[] {
  const safeCount = Math.min(Math.max(count, 0), MAX_CHANNELS);
  if (address === 0n || safeCount === 0) return [];
  const bytes = native.read(address, safeCount * 4);
  return Array.from({ length: safeCount }, (_, index) => bytes.readFloatLE(index * 4));
}
