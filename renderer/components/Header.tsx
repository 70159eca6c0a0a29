// The title bar row: the playback device picker, the opt-in for recording sessions, the
// recently heard and profiles panels, and the event timeline's toggle. One line at every
// window width from the mixer's minimum up (TitleRow.tsx, title-row-fit.ts).
import type { ReactNode } from 'react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { Flow } from '../../native-bridge/types';
import { useMixer } from '../app/mixer-context';
import { useDesktop, useDesktopApi } from '../desktop/desktop-context';
import { ProfilesButton } from '../profiles/Profiles';
import { RecentlyHeardButton } from '../recently-heard/RecentlyHeard';
import { TimelineToggle } from '../timeline/TimelineToggle';
import { VolumeScaleToggle } from '../settings/VolumeScaleToggle';
import { defaultDevice, deviceDisplayName, hidesAnyApp, selectableDevices, selectShownDeviceId } from '../state/selectors';
import { DevicesIcon, EyeIcon, GearIcon, MicrophoneIcon, SpeakerIcon } from './icons';
import { TitleLabel, titleTip, useTitleRowFit } from './TitleRow';

// Every control is there from the start, before the first snapshot (none needs the backend
// to be shown; the panels say when they are empty): a snapshot only fills them in, so
// mounting them, and their style and layout, is not on the way to its first paint.
export function Header() {
  const showCapture = useMixer((state) => state.showCapture);
  const setShowCapture = useMixer((state) => state.setShowCapture);
  const showAllDevices = useMixer((state) => state.showAllDevices);
  const setShowAllDevices = useMixer((state) => state.setShowAllDevices);
  const showHidden = useMixer((state) => state.showHidden);
  // Only while something is hidden (or it is on): otherwise it would crowd the title row for nothing.
  const anyHidden = useMixer((state) => hidesAnyApp(state.preferences.apps));
  const setShowHidden = useMixer((state) => state.setShowHidden);
  const { t } = useTranslation();
  const row = useRef<HTMLElement>(null);
  useTitleRowFit(row);
  return (
    <header className="app-header" ref={row}>
      <div className="brand">
        <SpeakerIcon muted={false} className="brand-icon" />
        <h1 className="brand-name">{t('header.title')}</h1>
      </div>
      {!showAllDevices && <DevicePicker flow="render" label={t('header.playbackDevice')} />}
      {/* Toggle buttons, not switches: the title row keeps to one line in a Sndvol-sized window. */}
      <TitleToggleButton icon={<DevicesIcon />} label={t('header.allDevices')} hint={t('header.allDevicesHint')} pressed={showAllDevices} onToggle={setShowAllDevices} />
      {(anyHidden || showHidden) && (
        <TitleToggleButton icon={<EyeIcon />} label={t('header.showHidden')} hint={t('header.showHiddenHint')} pressed={showHidden} onToggle={setShowHidden} />
      )}
      <RecentlyHeardButton />
      <ProfilesButton />
      <Switch label={t('header.showRecording')} checked={showCapture} onChange={setShowCapture} />
      <TimelineToggle />
      <VolumeScaleToggle />
      <SettingsButton />
    </header>
  );
}

function TitleToggleButton({ icon, label, hint, pressed, onToggle }: { icon: ReactNode; label: string; hint: string; pressed: boolean; onToggle(pressed: boolean): void }) {
  return (
    <button type="button" className="button title-button" aria-pressed={pressed} title={titleTip(label, hint)} onClick={() => onToggle(!pressed)}>
      <TitleLabel icon={icon} label={label} />
    </button>
  );
}

function Switch({ label, checked, onChange }: { label: string; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <label className="toggle title-toggle" title={titleTip(label)}>
      <input type="checkbox" role="switch" className="toggle-input" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span className="toggle-track" aria-hidden="true" />
      <span className="title-icon">
        <MicrophoneIcon />
      </span>
      <span className="toggle-label title-label">{label}</span>
    </label>
  );
}

export function DevicePicker({ flow, label }: { flow: Flow; label: string }) {
  const devices = useMixer(useShallow((state) => selectableDevices(state, flow)));
  const shownId = useMixer((state) => selectShownDeviceId(state, flow));
  const defaultId = useMixer((state) => defaultDevice(state, flow)?.id);
  const devicePreferences = useMixer((state) => state.preferences.devices);
  const select = useMixer((state) => (flow === 'render' ? state.selectDevice : state.selectCaptureDevice));
  const { t } = useTranslation();
  // Empty and disabled until there are devices (before the first snapshot too): the snapshot's first frame only fills it in.
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select
        className="select"
        disabled={devices.length === 0}
        value={shownId ?? ''}
        onChange={(event) => select(event.currentTarget.value)}
        data-testid={`${flow}-device-picker`}
      >
        {devices.map((device) => (
          <option key={device.id} value={device.id}>
            {device.id === defaultId
              ? t('header.defaultDevice', {
                  name: deviceDisplayName(devicePreferences, device),
                })
              : deviceDisplayName(devicePreferences, device)}
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
  const { t } = useTranslation();
  if (!api) return null;
  return (
    <button
      type="button"
      className="button title-button"
      aria-pressed={page === 'settings'}
      title={titleTip(t('settings.open'))}
      onClick={() => showPage(page === 'settings' ? 'mixer' : 'settings')}
    >
      <TitleLabel icon={<GearIcon />} label={t('settings.open')} />
    </button>
  );
}
