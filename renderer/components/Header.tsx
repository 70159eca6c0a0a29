// The title bar row: the playback device picker, the opt-in for recording sessions and
// the event timeline's toggle.
import { useShallow } from 'zustand/react/shallow';
import type { Flow } from '../../native-bridge/types';
import { useMixer } from '../app/mixer-context';
import { useDesktop, useDesktopApi } from '../desktop/desktop-context';
import { TimelineToggle } from '../timeline/TimelineToggle';
import { defaultDevice, selectableDevices, selectShownDeviceId } from '../state/selectors';
import { SpeakerIcon } from './icons';

export function Header() {
  const ready = useMixer((state) => state.backend !== null);
  const showCapture = useMixer((state) => state.showCapture);
  const setShowCapture = useMixer((state) => state.setShowCapture);
  return (
    <header className="app-header">
      <div className="brand">
        <SpeakerIcon muted={false} className="brand-icon" />
        <h1 className="brand-name">Volume Mixer</h1>
      </div>
      <DevicePicker flow="render" label="Playback device" />
      {ready && (
        <label className="toggle">
          <input
            type="checkbox"
            role="switch"
            className="toggle-input"
            checked={showCapture}
            onChange={(event) => setShowCapture(event.currentTarget.checked)}
          />
          <span className="toggle-track" aria-hidden="true" />
          <span className="toggle-label">Show recording sessions</span>
        </label>
      )}
      {ready && <TimelineToggle />}
      <SettingsButton />
    </header>
  );
}

export function DevicePicker({ flow, label }: { flow: Flow; label: string }) {
  const devices = useMixer(useShallow((state) => selectableDevices(state, flow)));
  const shownId = useMixer((state) => selectShownDeviceId(state, flow));
  const defaultId = useMixer((state) => defaultDevice(state, flow)?.id);
  const select = useMixer((state) => (flow === 'render' ? state.selectDevice : state.selectCaptureDevice));
  if (devices.length === 0) return null;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select
        className="select"
        value={shownId ?? ''}
        onChange={(event) => select(event.currentTarget.value)}
        data-testid={`${flow}-device-picker`}
      >
        {devices.map((device) => (
          <option key={device.id} value={device.id}>
            {device.id === defaultId ? `${device.name} (default)` : device.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The desktop app's settings page; web mode has none (its settings live in the desktop app). */
function SettingsButton() {
  const api = useDesktopApi();
  const page = useDesktop((state) => state.page);
  const showPage = useDesktop((state) => state.showPage);
  if (!api) return null;
  return (
    <button type="button" className="button" aria-pressed={page === 'settings'} onClick={() => showPage(page === 'settings' ? 'mixer' : 'settings')}>
      Settings
    </button>
  );
}
