import { defineInterface, float, guidRef, IUnknown, method, outFloat, outUint, pointer, uint } from '../../com/interface';

export const IChannelAudioVolume = defineInterface({
  name: 'IChannelAudioVolume',
  iid: '{1C158861-B533-4B30-B1CF-E853E51C59B8}',
  parent: IUnknown,
  methods: {
    GetChannelCount: method(outUint('UINT32*')),
    SetChannelVolume: method(uint('UINT32'), float('float'), guidRef('LPCGUID')),
    GetChannelVolume: method(uint('UINT32'), outFloat('float*')),
    SetAllVolumes: method(uint('UINT32'), pointer('const float*'), guidRef('LPCGUID')),
    GetAllVolumes: method(uint('UINT32'), pointer('float*')),
  },
});
