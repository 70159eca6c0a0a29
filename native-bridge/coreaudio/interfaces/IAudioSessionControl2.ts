import { bool, defineInterface, method, outCoTaskString, outUint } from '../../com/interface';
import { IAudioSessionControl } from './IAudioSessionControl';

export const IAudioSessionControl2 = defineInterface({
  name: 'IAudioSessionControl2',
  iid: '{BFB7FF88-7239-4FC9-8FA2-07C950BE9C6D}',
  parent: IAudioSessionControl,
  methods: {
    GetSessionIdentifier: method(outCoTaskString('LPWSTR*')),
    GetSessionInstanceIdentifier: method(outCoTaskString('LPWSTR*')),
    /** AUDCLNT_S_NO_SINGLE_PROCESS (a success code) for a cross-process session. */
    GetProcessId: method(outUint('DWORD*')),
    /** S_OK for the System Sounds session, S_FALSE for any other. */
    IsSystemSoundsSession: method(),
    SetDuckingPreference: method(bool('WINBOOL')),
  },
});
