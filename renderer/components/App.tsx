// The window: header, notices, the playback mixer, (opt-in, clearly apart) recording and
// the event timeline, and the inspector beside them when a strip is picked.
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommand, useMeterHost, useMixer } from '../app/mixer-context';
import { useDesktop } from '../desktop/desktop-context';
import { SettingsPage } from '../settings/SettingsPage';
import { Inspector } from '../inspector/Inspector';
import { useShallow } from 'zustand/react/shallow';
import { defaultDevice, selectableDevices, selectDeviceName, selectShownDeviceId } from '../state/selectors';
import { Timeline } from '../timeline/Timeline';
import { DevicePicker, Header } from './Header';
import { MixerPanel } from './MixerPanel';
import { BackendDisconnectedBanner, BackendNotice, ConnectionBanner, ErrorToasts } from './Notices';

export function App({ onRetry }: { onRetry?: () => void }) {
  useMetersWhileVisible();
  // Mounted in the task that takes the first snapshot in, and painted in the next frame:
  // the title row is already there (Header.tsx), the mixer mounts one screenful of strips
  // (use-growing-list.ts) and the rest after that frame, when the page is idle.
  const mixerReady = useMixer((state) => state.backend !== null);
  const connection = useMixer((state) => state.connection);
  const deviceId = useMixer((state) => selectShownDeviceId(state, 'render'));
  const showAllDevices = useMixer((state) => state.showAllDevices);
  const showCapture = useMixer((state) => state.showCapture);
  const showTimeline = useMixer((state) => state.showTimeline);
  const inspecting = useMixer((state) => state.inspected !== null);
  const page = useDesktop((state) => state.page);
  const { t } = useTranslation();

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
          ) : !mixerReady ? (
            connection !== 'unavailable' && <p className="placeholder">{t('app.connecting')}</p>
          ) : showAllDevices ? (
            <AllPlaybackDevices />
          ) : deviceId ? (
            <MixerPanel deviceId={deviceId} flow="render" />
          ) : (
            <p className="placeholder">{t('app.noPlayback')}</p>
          )}
          {page === 'mixer' && mixerReady && showCapture && <RecordingSection />}
          {page === 'mixer' && mixerReady && showTimeline && <Timeline />}
        </main>
        <Inspector />
      </div>
      <ErrorToasts />
    </div>
  );
}

/** Every playback device, each in its own section named by the device (the default first, as the backend orders). */
function AllPlaybackDevices() {
  const devices = useMixer(useShallow((state) => selectableDevices(state, 'render').map((device) => device.id)));
  const { t } = useTranslation();
  if (devices.length === 0) return <p className="placeholder">{t('app.noPlayback')}</p>;
  return (
    <div className="all-devices" data-testid="all-devices">
      {devices.map((id) => (
        <DeviceSection key={id} deviceId={id} />
      ))}
    </div>
  );
}

function DeviceSection({ deviceId }: { deviceId: string }) {
  const name = useMixer((state) => selectDeviceName(state, deviceId));
  const isDefault = useMixer((state) => defaultDevice(state, 'render')?.id === deviceId);
  const { t } = useTranslation();
  const headingId = `device-section-${deviceId}`;
  return (
    <section className="device-section-all" aria-labelledby={headingId} data-testid="playback-device-section">
      <h2 id={headingId} className="recording-title">
        {isDefault ? t('header.defaultDevice', { name }) : name}
      </h2>
      <MixerPanel deviceId={deviceId} flow="render" deviceName={name} />
    </section>
  );
}

function RecordingSection() {
  const deviceId = useMixer((state) => selectShownDeviceId(state, 'capture'));
  const { t } = useTranslation();
  return (
    <section className="recording" aria-labelledby="recording-title" data-testid="recording-section">
      <div className="recording-header">
        <h2 id="recording-title" className="recording-title">
          {t('app.recordingTitle')}
        </h2>
        <DevicePicker flow="capture" label={t('header.recordingDevice')} />
      </div>
      {deviceId ? (
        <MixerPanel deviceId={deviceId} flow="capture" />
      ) : (
        <p className="placeholder">{t('app.noRecording')}</p>
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
  const meters = useMeterHost();
  const { t } = useTranslation();
  useEffect(() => {
    if (!supported || !visible) return;
    send({ type: 'set-meters', enabled: true }, t('app.metersStartFailed'));
    meters.setMeters(true);
    return () => {
      void send({ type: 'set-meters', enabled: false }, t('app.metersStopFailed'));
      meters.setMeters(false);
    };
  }, [supported, visible, send, meters, t]);
}

function subscribeVisibility(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}
