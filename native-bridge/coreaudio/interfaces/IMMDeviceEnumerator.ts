import { defineInterface, int, IUnknown, method, object, outObject, uint, wstr } from '../../com/interface';
import { IMMDevice } from './IMMDevice';
import { IMMDeviceCollection } from './IMMDeviceCollection';

export const CLSID_MMDeviceEnumerator = '{BCDE0395-E52F-467C-8E3D-C4579291692E}';

export const IMMDeviceEnumerator = defineInterface({
  name: 'IMMDeviceEnumerator',
  iid: '{A95664D2-9614-4F35-A746-DE8DB63617E6}',
  parent: IUnknown,
  methods: {
    EnumAudioEndpoints: method(int('EDataFlow'), uint('DWORD'), outObject('IMMDeviceCollection**', IMMDeviceCollection)),
    GetDefaultAudioEndpoint: method(int('EDataFlow'), int('ERole'), outObject('IMMDevice**', IMMDevice)),
    GetDevice: method(wstr('LPCWSTR'), outObject('IMMDevice**', IMMDevice)),
    RegisterEndpointNotificationCallback: method(object('IMMNotificationClient*')),
    UnregisterEndpointNotificationCallback: method(object('IMMNotificationClient*')),
  },
});
