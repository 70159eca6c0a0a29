import { defineInterface, IUnknown, method, outInt } from '../../com/interface';

export const IMMEndpoint = defineInterface({
  name: 'IMMEndpoint',
  iid: '{1BE09788-6894-4089-8586-9A2A6C265AC5}',
  parent: IUnknown,
  methods: {
    GetDataFlow: method(outInt('EDataFlow*')),
  },
});
