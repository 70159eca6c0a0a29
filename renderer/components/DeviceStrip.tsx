// The endpoint's own strip (Sndvol's "Device" column): master volume and mute, where the
// backend can do them; otherwise it says so instead of showing a control that does nothing.
import { useCallback } from 'react';
import { useCommand, useMixer } from '../app/mixer-context';
import { isReachable } from '../state/store';
import { VolumeSlider } from '../controls/VolumeSlider';
import { MicrophoneIcon, SpeakerIcon } from './icons';
import { MuteButton } from './SessionStrip';

export function DeviceStrip({ deviceId }: { deviceId: string }) {
  const device = useMixer((state) => state.devices.get(deviceId));
  const backend = useMixer((state) => state.backend);
  // Disabled while the server or the backend's audio system is unreachable: a change could not be made.
  const online = useMixer(isReachable);
  const send = useCommand();
  const name = device?.name ?? '';
  const onVolume = useCallback(
    (volume: number) => send({ type: 'set-device-volume', deviceId, volume }, `Could not set the volume of ${name}`),
    [send, deviceId, name],
  );
  if (!device || !backend) return null;

  const canVolume = backend.capabilities.deviceVolume && device.volume !== null;
  const canMute = backend.capabilities.deviceMute && device.muted !== null;
  const muted = device.muted === true;

  return (
    <div className="strip device-strip" role="group" aria-label={`Device ${device.name}`} data-testid="device-strip">
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
          label={`Volume of ${device.name}`}
          volume={device.volume ?? 0}
          disabled={!online}
          onVolume={onVolume}
        />
      ) : (
        <p className="strip-unsupported">Master volume is not available with the {backend.name} backend.</p>
      )}
      {canMute && (
        <MuteButton
          name={device.name}
          flow={device.flow}
          muted={muted}
          disabled={!online}
          onToggle={() =>
            send(
              { type: 'set-device-mute', deviceId, muted: !muted },
              `Could not ${muted ? 'unmute' : 'mute'} ${device.name}`,
            )
          }
        />
      )}
    </div>
  );
}
