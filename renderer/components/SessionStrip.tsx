// One application's strip: icon, name, vertical volume slider with its peak meter, mute.
// It selects its own strip from the store, so a change to another session leaves it alone.
// Its head (icon and name) is a button that opens the inspector on it; the wheel over it
// moves the volume, M (and Space on the slider) mutes, right-click or Shift+F10 opens its menu.
import type { KeyboardEvent } from 'react';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { Flow } from '../../native-bridge/types';
import { useCommand, useMeterHost, useStripFields, useStripWords } from '../app/mixer-context';
import { stripKeyActionOf } from '../controls/strip-input';
import { VolumeSlider } from '../controls/VolumeSlider';
import { volumeTextFor } from '../controls/volume-text';
import { sessionDbMapping } from '../../core/contract';
import { isOutside, selectAppKey, selectAppPreference, selectChangesItself, selectLastChange, selectStrip } from '../state/selectors';
import { AppIcon, BellIcon, MicrophoneIcon, SpeakerIcon, UnplugIcon } from './icons';
import { keyboardMenuPoint, StripMenu } from './StripMenu';
import type { StripWords } from './strip-text';

export interface SessionStripProps {
  stripKey: string;
  deviceId: string;
  flow: Flow;
}

export const SessionStrip = memo(function SessionStrip({ stripKey, deviceId, flow }: SessionStripProps) {
  // One subscription per strip (shallowly compared), woken only by changes that can be this strip's.
  const { strip, appKey, hidden, userName, canMove, lastChange, changesItself, online, showMeter, inspected, inspectStrip, volumeScale, volumeCurve, backendName } = useStripFields(
    deviceId,
    flow,
    stripKey,
    (state) => {
      const strip = selectStrip(state, deviceId, flow, stripKey);
      const preference = strip && selectAppPreference(state, strip.sessionIds);
      return {
        strip,
        appKey: strip && selectAppKey(state, strip.sessionIds),
        hidden: preference?.hidden === true,
        userName: preference?.name ?? null,
        canMove: flow === 'render' && state.backend?.capabilities.outputDevice === true,
        lastChange: strip ? selectLastChange(state, strip.sessionIds) : null,
        changesItself: strip ? selectChangesItself(state, strip.sessionIds) : false,
        online: state.connection === 'open',
        showMeter: state.backend?.capabilities.peakMeters === true,
        inspected: state.inspected?.stripKey === stripKey && state.inspected.deviceId === deviceId && state.inspected.flow === flow,
        inspectStrip: state.inspectStrip,
        volumeScale: state.volumeScale,
        volumeCurve: state.backend?.capabilities.sessionVolumeCurve,
        backendName: state.backend?.name ?? '',
      };
    },
  );
  const send = useCommand();
  const words = useStripWords();
  const { t } = words;
  const element = useRef<HTMLDivElement>(null);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const [renaming, setRenaming] = useState(false);

  const sessionIds = strip?.sessionIds;
  // The user's name for the app wins over the one it gives itself.
  const name = userName ?? strip?.displayName ?? '';
  const onVolume = useCallback(
    (volume: number) => {
      // Answered: the slider's next value waits for it (volume-gesture.ts).
      return sessionIds ? send({ type: 'set-volume', sessionIds, volume }, t('strip.setVolumeFailed', { name })) : undefined;
    },
    [send, sessionIds, name, t],
  );

  if (!strip) return null;
  const { muted, disconnected } = strip;
  const locked = disconnected || !online;
  const grouped = strip.sessionIds.length > 1;
  const state = disconnected ? 'disconnected' : strip.state;
  const toggleMute = () =>
    send({ type: 'set-mute', sessionIds: strip.sessionIds, muted: !muted }, t(muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name }));
  const inspect = () => inspectStrip(inspected ? null : { deviceId, flow, stripKey, sessionIds: strip.sessionIds });
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = stripKeyActionOf(event);
    if (action === null) return;
    event.preventDefault();
    if (action === 'open-menu') {
      if (element.current) setMenuAt(keyboardMenuPoint(element.current));
    } else if (!locked) {
      toggleMute();
    }
  };

  return (
    <div
      ref={element}
      className="strip"
      role="group"
      aria-label={name}
      data-testid="session-strip"
      data-state={state}
      data-system-sounds={strip.isSystemSounds || undefined}
      data-inspected={inspected || undefined}
      data-hidden={hidden || undefined}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => {
        if (event.target instanceof Element && event.target.closest('.strip-menu-anchor')) return;
        event.preventDefault();
        setMenuAt({ x: event.clientX, y: event.clientY });
      }}
    >
      {menuAt && (
        <StripMenu
          deviceId={deviceId}
          flow={flow}
          stripKey={stripKey}
          name={name}
          sessionIds={strip.sessionIds}
          muted={muted}
          locked={locked}
          appKey={appKey}
          hidden={hidden}
          canMove={canMove}
          outsideChange={isOutside(lastChange)}
          onRename={() => setRenaming(true)}
          onInspect={() =>
            inspectStrip({
              deviceId,
              flow,
              stripKey,
              sessionIds: strip.sessionIds,
            })
          }
          at={menuAt}
          onClose={() => setMenuAt(null)}
        />
      )}
      {renaming && appKey !== undefined ? (
        <RenameField
          name={name}
          label={t('strip.renameOf', { name: strip.displayName })}
          onRename={(newName) => send({ type: 'set-app-preference', appKey, name: newName }, t('strip.renameFailed', { name }))}
          onDone={() => setRenaming(false)}
        />
      ) : (
        <button
          type="button"
          className="strip-head"
          title={words.tooltip({ name, pids: strip.pids, grouped, disconnected, lastChange })}
          aria-haspopup="dialog"
          aria-expanded={inspected}
          onClick={inspect}
        >
          <StripIcon icon={strip.icon} isSystemSounds={strip.isSystemSounds} />
          {grouped && (
            <span className="strip-badge" aria-hidden="true">
              {strip.sessionIds.length}
            </span>
          )}
          {changesItself && (
            <span className="strip-flag" role="img" aria-label={words.changesItself} title={words.changesItselfHint}>
              ↕
            </span>
          )}
          <span className="strip-name">{name}</span>
          {/* Named by its content (no aria-label): what is read includes what is seen. */}
          <span className="visually-hidden">
            {grouped ? words.detailsGrouped(strip.sessionIds.length) : words.details}
          </span>
        </button>
      )}
      <VolumeSlider
        label={words.volumeOf(name)}
        text={volumeTextFor(t, words.language, volumeScale, sessionDbMapping({ sessionVolumeCurve: volumeCurve }), { kind: 'session', backend: backendName })}
        volume={strip.volume}
        disabled={locked}
        onVolume={onVolume}
        wheelArea={element}
        beside={showMeter && !disconnected ? <PeakMeter sessionIds={strip.sessionIds} /> : undefined}
      />
      {disconnected ? (
        <span className="strip-status">
          <UnplugIcon className="status-icon" />
          {words.disconnected}
        </span>
      ) : (
        <MuteButton name={name} flow={flow} muted={muted} disabled={locked} onToggle={toggleMute} words={words} />
      )}
    </div>
  );
});

