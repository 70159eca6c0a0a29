// Wires a transport to the stores: every server message, its icons looked up in this
// connection's icon table (core/icon-table.ts), is applied to the mixer, and
// to the event timeline when there is one (after the paint: deferred-ingest.ts); peaks go to the meters alone (never to React
// state), when they come this way at all (meters/meter-host.ts: with a meter worker they do
// not); then we subscribe, to what the meters leave to this connection (listening first, so
// the snapshot that answers the subscription cannot be missed).
import type { MixerApi, ResolvedMessage } from '../../core/contract';
import { IconTableReader } from '../../core/contract';
import type { Translate } from '../i18n/i18n';
import { inEnglish } from '../i18n/i18n';
import type { MeterHost } from '../meters/meter-host';
import type { MixerStore } from '../state/store';
import type { IdleScheduler } from '../timeline/deferred-ingest';
import { deferredIngest } from '../timeline/deferred-ingest';
import type { TimelineStore } from '../timeline/timeline-store';

export interface MessageSinks {
  store: MixerStore;
  timeline?: TimelineStore;
  meters?: MeterHost;
  /** Words the subscription failure in the UI's language; English without one. */
  text?: Translate;
  /** When the timeline takes messages in (deferred-ingest.ts): the page's idle time and next paint without these. */
  idle?: IdleScheduler;
  paint?: IdleScheduler;
}

/** Where deliver() hands each message: the timeline's feed is the store's ingest, or a deferred one. */
export interface Delivery {
  store: MixerStore;
  toTimeline?: (message: ResolvedMessage) => void;
  meters?: MeterHost;
}

/** Where one server message goes. */
export function deliver(message: ResolvedMessage, { store, toTimeline, meters }: Delivery): void {
  if (message.type === 'peaks') {
    meters?.apply(message);
    return;
  }
  if (message.type === 'snapshot') meters?.reset();
  store.getState().applyMessage(message);
  toTimeline?.(message);
}

export function connectMixer(api: MixerApi, sinks: MessageSinks): () => void {
  const { store, timeline, meters } = sinks;
  // The strips paint first: the timeline takes messages in after, sooner while it is on screen.
  const watched = () => {
    const state = store.getState();
    return state.showTimeline || state.inspected !== null;
  };
  const delivery: Delivery = { store, meters, toTimeline: timeline && deferredIngest(timeline, { watched, idle: sinks.idle, paint: sinks.paint }) };
  const text = sinks.text ?? inEnglish;
  const reportFailure = (message: string) => store.getState().reportError(text('notices.subscribeFailed', { message }));
  const messages = meters?.pageSubscription ?? 'all';
  const subscribe = () =>
    api.request(messages === 'all' ? { type: 'subscribe' } : { type: 'subscribe', messages }).then(
      (result) => {
        if (!result.ok) reportFailure(result.error.message);
      },
      (error: unknown) => reportFailure(error instanceof Error ? error.message : String(error)),
    );
  const icons = new IconTableReader();
  const stopListening = api.onMessage((message) => {
    const { message: resolved, problems } = icons.resolve(message);
    deliver(resolved, delivery);
    if (problems.length === 0) return;
    // Applied as sent (those sessions without their icon). A snapshot brings a whole table:
    // after a broken patch one is asked for; a broken snapshot would only come again.
    store.getState().reportError(text('notices.iconTableBroken', { problem: problems.join('; ') }));
    if (message.type !== 'snapshot') void subscribe();
  });
  void subscribe();
  return stopListening;
}
