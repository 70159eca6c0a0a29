// A sink: SndMix implements it (see ../../com/sink.ts); Core Audio calls it.
import { defineInterface, IUnknown, method, pointer } from '../../com/interface';
import { AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT } from '../structs';

const { offsets } = AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT;

export const IAudioEndpointVolumeCallback = defineInterface({
  name: 'IAudioEndpointVolumeCallback',
  iid: '{657804FA-D6AD-4496-8A60-352752AF4F89}',
  parent: IUnknown,
  methods: {
    /** Points to an AUDIO_VOLUME_NOTIFICATION_DATA (see ../structs.ts). */
    OnNotify: method(
      pointer('AUDIO_VOLUME_NOTIFICATION_DATA*', {
        kind: 'struct-with-array',
        header: offsets.afChannelVolumes,
        countOffset: offsets.nChannels,
        itemSize: 4,
      }),
    ),
  },
});
