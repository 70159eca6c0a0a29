// One application's strip: icon, name, vertical volume slider with its peak meter, mute.
// It selects its own strip from the store, so a change to another session leaves it alone.
// Its head (icon and name) is a button that opens the inspector on it; the wheel over it
// moves the volume, M (and Space on the slider) mutes, right-click or Shift+F10 opens its menu.
// A volume step renders nothing: the slider shows the strip's volume itself (slider-view.ts),
// and the strip selects everything else. The head, icon, meter and mute button are
// memoised on what they show. The head's tooltip words the last change only while it is hovered or
// focused (live-title.ts), so a change from outside does not render or rewrite the head.
import type { KeyboardEvent } from 'react';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LastChange } from '../../core/contract';
import type { Flow } from '../../native-bridge/types';
import { useCommand, useMeterHost, useMixerStore, useStripFields, useStripVolume, useStripWords } from '../app/mixer-context';
import { stripKeyActionOf } from '../controls/strip-input';
import { VolumeSlider } from '../controls/VolumeSlider';
import { volumeTextFor } from '../controls/volume-text';
import { sessionDbMapping } from '../../core/contract';
import type { StripApartFromVolume } from '../state/selectors';
import { sameApartFromVolume, selectAppKey, selectAppPreference, selectChangesItself, selectLastChange, selectStrip } from '../state/selectors';
import { AppIcon, BellIcon, MicrophoneIcon, SpeakerIcon, UnplugIcon } from './icons';
import type { LiveTitleSource } from './live-title';
import { LiveTitle } from './live-title';
import { OnScreenImage } from './OnScreenImage';
import { keyboardMenuPoint, StripMenu } from './StripMenu';
import type { StripWords } from './strip-text';

export interface SessionStripProps {
  stripKey: string;
  deviceId: string;
  flow: Flow;
}

