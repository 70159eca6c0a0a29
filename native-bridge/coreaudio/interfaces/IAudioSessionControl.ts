import { defineInterface, guidRef, IUnknown, method, object, outCoTaskString, outGuid, outInt, wstr } from '../../com/interface';

export const IAudioSessionControl = defineInterface({
  name: 'IAudioSessionControl',
  iid: '{F4B1A599-7266-4319-A8CA-E70ACB11E8CD}',
  parent: IUnknown,
  methods: {
    GetState: method(outInt('AudioSessionState*')),
    GetDisplayName: method(outCoTaskString('LPWSTR*')),
    SetDisplayName: method(wstr('LPCWSTR'), guidRef('LPCGUID')),
    GetIconPath: method(outCoTaskString('LPWSTR*')),
    SetIconPath: method(wstr('LPCWSTR'), guidRef('LPCGUID')),
    GetGroupingParam: method(outGuid('GUID*')),
    SetGroupingParam: method(guidRef('LPCGUID'), guidRef('LPCGUID')),
    RegisterAudioSessionNotification: method(object('IAudioSessionEvents*')),
    UnregisterAudioSessionNotification: method(object('IAudioSessionEvents*')),
  },
});
