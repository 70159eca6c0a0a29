import { defineInterface, IUnknown, method, outInt, outPointer, outUint } from '../../com/interface';

/** The root of every Windows Runtime interface (inspectable.h): IUnknown's three, then these three. */
export const IInspectable = defineInterface({
  name: 'IInspectable',
  iid: '{AF86E2E0-B12D-4C6A-9C5A-D7AA65101E90}',
  parent: IUnknown,
  methods: {
    GetIids: method(outUint('ULONG*'), outPointer('IID**')),
    GetRuntimeClassName: method(outPointer('HSTRING*')),
    GetTrustLevel: method(outInt('TrustLevel*')),
  },
});
