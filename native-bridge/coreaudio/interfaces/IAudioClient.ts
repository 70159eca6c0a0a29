// Used only by tests, to open streams in chosen sessions.
import {
  defineInterface,
  guidRef,
  iid,
  int,
  int64,
  IUnknown,
  method,
  outInt64,
  outPointer,
  outRequestedObject,
  outUint,
  pointer,
  uint,
} from '../../com/interface';

export const IAudioClient = defineInterface({
  name: 'IAudioClient',
  iid: '{1CB9AD4C-DBFA-4C32-B178-C2F568A703B2}',
  parent: IUnknown,
  methods: {
    Initialize: method(
      int('AUDCLNT_SHAREMODE'),
      uint('DWORD'),
      int64('REFERENCE_TIME'),
      int64('REFERENCE_TIME'),
      pointer('const WAVEFORMATEX*'),
      guidRef('LPCGUID'),
    ),
    GetBufferSize: method(outUint('UINT32*')),
    GetStreamLatency: method(outInt64('REFERENCE_TIME*')),
    GetCurrentPadding: method(outUint('UINT32*')),
    IsFormatSupported: method(int('AUDCLNT_SHAREMODE'), pointer('const WAVEFORMATEX*'), outPointer('WAVEFORMATEX**')),
    GetMixFormat: method(outPointer('WAVEFORMATEX**')),
    GetDevicePeriod: method(outInt64('REFERENCE_TIME*'), outInt64('REFERENCE_TIME*')),
    Start: method(),
    Stop: method(),
    Reset: method(),
    SetEventHandle: method(pointer('HANDLE')),
    GetService: method(iid('REFIID'), outRequestedObject('void**')),
  },
});
