// Wires a transport to the stores: every server message is applied to the mixer, and
// to the event timeline when there is one; then we subscribe (listening first, so the
// snapshot that answers the subscription cannot be missed).
import type { MixerApi } from '../../core/contract';
import type { MixerStore } from '../state/store';
import type { TimelineStore } from '../timeline/timeline-store';

export function connectMixer(api: MixerApi, store: MixerStore, timeline?: TimelineStore): () => void {
  const stopListening = api.onMessage((message) => {
    store.getState().applyMessage(message);
    timeline?.getState().ingest(message);
  });
  const reportFailure = (message: string) =>
    store.getState().reportError(`Could not subscribe to the mixer: ${message}`);
  api.request({ type: 'subscribe' }).then(
    (result) => {
      if (!result.ok) reportFailure(result.error.message);
    },
    (error: unknown) => reportFailure(error instanceof Error ? error.message : String(error)),
  );
  return stopListening;
}
