import { defineInterface, method, object, outObject, wstr } from '../../com/interface';
import { IAudioSessionEnumerator } from './IAudioSessionEnumerator';
import { IAudioSessionManager } from './IAudioSessionManager';

export const IAudioSessionManager2 = defineInterface({
  name: 'IAudioSessionManager2',
  iid: '{77AA99A0-1BD6-484F-8BC7-2C654C9A9B6F}',
  parent: IAudioSessionManager,
  methods: {
    GetSessionEnumerator: method(outObject('IAudioSessionEnumerator**', IAudioSessionEnumerator)),
    RegisterSessionNotification: method(object('IAudioSessionNotification*')),
    UnregisterSessionNotification: method(object('IAudioSessionNotification*')),
    RegisterDuckNotification: method(wstr('LPCWSTR'), object('IAudioVolumeDuckNotification*')),
    UnregisterDuckNotification: method(object('IAudioVolumeDuckNotification*')),
  },
});
