// Renders mixer components against a real store and a recording MixerApi.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Command, CommandResult, MixerApi, ServerMessage } from '../../core/contract';
import { MixerProvider } from '../app/mixer-context';
import { createMixerStore } from '../state/store';

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

export function renderMixer(ui: ReactNode, messages: ServerMessage[]) {
  const store = createMixerStore();
  store.getState().setConnection('open');
  for (const message of messages) store.getState().applyMessage(message);
  const api = new RecordingApi();
  const view = render(
    <MixerProvider api={api} store={store}>
      {ui}
    </MixerProvider>,
  );
  return { ...view, store, api };
}
