// The window: header, notices, the playback mixer, (opt-in, clearly apart) recording and
// the event timeline, and the inspector beside them when a strip is picked.
import { useEffect, useSyncExternalStore } from 'react';
import { useCommand, useMixer } from '../app/mixer-context';
import { useDesktop } from '../desktop/desktop-context';
import { SettingsPage } from '../settings/SettingsPage';
import { Inspector } from '../inspector/Inspector';
import { selectShownDeviceId } from '../state/selectors';
import { Timeline } from '../timeline/Timeline';
import { DevicePicker, Header } from './Header';
import { MixerPanel } from './MixerPanel';
import { BackendDisconnectedBanner, BackendNotice, ConnectionBanner, ErrorToasts } from './Notices';

export function App({ onRetry }: { onRetry?: () => void }) {
  useMetersWhileVisible();
  const ready = useMixer((state) => state.backend !== null);
  const connection = useMixer((state) => state.connection);
  const deviceId = useMixer((state) => selectShownDeviceId(state, 'render'));
  const showCapture = useMixer((state) => state.showCapture);
  const showTimeline = useMixer((state) => state.showTimeline);
  const inspecting = useMixer((state) => state.inspected !== null);
  const page = useDesktop((state) => state.page);

  return (
    <div
      className="app"
      data-connection={connection}
      data-timeline={showTimeline || undefined}
      data-inspecting={inspecting || undefined}
    >
      <Header />
      <ConnectionBanner onRetry={onRetry} />
      <BackendDisconnectedBanner />
      <BackendNotice />
      <div className="app-body">
        <main className="app-main">
          {page === 'settings' ? (
            <SettingsPage />
          ) : !ready ? (
            connection !== 'unavailable' && <p className="placeholder">Connecting to SndMix…</p>
          ) : deviceId ? (
            <MixerPanel deviceId={deviceId} flow="render" />
          ) : (
            <p className="placeholder">No playback device is available.</p>
          )}
          {page === 'mixer' && ready && showCapture && <RecordingSection />}
          {page === 'mixer' && ready && showTimeline && <Timeline />}
        </main>
        <Inspector />
      </div>
      <ErrorToasts />
    </div>
  );
}

function RecordingSection() {
  const deviceId = useMixer((state) => selectShownDeviceId(state, 'capture'));
  return (
    <section className="recording" aria-labelledby="recording-title" data-testid="recording-section">
      <div className="recording-header">
        <h2 id="recording-title" className="recording-title">
          Recording sessions
        </h2>
        <DevicePicker flow="capture" label="Recording device" />
      </div>
      {deviceId ? (
        <MixerPanel deviceId={deviceId} flow="capture" />
      ) : (
        <p className="placeholder">No recording device is available.</p>
      )}
    </section>
  );
}

/** Peak meters cost the backend work: ask for them only while the window is visible, and never when the settings turn them off. */
function useMetersWhileVisible(): void {
  const wanted = useDesktop((state) => state.desktop?.settings.meters ?? true);
  const supported = useMixer((state) => state.backend?.capabilities.peakMeters === true) && wanted;
  const visible = useSyncExternalStore(subscribeVisibility, () => document.visibilityState === 'visible');
  const send = useCommand();
  useEffect(() => {
    if (!supported || !visible) return;
    send({ type: 'set-meters', enabled: true }, 'Could not start the level meters');
    return () => send({ type: 'set-meters', enabled: false }, 'Could not stop the level meters');
  }, [supported, visible, send]);
}

function subscribeVisibility(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}
