// A sink: SndMix implements it (see ../../com/sink.ts); Core Audio calls it.
import { defineInterface, IUnknown, method, object } from '../../com/interface';

export const IAudioSessionNotification = defineInterface({
  name: 'IAudioSessionNotification',
  iid: '{641DD20B-4D41-49CC-ABA3-174B9477BB08}',
  parent: IUnknown,
  methods: {
    /** The session control is lent for the call: AddRef (or QueryInterface) to keep it. */
    OnSessionCreated: method(object('IAudioSessionControl*')),
  },
});
