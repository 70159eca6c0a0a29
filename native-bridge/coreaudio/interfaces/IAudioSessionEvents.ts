// A sink: SndMix implements it (see ../../com/sink.ts); Core Audio calls it.
import { bool, defineInterface, float, guidRef, int, IUnknown, method, pointer, uint, wstr } from '../../com/interface';

export const IAudioSessionEvents = defineInterface({
  name: 'IAudioSessionEvents',
  iid: '{24918ACC-64B3-37C1-8CA9-74A66E9957A8}',
  parent: IUnknown,
  methods: {
    OnDisplayNameChanged: method(wstr('LPCWSTR'), guidRef('LPCGUID')),
    OnIconPathChanged: method(wstr('LPCWSTR'), guidRef('LPCGUID')),
    OnSimpleVolumeChanged: method(float('float'), bool('WINBOOL'), guidRef('LPCGUID')),
    /** The float array holds ChannelCount volumes. */
    OnChannelVolumeChanged: method(
      uint('DWORD'),
      pointer('float*', { kind: 'array', countArg: 0, itemSize: 4 }),
      uint('DWORD'),
      guidRef('LPCGUID'),
    ),
    OnGroupingParamChanged: method(guidRef('LPCGUID'), guidRef('LPCGUID')),
    OnStateChanged: method(int('AudioSessionState')),
    OnSessionDisconnected: method(int('AudioSessionDisconnectReason')),
  },
});