/**
 * A strip's name as an input, in place of its head (apps and devices): Enter or leaving it
 * keeps the name, an empty one (onRename(null)) goes back to its own name, Escape keeps what was there.
 */
export function RenameField({ name, label, onRename, onDone }: { name: string; label: string; onRename(name: string | null): void; onDone(): void }) {
  const done = useRef(false);
  const finish = (value: string | null) => {
    if (done.current) return;
    done.current = true;
    if (value !== null && value.trim() !== name) onRename(value.trim() === '' ? null : value.trim());
    onDone();
  };
  return (
    <input
      className="strip-rename"
      aria-label={label}
      defaultValue={name}
      maxLength={100}
      autoFocus
      onFocus={(event) => event.currentTarget.select()}
      onBlur={(event) => finish(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') finish(event.currentTarget.value);
        else if (event.key === 'Escape') finish(null);
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    />
  );
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
  words,
}: {
  name: string;
  /** Recording strips show a microphone, playback strips a speaker. */
  flow: Flow;
  muted: boolean;
  disabled: boolean;
  onToggle(): void;
  /** The strip's words (useStripWords: one i18n subscription for every strip). */
  words: StripWords;
}) {
  return (
    <button
      type="button"
      className="mute-button"
      aria-label={words.mute(name)}
      aria-pressed={muted}
      title={muted ? words.unmute(name) : words.mute(name)}
      disabled={disabled}
      onClick={onToggle}
    >
      {flow === 'capture' ? <MicrophoneIcon muted={muted} className="mute-icon" /> : <SpeakerIcon muted={muted} className="mute-icon" />}
    </button>
  );
}

/**
 * A decorative level bar beside the slider, showing the loudest of its sessions; drawn by the
 * meter host (meters/meter-host.ts). Its canvas is made here, a new one for each meter added:
 * a canvas handed to the meter worker cannot be handed over again.
 */
export function PeakMeter({ sessionIds }: { sessionIds: readonly string[] }) {
  const meters = useMeterHost();
  const track = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = track.current;
    if (!element) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'meter-fill';
    element.append(canvas);
    const remove = meters.add(canvas, sessionIds);
    return () => {
      remove();
      canvas.remove();
    };
  }, [meters, sessionIds]);
  return <div className="meter" aria-hidden="true" data-testid="peak-meter" ref={track} />;
}
