// A sink: SndMix implements it (see ../../com/sink.ts); Core Audio calls it.
import { defineInterface, int, IUnknown, method, propertyKeyRef, uint, wstr } from '../../com/interface';

export const IMMNotificationClient = defineInterface({
  name: 'IMMNotificationClient',
  iid: '{7991EEC9-7E89-4D85-8390-6C703CEC60C0}',
  parent: IUnknown,
  methods: {
    OnDeviceStateChanged: method(wstr('LPCWSTR'), uint('DWORD')),
    OnDeviceAdded: method(wstr('LPCWSTR')),
    OnDeviceRemoved: method(wstr('LPCWSTR')),
    /** The device id is NULL when the role has no default device any more. */
    OnDefaultDeviceChanged: method(int('EDataFlow'), int('ERole'), wstr('LPCWSTR')),
    OnPropertyValueChanged: method(wstr('LPCWSTR'), propertyKeyRef('const PROPERTYKEY')),
  },
});
