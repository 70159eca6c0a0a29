import {
  defineInterface,
  iid,
  IUnknown,
  method,
  outCoTaskString,
  outObject,
  outRequestedObject,
  outUint,
  pointer,
  uint,
} from '../../com/interface';
import { IPropertyStore } from './IPropertyStore';

export const IMMDevice = defineInterface({
  name: 'IMMDevice',
  iid: '{D666063F-1587-4E43-81F1-B948E807363F}',
  parent: IUnknown,
  methods: {
    Activate: method(iid('REFIID'), uint('DWORD'), pointer('PROPVARIANT*'), outRequestedObject('void**')),
    OpenPropertyStore: method(uint('DWORD'), outObject('IPropertyStore**', IPropertyStore)),
    GetId: method(outCoTaskString('LPWSTR*')),
    GetState: method(outUint('DWORD*')),
  },
});
