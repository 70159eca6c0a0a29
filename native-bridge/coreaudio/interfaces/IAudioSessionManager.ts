import { defineInterface, guidRef, IUnknown, method, outObject, uint } from '../../com/interface';
import { IAudioSessionControl } from './IAudioSessionControl';
import { ISimpleAudioVolume } from './ISimpleAudioVolume';

export const IAudioSessionManager = defineInterface({
  name: 'IAudioSessionManager',
  iid: '{BFA971F1-4D5E-40BB-935E-967039BFBEE4}',
  parent: IUnknown,
  methods: {
    GetAudioSessionControl: method(guidRef('LPCGUID'), uint('DWORD'), outObject('IAudioSessionControl**', IAudioSessionControl)),
    GetSimpleAudioVolume: method(guidRef('LPCGUID'), uint('DWORD'), outObject('ISimpleAudioVolume**', ISimpleAudioVolume)),
  },
});
