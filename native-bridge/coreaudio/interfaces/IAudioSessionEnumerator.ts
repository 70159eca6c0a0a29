import { defineInterface, int, IUnknown, method, outInt, outObject } from '../../com/interface';
import { IAudioSessionControl } from './IAudioSessionControl';

export const IAudioSessionEnumerator = defineInterface({
  name: 'IAudioSessionEnumerator',
  iid: '{E2F5BB11-0570-40CA-ACDD-3AA01277DEE8}',
  parent: IUnknown,
  methods: {
    GetCount: method(outInt('int*')),
    GetSession: method(int('int'), outObject('IAudioSessionControl**', IAudioSessionControl)),
  },
});
