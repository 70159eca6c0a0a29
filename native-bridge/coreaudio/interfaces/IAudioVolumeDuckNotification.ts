// A sink: SndMix implements it (see ../../com/sink.ts); Core Audio calls it.
import { defineInterface, IUnknown, method, uint, wstr } from '../../com/interface';

export const IAudioVolumeDuckNotification = defineInterface({
  name: 'IAudioVolumeDuckNotification',
  iid: '{C3B284D4-6D39-4359-B3CF-B56DDB3BB39C}',
  parent: IUnknown,
  methods: {
    OnVolumeDuckNotification: method(wstr('LPCWSTR'), uint('UINT32')),
    OnVolumeUnduckNotification: method(wstr('LPCWSTR')),
  },
});
