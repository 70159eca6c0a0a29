// Renders mixer components against real stores (mixer and timeline) and a recording MixerApi.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Command, CommandResult, MixerApi, ResolvedMessage } from '../../core/contract';
import { deliver } from '../app/connect';
import type { Language } from '../i18n/i18n';
import { createI18n } from '../i18n/i18n';
import { MixerProvider } from '../app/mixer-context';
import { PageMeterHost } from '../meters/meter-host';
import { createMixerStore } from '../state/store';
import { createTimelineStore } from '../timeline/timeline-store';

export class RecordingApi implements MixerApi {
  readonly commands: Command[] = [];
  /** What the next requests answer; ok unless a test says otherwise. */
  result: CommandResult = { ok: true };

  request(command: Command): Promise<CommandResult> {
    this.commands.push(command);
    return Promise.resolve(this.result);
  }

  onMessage(): () => void {
    return () => undefined;
  }
}

export function renderMixer(ui: ReactNode, messages: ResolvedMessage[], options: { timelineSize?: number; language?: Language } = {}) {
  const store = createMixerStore();
  const timeline = createTimelineStore({ capacity: options.timelineSize });
  store.getState().setConnection('open');
  const meters = new PageMeterHost();
  const api = new RecordingApi();
  /** Delivers a message as connectMixer does. */
  const receive = (message: ResolvedMessage) => deliver(message, { store, toTimeline: (taken) => timeline.getState().ingest(taken), meters });
  for (const message of messages) receive(message);
  const i18n = createI18n(options.language ?? 'en');
  const view = render(
    <MixerProvider api={api} store={store} timeline={timeline} meters={meters} i18n={i18n}>
      {ui}
    </MixerProvider>,
  );
  return { ...view, store, timeline, meters, api, receive, i18n };
}
