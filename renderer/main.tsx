// Entry point: picks the transport (Electron preload, else the web mode WebSocket),
// connects it to the store and renders the mixer.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DesktopState, MixerApi } from '../core/contract';
import { connectMixer } from './app/connect';
import { MixerProvider } from './app/mixer-context';
import { CompactView } from './compact/CompactView';
import { createMeterHost, listenForMeterPort } from './meters/meter-host';
import { App } from './components/App';
import { DesktopProvider } from './desktop/desktop-context';
import type { Translate } from './i18n/i18n';
import { createI18n, translator } from './i18n/i18n';
import type { DesktopStore } from './desktop/desktop-store';
import { connectDesktop, createDesktopStore } from './desktop/desktop-store';
import type { MixerStore } from './state/store';
import { createMixerStore } from './state/store';
import { checkRingCapacity } from './timeline/event-ring';
import type { TimelineStore } from './timeline/timeline-store';
import { DEFAULT_TIMELINE_SIZE, createTimelineStore } from './timeline/timeline-store';
import { sessionStorageOrNull, takePageToken } from './transport/page-token';
import { WebSocketMixerApi, webSocketUrl } from './transport/ws-client';
import './styles/theme.css';
import './styles/mixer.css';
import './inspector/inspector.css';
import './components/header-panel.css';
import './components/title-row.css';
import './timeline/timeline.css';
import './compact/compact.css';
import './settings/settings.css';

const SHOW_CAPTURE_KEY = 'sndmix.showCapture';
const SHOW_ALL_DEVICES_KEY = 'sndmix.showAllDevices';
const SHOW_TIMELINE_KEY = 'sndmix.showTimeline';
const TIMELINE_SIZE_KEY = 'sndmix.timelineSize';
const VOLUME_SCALE_KEY = 'sndmix.volumeScale';

interface Transport {
  api: MixerApi;
  /** False when there is nothing to connect to (the banner says why). */
  live: boolean;
  retry?: () => void;
  /** Web mode's socket address: the meter worker opens a socket of its own there. */
  socketUrl?: string;
}

function chooseTransport(store: MixerStore, text: Translate): Transport {
  if (window.sndmix) {
    // IPC to our own main process cannot drop: it is open for the window's lifetime.
    store.getState().setConnection('open');
    return { api: window.sndmix, live: true };
  }
  const token = takePageToken({ location: window.location, history: window.history, storage: sessionStorageOrNull() });
  const url = webSocketUrl(window.location, token);
  if (!url) {
    const reason = text('notices.needsToken');
    store.getState().setConnection('unavailable', reason);
    return { api: unavailableApi(reason), live: false };
  }
  const client = new WebSocketMixerApi({ url, text });
  client.onStatus((status) => store.getState().setConnection(status));
  client.onProblem((problem) => store.getState().reportError(problem));
  return { api: client, live: true, retry: () => client.reconnectNow(), socketUrl: url };
}

/** Every command fails with the reason, which the banner already shows. */
function unavailableApi(reason: string): MixerApi {
  return {
    request: () => Promise.resolve({ ok: false, error: { code: 'disconnected', message: reason } }),
    onMessage: () => () => undefined,
  };
}

// Storage can be disabled: choices then just start at their defaults and are not kept.
function readSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeSetting(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered across restarts; nothing else depends on it.
  }
}

function readTimelineSize(): number {
  const stored = Number(readSetting(TIMELINE_SIZE_KEY) ?? DEFAULT_TIMELINE_SIZE);
  try {
    return checkRingCapacity(stored);
  } catch {
    return DEFAULT_TIMELINE_SIZE; // A hand-edited or outdated value: the default, not a crash.
  }
}

function rememberSettings(store: MixerStore, timeline: TimelineStore): void {
  store.subscribe((state, previous) => {
    if (state.showCapture !== previous.showCapture) writeSetting(SHOW_CAPTURE_KEY, String(state.showCapture));
    if (state.showAllDevices !== previous.showAllDevices) writeSetting(SHOW_ALL_DEVICES_KEY, String(state.showAllDevices));
    if (state.showTimeline !== previous.showTimeline) writeSetting(SHOW_TIMELINE_KEY, String(state.showTimeline));
    // The desktop app keeps its scale in its settings file (fed in below), web mode here.
    if (state.volumeScale !== previous.volumeScale && !window.sndmixDesktop) writeSetting(VOLUME_SCALE_KEY, state.volumeScale);
  });
  timeline.subscribe((state, previous) => {
    if (state.capacity !== previous.capacity) writeSetting(TIMELINE_SIZE_KEY, String(state.capacity));
  });
}

/** In the desktop app the backend runs in a process of its own: while it restarts, the window says so. */
function showBackendStatus(store: MixerStore, backend: DesktopState['backend'], text: Translate): void {
  switch (backend.state) {
    case 'running':
      store.getState().setConnection('open');
      return;
    case 'starting':
      store.getState().setConnection('connecting');
      return;
    case 'restarting':
      store.getState().setConnection('reconnecting', text('notices.backendRestarting', { reason: backend.reason }));
      return;
    case 'stopped':
      store.getState().setConnection('unavailable', text('notices.closing'));
      return;
  }
}

function connectDesktopShell(store: MixerStore, desktop: DesktopStore, text: Translate): void {
  const api = window.sndmixDesktop;
  if (!api) return;
  connectDesktop(api, desktop, (_page, deviceId) => {
    if (deviceId) store.getState().selectDevice(deviceId);
  });
  desktop.subscribe((state, previous) => {
    if (state.desktop && state.desktop.backend !== previous.desktop?.backend) showBackendStatus(store, state.desktop.backend, text);
    if (state.desktop) store.getState().setVolumeScale(state.desktop.settings.volumeScale);
  });
}

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

// One i18n instance: the window's strings and the messages the transport and the store word.
const i18n = createI18n();
const text = translator(i18n);
const store = createMixerStore(
  {
    showCapture: readSetting(SHOW_CAPTURE_KEY) === 'true',
    showAllDevices: readSetting(SHOW_ALL_DEVICES_KEY) === 'true',
    showTimeline: readSetting(SHOW_TIMELINE_KEY) === 'true',
    volumeScale: readSetting(VOLUME_SCALE_KEY) === 'decibel' ? 'decibel' : 'percent',
  },
  text,
);
const timeline = createTimelineStore({ capacity: readTimelineSize() });
rememberSettings(store, timeline);
const transport = chooseTransport(store, text);
const meters = createMeterHost(transport.socketUrl ?? null);
// The desktop app's peaks come on a port of the main process's, never through the window's IPC.
if (window.sndmix) listenForMeterPort((port) => meters.takePeaksPort(port));
if (transport.live) connectMixer(transport.api, { store, timeline, meters, text });

const desktop = createDesktopStore();
connectDesktopShell(store, desktop, text);
// The tray flyout (and web mode's compact page) is the same app in its compact layout.
const compact = new URLSearchParams(window.location.search).get('view') === 'compact';
const view = compact ? <CompactView onRetry={transport.retry} /> : <App onRetry={transport.retry} />;

createRoot(rootElement).render(
  <StrictMode>
    <MixerProvider api={transport.api} store={store} timeline={timeline} meters={meters} i18n={i18n}>
      {window.sndmixDesktop ? (
        <DesktopProvider api={window.sndmixDesktop} store={desktop}>
          {view}
        </DesktopProvider>
      ) : (
        view
      )}
    </MixerProvider>
  </StrictMode>,
);
