// One application's strip: icon, name, vertical volume slider with its peak meter, mute.
// It selects its own strip from the store, so a change to another session leaves it alone.
// Its head (icon and name) is a button that opens the inspector on it.
import { memo, useCallback, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Flow } from '../../native-bridge/types';
import { useCommand, useMeterAnimator, useMixer } from '../app/mixer-context';
import { VolumeSlider } from '../controls/VolumeSlider';
import { selectStrip } from '../state/selectors';
import { AppIcon, BellIcon, MicrophoneIcon, SpeakerIcon, UnplugIcon } from './icons';

export interface SessionStripProps {
  stripKey: string;
  deviceId: string;
  flow: Flow;
}

export const SessionStrip = memo(function SessionStrip({ stripKey, deviceId, flow }: SessionStripProps) {
  // One subscription per strip (shallowly compared): each store change asks every strip, hundreds of them.
  const { strip, online, showMeter, inspected, inspectStrip } = useMixer(
    useShallow((state) => ({
      strip: selectStrip(state, deviceId, flow, stripKey),
      online: state.connection === 'open',
      showMeter: state.backend?.capabilities.peakMeters === true,
      inspected:
        state.inspected?.stripKey === stripKey && state.inspected.deviceId === deviceId && state.inspected.flow === flow,
      inspectStrip: state.inspectStrip,
    })),
  );
  const send = useCommand();

  const sessionIds = strip?.sessionIds;
  const name = strip?.displayName ?? '';
  const onVolume = useCallback(
    (volume: number) => {
      if (sessionIds) send({ type: 'set-volume', sessionIds, volume }, `Could not set the volume of ${name}`);
    },
    [send, sessionIds, name],
  );

  if (!strip) return null;
  const { muted, disconnected } = strip;
  const locked = disconnected || !online;
  const grouped = strip.sessionIds.length > 1;
  const state = disconnected ? 'disconnected' : strip.state;

  return (
    <div
      className="strip"
      role="group"
      aria-label={strip.displayName}
      data-testid="session-strip"
      data-state={state}
      data-system-sounds={strip.isSystemSounds || undefined}
      data-inspected={inspected || undefined}
    >
      <button
        type="button"
        className="strip-head"
        title={stripTooltip(strip.displayName, strip.pids, grouped, disconnected)}
        aria-haspopup="dialog"
        aria-expanded={inspected}
        onClick={() =>
          inspectStrip(inspected ? null : { deviceId, flow, stripKey, sessionIds: strip.sessionIds })
        }
      >
        <StripIcon icon={strip.icon} isSystemSounds={strip.isSystemSounds} />
        {grouped && (
          <span className="strip-badge" aria-hidden="true">
            {strip.sessionIds.length}
          </span>
        )}
        <span className="strip-name">{strip.displayName}</span>
        {/* Named by its content (no aria-label): what is read includes what is seen. */}
        <span className="visually-hidden">
          {grouped ? ` details (${strip.sessionIds.length} sessions grouped)` : ' details'}
        </span>
      </button>
      <VolumeSlider
        label={`Volume of ${strip.displayName}`}
        volume={strip.volume}
        disabled={locked}
        onVolume={onVolume}
        beside={showMeter && !disconnected ? <PeakMeter sessionIds={strip.sessionIds} /> : undefined}
      />
      {disconnected ? (
        <span className="strip-status">
          <UnplugIcon className="status-icon" />
          Disconnected
        </span>
      ) : (
        <MuteButton
          name={strip.displayName}
          flow={flow}
          muted={muted}
          disabled={locked}
          onToggle={() =>
            send(
              { type: 'set-mute', sessionIds: strip.sessionIds, muted: !muted },
              `Could not ${muted ? 'unmute' : 'mute'} ${strip.displayName}`,
            )
          }
        />
      )}
    </div>
  );
});

function stripTooltip(name: string, pids: readonly number[], grouped: boolean, disconnected: boolean): string {
  const lines = [name];
  const processIds = pids.filter((pid) => pid > 0);
  if (processIds.length > 0) lines.push(`Process ${processIds.join(', ')}`);
  if (grouped) lines.push('Several sessions, controlled together');
  if (disconnected) lines.push('Disconnected: this session can no longer be changed');
  lines.push('Click for details');
  return lines.join('\n');
}

export function StripIcon({ icon, isSystemSounds }: { icon: string | null; isSystemSounds: boolean }) {
  // Only data URLs: anything else would be a fetch the CSP blocks (and we never want).
  if (icon?.startsWith('data:image/')) return <img className="strip-icon" src={icon} alt="" draggable={false} />;
  return isSystemSounds ? <BellIcon className="strip-icon" /> : <AppIcon className="strip-icon" />;
}

export function MuteButton({
  name,
  flow,
  muted,
  disabled,
  onToggle,
}: {
  name: string;
  /** Recording strips show a microphone, playback strips a speaker. */
  flow: Flow;
  muted: boolean;
  disabled: boolean;
  onToggle(): void;
}) {
  return (
    <button
      type="button"
      className="mute-button"
      aria-label={`Mute ${name}`}
      aria-pressed={muted}
      title={muted ? `Unmute ${name}` : `Mute ${name}`}
      disabled={disabled}
      onClick={onToggle}
    >
      {flow === 'capture' ? (
        <MicrophoneIcon muted={muted} className="mute-icon" />
      ) : (
        <SpeakerIcon muted={muted} className="mute-icon" />
      )}
    </button>
  );
}

/** A decorative level bar beside the slider, showing the loudest of its sessions; animated by the meter animator. */
export function PeakMeter({ sessionIds }: { sessionIds: readonly string[] }) {
  const meters = useMeterAnimator();
  const fill = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = fill.current;
    if (!element) return;
    return meters.add(element, sessionIds);
  }, [meters, sessionIds]);
  return (
    <div className="meter" aria-hidden="true" data-testid="peak-meter">
      <div className="meter-fill" ref={fill} />
    </div>
  );
}
