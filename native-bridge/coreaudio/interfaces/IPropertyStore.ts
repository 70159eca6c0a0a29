import {
  defineInterface,
  IUnknown,
  method,
  outPropertyKey,
  outPropVariant,
  outUint,
  pointer,
  propertyKeyRef,
  uint,
} from '../../com/interface';

export const IPropertyStore = defineInterface({
  name: 'IPropertyStore',
  iid: '{886D8EEB-8CF2-4446-8D02-CDBA1DBDCF99}',
  parent: IUnknown,
  methods: {
    GetCount: method(outUint('DWORD*')),
    GetAt: method(uint('DWORD'), outPropertyKey('PROPERTYKEY*')),
    GetValue: method(propertyKeyRef('REFPROPERTYKEY'), outPropVariant('PROPVARIANT*')),
    SetValue: method(propertyKeyRef('REFPROPERTYKEY'), pointer('REFPROPVARIANT')),
    Commit: method(),
  },
});
