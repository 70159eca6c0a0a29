import { bool, defineInterface, float, guidRef, IUnknown, method, outBool, outFloat } from '../../com/interface';

export const ISimpleAudioVolume = defineInterface({
  name: 'ISimpleAudioVolume',
  iid: '{87CE5498-68D6-44E5-9215-6DA47EF883D8}',
  parent: IUnknown,
  methods: {
    SetMasterVolume: method(float('float'), guidRef('LPCGUID')),
    GetMasterVolume: method(outFloat('float*')),
    SetMute: method(bool('WINBOOL'), guidRef('LPCGUID')),
    GetMute: method(outBool('WINBOOL*')),
  },
});
