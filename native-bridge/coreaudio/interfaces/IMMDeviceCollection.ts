import { defineInterface, IUnknown, method, outObject, outUint, uint } from '../../com/interface';
import { IMMDevice } from './IMMDevice';

export const IMMDeviceCollection = defineInterface({
  name: 'IMMDeviceCollection',
  iid: '{0BD7A1BE-7A1A-44DB-8397-CC5392387B5E}',
  parent: IUnknown,
  methods: {
    GetCount: method(outUint('UINT*')),
    Item: method(uint('UINT'), outObject('IMMDevice**', IMMDevice)),
  },
});
