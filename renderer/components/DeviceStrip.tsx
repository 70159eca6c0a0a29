// The endpoint's own strip (Sndvol's "Device" column): master volume and mute, where the
// backend can do them; otherwise it says so instead of showing a control that does nothing.
import type { KeyboardEvent } from 'react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { deviceMeterKey } from '../meters/peak-levels';
import { useTranslation } from 'react-i18next';
import { useCommand, useDeviceVolume, useMixer, useStripWords } from '../app/mixer-context';
import { isReachable } from '../state/store';
import { VolumeSlider } from '../controls/VolumeSlider';
import { volumeTextFor } from '../controls/volume-text';
import { deviceDbMapping } from '../../core/contract';
import { MicrophoneIcon, SpeakerIcon } from './icons';
import { selectDeviceName } from '../state/selectors';
import { stripKeyActionOf } from '../controls/strip-input';
import { MuteButton, PeakMeter, RenameField } from './SessionStrip';
import { DeviceStripMenu, keyboardMenuPoint } from './StripMenu';

export function DeviceStrip({ deviceId }: { deviceId: string }) {
  const device = useMixer((state) => state.devices.get(deviceId));
  const backend = useMixer((state) => state.backend);
  // Disabled while the server or the backend's audio system is unreachable: a change could not be made.
  const online = useMixer(isReachable);
  const showMeter = useMixer((state) => state.backend?.capabilities.devicePeakMeters === true);
  const meterKeys = useMemo(() => [deviceMeterKey(deviceId)], [deviceId]);
  const send = useCommand();
  const volume = useDeviceVolume(deviceId);
  const volumeScale = useMixer((state) => state.volumeScale);
  const { t, i18n } = useTranslation();
  const words = useStripWords();
  // The user's name for it wins over the one the system gives it.
  const name = useMixer((state) => selectDeviceName(state, deviceId));
  const element = useRef<HTMLDivElement>(null);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const [renaming, setRenaming] = useState(false);
  const onVolume = useCallback(
    (volume: number) => send({ type: 'set-device-volume', deviceId, volume }, t('strip.setVolumeFailed', { name })),
    [send, deviceId, name, t],
  );
  if (!device || !backend) return null;

  const canVolume = backend.capabilities.deviceVolume && device.volume !== null;
  const canMute = backend.capabilities.deviceMute && device.muted !== null;
  const muted = device.muted === true;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = stripKeyActionOf(event);
    if (action !== 'open-menu') return;
    event.preventDefault();
    if (element.current) setMenuAt(keyboardMenuPoint(element.current));
  };

  return (
    <div
      ref={element}
      className="strip device-strip"
      role="group"
      aria-label={t('strip.deviceGroup', { name })}
      data-testid="device-strip"
      onKeyDown={onKeyDown}
      onContextMenu={(event) => {
        if (event.target instanceof Element && event.target.closest('.strip-menu-anchor')) return;
        event.preventDefault();
        setMenuAt({ x: event.clientX, y: event.clientY });
      }}
    >
      {menuAt && <DeviceStripMenu name={name} at={menuAt} onRename={() => setRenaming(true)} onClose={() => setMenuAt(null)} />}
      {renaming ? (
        <RenameField
          name={name}
          label={t('strip.renameOf', { name: device.name })}
          onRename={(newName) => send({ type: 'set-device-preference', deviceId, name: newName }, t('strip.renameFailed', { name }))}
          onDone={() => setRenaming(false)}
        />
      ) : (
        <div className="strip-head" title={name}>
          {device.flow === 'capture' ? <MicrophoneIcon className="strip-icon" /> : <SpeakerIcon className="strip-icon" muted={muted} />}
          <span className="strip-name">{name}</span>
        </div>
      )}
      {canVolume ? (
        <VolumeSlider
          label={t('strip.volumeOf', { name })}
          text={volumeTextFor(t, i18n.language, volumeScale, deviceDbMapping(device), { kind: 'device' })}
          volume={volume}
          disabled={!online}
          onVolume={onVolume}
          beside={showMeter ? <PeakMeter sessionIds={meterKeys} /> : undefined}
        />
      ) : (
        <p className="strip-unsupported">{t('strip.masterUnsupported', { backend: backend.name })}</p>
      )}
      {canMute && (
        <MuteButton
          name={name}
          flow={device.flow}
          muted={muted}
          disabled={!online}
          words={words}
          onToggle={() =>
            send(
              { type: 'set-device-mute', deviceId, muted: !muted },
              t(muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name }),
            )
          }
        />
      )}
    </div>
  );
}