export const SessionStrip = memo(function SessionStrip({ stripKey, deviceId, flow }: SessionStripProps) {
  // One subscription per strip (shallowly compared), woken only by changes that can be this strip's.
  const { strip, appKey, hidden, userName, canMove, changesItself, online, showMeter, inspected, inspectStrip, volumeScale, volumeCurve, backendName } = useStripFields(
    deviceId,
    flow,
    stripKey,
    (state) => {
      const strip: StripApartFromVolume | undefined = selectStrip(state, deviceId, flow, stripKey);
      const preference = strip && selectAppPreference(state, strip.sessionIds);
      return {
        strip,
        appKey: strip && selectAppKey(state, strip.sessionIds),
        hidden: preference?.hidden === true,
        userName: preference?.name ?? null,
        canMove: flow === 'render' && state.backend?.capabilities.outputDevice === true,
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
    { strip: sameApartFromVolume },
  );
  const volume = useStripVolume(deviceId, flow, stripKey);
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
  const muted = strip?.muted === true;
  const toggleMute = useCallback(() => {
    if (sessionIds) send({ type: 'set-mute', sessionIds, muted: !muted }, t(muted ? 'strip.unmuteFailed' : 'strip.muteFailed', { name }));
  }, [send, sessionIds, muted, name, t]);
  const inspect = useCallback(() => {
    if (sessionIds) inspectStrip(inspected ? null : { deviceId, flow, stripKey, sessionIds });
  }, [inspectStrip, inspected, deviceId, flow, stripKey, sessionIds]);
  const text = useMemo(
    () => volumeTextFor(t, words.language, volumeScale, sessionDbMapping({ sessionVolumeCurve: volumeCurve }), { kind: 'session', backend: backendName }),
    [t, words.language, volumeScale, volumeCurve, backendName],
  );
  const disconnected = strip?.disconnected === true;
  const meter = useMemo(() => (showMeter && !disconnected && sessionIds ? <PeakMeter sessionIds={sessionIds} /> : undefined), [showMeter, disconnected, sessionIds]);

  if (!strip) return null;
  const locked = disconnected || !online;
  const state = disconnected ? 'disconnected' : strip.state;
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
        <StripHead
          name={name}
          pids={strip.pids}
          sessionIds={strip.sessionIds}
          disconnected={disconnected}
          changesItself={changesItself}
          inspected={inspected}
          icon={strip.icon}
          isSystemSounds={strip.isSystemSounds}
          words={words}
          onInspect={inspect}
        />
      )}
      <VolumeSlider
        volume={volume}
        label={words.volumeOf(name)}
        text={text}
        disabled={locked}
        onVolume={onVolume}
        wheelArea={element}
        beside={meter}
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

interface StripHeadProps {
  name: string;
  pids: readonly number[];
  sessionIds: readonly string[];
  disconnected: boolean;
  changesItself: boolean;
  inspected: boolean;
  icon: string | null;
  isSystemSounds: boolean;
  words: StripWords;
  onInspect(): void;
}

/** The strip's head: icon, name and tooltip, a button that opens the inspector. Strips keep their pids list while it is equal (selectors.ts). */
const StripHead = memo(function StripHead({ name, pids, sessionIds, disconnected, changesItself, inspected, icon, isSystemSounds, words, onInspect }: StripHeadProps) {
  const sessionCount = sessionIds.length;
  const grouped = sessionCount > 1;
  const title = useLastChangeTitle(sessionIds, (lastChange) => words.tooltip({ name, pids, grouped, disconnected, lastChange }));
  return (
    <button
      type="button"
      className="strip-head"
      // The steady part; the last change joins it while hovered or focused.
      title={title.steady}
      aria-haspopup="dialog"
      aria-expanded={inspected}
      onClick={onInspect}
      onPointerEnter={(event) => title.live.enter(event.currentTarget, 'pointer')}
      onPointerLeave={() => title.live.leave('pointer')}
      onFocus={(event) => title.live.enter(event.currentTarget, 'focus')}
      onBlur={() => title.live.leave('focus')}
    >
      <StripIcon icon={icon} isSystemSounds={isSystemSounds} />
      {grouped && (
        <span className="strip-badge" aria-hidden="true">
          {sessionCount}
        </span>
      )}
      {changesItself && (
        <span className="strip-flag" role="img" aria-label={words.changesItself} title={words.changesItselfHint}>
          ↕
        </span>
      )}
      <span className="strip-name">{name}</span>
      {/* Named by its content (no aria-label): what is read includes what is seen. */}
      <span className="visually-hidden">{grouped ? words.detailsGrouped(sessionCount) : words.details}</span>
    </button>
  );
});

/**
 * A head's tooltip: `steady` (rendered) without the last change, `live` keeping it worded
 * with the sessions' latest change from the store while hovered or focused.
 */
function useLastChangeTitle(sessionIds: readonly string[], compose: (lastChange: LastChange | null) => string) {
  const store = useMixerStore();
  const source: LiveTitleSource<LastChange> = { read: () => selectLastChange(store.getState(), sessionIds), compose, subscribe: store.subscribe };
  const [live] = useState(() => new LiveTitle(source));
  const steady = compose(null);
  // After React wrote a new steady title: worded again, before the paint, if it is showing.
  useLayoutEffect(() => live.refresh(source));
  useEffect(
    () => () => {
      live.leave('pointer');
      live.leave('focus');
    },
    [live],
  );
  return { steady, live };
}

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

export const StripIcon = memo(function StripIcon({ icon, isSystemSounds }: { icon: string | null; isSystemSounds: boolean }) {
  // Only data URLs: anything else would be a fetch the CSP blocks (and we never want).
  if (icon?.startsWith('data:image/')) return <OnScreenImage className="strip-icon" src={icon} />;
  return isSystemSounds ? <BellIcon className="strip-icon" /> : <AppIcon className="strip-icon" />;
});

export const MuteButton = memo(function MuteButton({
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
});

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
