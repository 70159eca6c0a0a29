import { defineInterface, IUnknown, method, outFloat, outUint, pointer, uint } from '../../com/interface';

export const IAudioMeterInformation = defineInterface({
  name: 'IAudioMeterInformation',
  iid: '{C02216F6-8C67-4B5B-9D00-D008E73E0064}',
  parent: IUnknown,
  methods: {
    GetPeakValue: method(outFloat('float*')),
    GetMeteringChannelCount: method(outUint('UINT*')),
    GetChannelsPeakValues: method(uint('UINT32'), pointer('float*')),
    QueryHardwareSupport: method(outUint('DWORD*')),
  },
});
