import { describe, expect, it } from 'vitest';
import { guidBytes } from '../com/guid';
import type { NativeAccess } from '../com/interface';
import { AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT, readFloats, readVolumeNotification } from './structs';

function memory(base: bigint, bytes: Buffer): NativeAccess {
  return {
    read: (address, length) => Buffer.from(bytes.subarray(Number(address - base), Number(address - base) + length)),
    readWideString: () => '',
    coTaskMemFree: () => undefined,
    propVariantClear: () => undefined,
  };
}

describe('Core Audio structs', () => {
  it('reads AUDIO_VOLUME_NOTIFICATION_DATA with its channel array', () => {
    const { offsets } = AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT;
    const data = Buffer.alloc(offsets.afChannelVolumes + 8);
    guidBytes('{87CE5498-68D6-44E5-9215-6DA47EF883D8}').copy(data, offsets.guidEventContext);
    data.writeInt32LE(1, offsets.bMuted);
    data.writeFloatLE(0.5, offsets.fMasterVolume);
    data.writeUInt32LE(2, offsets.nChannels);
    data.writeFloatLE(0.25, offsets.afChannelVolumes);
    data.writeFloatLE(0.75, offsets.afChannelVolumes + 4);
    expect(readVolumeNotification(memory(0x5000n, data), 0x5000n)).toEqual({
      eventContext: '{87CE5498-68D6-44E5-9215-6DA47EF883D8}',
      muted: true,
      masterVolume: 0.5,
      channelVolumes: [0.25, 0.75],
    });
  });

  it('reads float arrays, nothing for NULL or a zero count', () => {
    const bytes = Buffer.alloc(8);
    bytes.writeFloatLE(0.5, 0);
    bytes.writeFloatLE(1, 4);
    expect(readFloats(memory(0x100n, bytes), 0x100n, 2)).toEqual([0.5, 1]);
    expect(readFloats(memory(0x100n, bytes), 0n, 2)).toEqual([]);
    expect(readFloats(memory(0x100n, bytes), 0x100n, 0)).toEqual([]);
  });
});
