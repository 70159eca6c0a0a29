// The endpoint's own strip (Sndvol's "Device" column): master volume and mute, where the
// backend can do them; otherwise it says so instead of showing a control that does nothing.
import { useCallback, useMemo } from 'react';
import { deviceMeterKey } from '../app/connect';
import { useTranslation } from 'react-i18next';
import { useCommand, useMixer } from '../app/mixer-context';
import { isReachable } from '../state/store';
import { VolumeSlider } from '../controls/VolumeSlider';
import { volumeTextFor } from '../controls/volume-text';
import { deviceDbMapping } from '../../core/contract';
import { MicrophoneIcon, SpeakerIcon } from './icons';
import { MuteButton, PeakMeter } from './SessionStrip';

export function DeviceStrip({ deviceId }: { deviceId: string }) {
  const device = useMixer((state) => state.devices.get(deviceId));
  const backend = useMixer((state) => state.backend);
  // Disabled while the server or the backend's audio system is unreachable: a change could not be made.
  const online = useMixer(isReachable);
  const showMeter = useMixer((state) => state.backend?.capabilities.devicePeakMeters === true);
  const meterKeys = useMemo(() => [deviceMeterKey(deviceId)], [deviceId]);
  const send = useCommand();
  const volumeScale = useMixer((state) => state.volumeScale);
  const { t, i18n } = useTranslation();
  const name = device?.name ?? '';
  const onVolume = useCallback(
    (volume: number) => send({ type: 'set-device-volume', deviceId, volume }, t('strip.setVolumeFailed', { name })),
    [send, deviceId, name, t],
  );
  if (!device || !backend) return null;

  const canVolume = backend.capabilities.deviceVolume && device.volume !== null;
  const canMute = backend.capabilities.deviceMute && device.muted !== null;
  const muted = device.muted === true;

  return (
    <div className="strip device-strip" role="group" aria-label={t('strip.deviceGroup', { name: device.name })} data-testid="device-strip">
      <div className="strip-head" title={device.name}>
        {device.flow === 'capture' ? (
          <MicrophoneIcon className="strip-icon" />
        ) : (
          <SpeakerIcon className="strip-icon" muted={muted} />
        )}
        <span className="strip-name">{device.name}</span>
      </div>
      {canVolume ? (
        <VolumeSlider
          label={t('strip.volumeOf', { name: device.name })}
          text={volumeTextFor(t, i18n.language, volumeScale, deviceDbMapping(device), { kind: 'device' })}
          volume={device.volume ?? 0}
          disabled={!online}
          onVolume={onVolume}
          beside={showMeter ? <PeakMeter sessionIds={meterKeys} /> : undefined}
        />
      ) : (
        <p className="strip-unsupported">{t('strip.masterUnsupported', { backend: backend.name })}</p>
      )}
      {canMute && (
        <MuteButton
          name={device.name}
          flow={device.flow}
          muted={muted}
          disabled={!online}
          t={t}
          onToggle={() =>
            send(
              { type: 'set-device-mute', deviceId, muted: !muted },
              t(muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name: device.name }),
            )
          }
        />
      )}
    </div>
  );
}
