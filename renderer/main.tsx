// Entry point: picks the transport (Electron preload, else the web mode WebSocket),
// connects it to the store and renders the mixer.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { MixerApi } from '../core/contract';
import { connectMixer } from './app/connect';
import { MixerProvider } from './app/mixer-context';
import { App } from './components/App';
import type { MixerStore } from './state/store';
import { createMixerStore } from './state/store';
import { WebSocketMixerApi, webSocketUrl } from './transport/ws-client';
import './styles/theme.css';
import './styles/mixer.css';

const SHOW_CAPTURE_KEY = 'sndmix.showCapture';

interface Transport {
  api: MixerApi;
  /** False when there is nothing to connect to (the banner says why). */
  live: boolean;
  retry?: () => void;
}

function chooseTransport(store: MixerStore): Transport {
  if (window.sndmix) {
    // IPC to our own main process cannot drop: it is open for the window's lifetime.
    store.getState().setConnection('open');
    return { api: window.sndmix, live: true };
  }
  const url = webSocketUrl(window.location);
  if (!url) {
    const reason =
      'This page needs its access token: open the full address SndMix printed when it started (it ends in ?token=…).';
    store.getState().setConnection('unavailable', reason);
    return { api: unavailableApi(reason), live: false };
  }
  const client = new WebSocketMixerApi({ url });
  client.onStatus((status) => store.getState().setConnection(status));
  client.onProblem((problem) => store.getState().reportError(problem));
  return { api: client, live: true, retry: () => client.reconnectNow() };
}

/** Every command fails with the reason, which the banner already shows. */
function unavailableApi(reason: string): MixerApi {
  return {
    request: () => Promise.resolve({ ok: false, error: { code: 'disconnected', message: reason } }),
    onMessage: () => () => undefined,
  };
}

function readShowCapture(): boolean {
  try {
    return localStorage.getItem(SHOW_CAPTURE_KEY) === 'true';
  } catch {
    return false; // Storage can be disabled; the toggle then just starts off.
  }
}

function rememberShowCapture(store: MixerStore): void {
  store.subscribe((state, previous) => {
    if (state.showCapture === previous.showCapture) return;
    try {
      localStorage.setItem(SHOW_CAPTURE_KEY, String(state.showCapture));
    } catch {
      // Not remembered across restarts; nothing else depends on it.
    }
  });
}

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

const store = createMixerStore({ showCapture: readShowCapture() });
rememberShowCapture(store);
const transport = chooseTransport(store);
if (transport.live) connectMixer(transport.api, store);

createRoot(rootElement).render(
  <StrictMode>
    <MixerProvider api={transport.api} store={store}>
      <App onRetry={transport.retry} />
    </MixerProvider>
  </StrictMode>,
);
