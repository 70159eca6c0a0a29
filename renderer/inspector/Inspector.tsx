// The inspector: a side panel with everything QA checks about the picked strip's
// sessions: each identity field as the backend gave it, and each session's state history
// with times. A grouped strip lists every member. It outlives the strip (a session that
// ended still shows what it was), and closes with Escape or its close button.
import type { ReactNode } from 'react';
import { useCallback, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionRecord } from '../../native-bridge/types';
import { sessionDbMapping } from '../../core/contract';
import { useMixer, useMixerStore, useTimeline } from '../app/mixer-context';
import { BalanceControl } from './BalanceControl';
import { CloseIcon } from '../components/icons';
import { StripIcon } from '../components/SessionStrip';
import { selectStrip } from '../state/selectors';
import type { InspectedStrip } from '../state/store';
import { formatClock, formatCount, formatDateTime } from '../timeline/format';
import type { Translate } from '../components/strip-text';
import { lastChangeField } from '../components/strip-text';
import { toPercent } from '../controls/slider-view';
import type { VolumeText } from '../controls/volume-text';
import { volumeTextFor } from '../controls/volume-text';
import type { HistoryEntry } from '../timeline/session-history';

export function Inspector() {
  const target = useMixer((state) => state.inspected);
  return target ? <InspectorPanel target={target} /> : null;
}

function InspectorPanel({ target }: { target: InspectedStrip }) {
  const store = useMixerStore();
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const strip = useMixer((state) => selectStrip(state, target.deviceId, target.flow, target.stripKey));
  // Once the strip is gone, the name its first session last had.
  const lastKnownName = useTimeline((state) => state.tracker.histories.get(target.sessionIds[0] ?? '')?.record.displayName);
  const sessionIds = strip?.sessionIds ?? target.sessionIds;
  const grouped = sessionIds.length > 1;
  const { t } = useTranslation();

  // Focus moves into the panel when it opens on a strip, and back to that strip on close.
  useEffect(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus({ preventScroll: true });
  }, [target]);

  const close = useCallback(() => {
    store.getState().inspectStrip(null);
    if (opener.current?.isConnected) opener.current.focus();
  }, [store]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      // Escape in a text field elsewhere belongs to that field (it clears a search).
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('input[type="search"], input[type="text"], textarea') && !panel.current?.contains(target)) return;
      event.preventDefault();
      close();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [close]);

  return (
    <div
      ref={panel}
      className="inspector"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      tabIndex={-1}
      data-testid="inspector"
    >
      <div className="inspector-header">
        <StripIcon icon={strip?.icon ?? null} isSystemSounds={strip?.isSystemSounds ?? false} />
        <div className="inspector-heading">
          <h2 id={titleId} className="inspector-title">
            {strip?.displayName ?? lastKnownName ?? t('inspector.endedSession')}
          </h2>
          <p className="inspector-subtitle">
            {grouped ? t('inspector.groupedSessions', { count: sessionIds.length }) : t('inspector.sessionDetails')}
            {!strip && t('inspector.noLongerInMixer')}
          </p>
        </div>
        <button type="button" className="icon-button" aria-label={t('inspector.close')} title={t('inspector.closeHint')} onClick={close}>
          <CloseIcon className="icon-button-glyph" />
        </button>
      </div>
      {strip && !strip.disconnected && <BalanceControl name={strip.displayName} sessionIds={strip.sessionIds} />}
      {/* Focusable so the keyboard can scroll a long identity. */}
      <div className="inspector-body" tabIndex={0}>
        {sessionIds.map((sessionId, index) => (
          <SessionDetails
            key={sessionId}
            sessionId={sessionId}
            heading={grouped ? t('inspector.sessionOf', { index: index + 1, count: sessionIds.length }) : null}
          />
        ))}
      </div>
    </div>
  );
}

function SessionDetails({ sessionId, heading }: { sessionId: string; heading: string | null }) {
  const live = useMixer((state) => state.sessions.get(sessionId));
  const history = useTimeline((state) => state.tracker.histories.get(sessionId));
  const record = live ?? history?.record;
  const deviceName = useMixer((state) => (record ? state.devices.get(record.deviceId)?.name : undefined));
  const note = useMixer((state) => state.notes[sessionId]);
  const volumeScale = useMixer((state) => state.volumeScale);
  const volumeCurve = useMixer((state) => state.backend?.capabilities.sessionVolumeCurve);
  const backendName = useMixer((state) => state.backend?.name ?? '');
  const headingId = useId();
  const { t, i18n } = useTranslation();
  const language = i18n.language;

  if (!record) {
    return (
      <section className="inspector-session" aria-label={heading ?? t('inspector.session')}>
        <p className="inspector-note">{t('inspector.unknownSession', { id: sessionId })}</p>
      </section>
    );
  }
  const ended = !live || history?.ended === true;
  const dbMapping = sessionDbMapping({ sessionVolumeCurve: volumeCurve });
  const unknownDb = { kind: 'session', backend: backendName } as const;

  return (
    <section className="inspector-session" aria-labelledby={headingId} data-session-id={sessionId}>
      <h3 id={headingId} className="inspector-section-title">
        {heading ? t('inspector.headingWithName', { heading, name: record.displayName }) : t('inspector.identity')}
      </h3>
      <dl className="fields">
        <Field
          label={t('inspector.displayName')}
          value={record.displayName}
          // The source in words, and as the backend names it (R17..R19), which QA compares with the rules.
          note={t('inspector.displayNameFrom', { source: `${t(`displayNameSource.${record.displayNameSource}`)} (${record.displayNameSource})` })}
        />
        {record.mediaTitles.length > 0 && <Field label={t('inspector.playing')} value={record.mediaTitles.join(' · ')} note={t('inspector.playingNote')} />}
        {record.streamCount !== null && (
          <Field label={t('inspector.streams')} value={formatCount(record.streamCount, language)} note={t('inspector.streamsNote')} />
        )}
        <Field label={t('inspector.state')} value={stateText(t, record, ended)} />
        <VolumeField
          label={t('inspector.volume')}
          volume={record.volume}
          text={volumeTextFor(t, language, volumeScale, dbMapping, unknownDb)}
          other={volumeTextFor(t, language, volumeScale === 'percent' ? 'decibel' : 'percent', dbMapping, unknownDb)}
        />
        <Field
          label={t('inspector.lastChange')}
          value={note?.lastChange ? lastChangeField(t, note.lastChange) : ''}
          note={note?.changesItself ? t('change.changesItselfHint') : undefined}
          empty={t('inspector.noChangeYet')}
        />
        {note?.appKey !== undefined && <ReapplyField appKey={note.appKey} />}
        <Field label={t('inspector.sessionGuid')} value={record.sessionGuid} code />
        <Field label={t('inspector.crossProcess')} value={t(record.crossProcess ? 'inspector.yes' : 'inspector.no')} />
        <Field label={t('inspector.processId')} value={String(record.pid)} note={record.pid === 0 ? t('inspector.none') : undefined} code />
        <Field label={t('inspector.processName')} value={record.processName ?? ''} empty={t('inspector.none')} code />
        <Field label={t('inspector.device')} value={deviceName ?? record.deviceId} note={deviceName ? record.deviceId : undefined} />
        <Field label={t('inspector.flow')} value={t(record.flow === 'render' ? 'inspector.flowRender' : 'inspector.flowCapture')} />
        <Field label={t('inspector.sessionIdentifier')} value={record.sessionIdentifier} empty={t('inspector.empty')} code />
        <Field label={t('inspector.sessionInstanceIdentifier')} value={record.sessionInstanceIdentifier} empty={t('inspector.empty')} code />
        <Field label={t('inspector.groupingParam')} value={record.groupingParam} empty={t('inspector.empty')} code />
        <Field label={t('inspector.iconPath')} value={record.iconPath} empty={t('inspector.noneGiven')} code />
        <Field label={t('inspector.sndmixId')} value={record.id} code />
      </dl>
      <h4 className="inspector-section-title">{t('inspector.stateHistory')}</h4>
      {history && history.entries.length > 0 ? (
        <>
          {history.trimmed > 0 && (
            <p className="inspector-note">{t('inspector.trimmed', { formatted: formatCount(history.trimmed, language) })}</p>
          )}
          <ol className="history" aria-label={t('inspector.stateHistoryOf', { name: record.displayName })}>
            {history.entries.map((entry, index) => (
              <li key={`${entry.time}-${entry.seq ?? 'snapshot'}-${index}`} className="history-entry" data-change={entry.change}>
                <time className="history-time" dateTime={new Date(entry.time).toISOString()} title={formatDateTime(entry.time, language)}>
                  {formatClock(entry.time, language)}
                </time>
                <span className="history-text">{historyText(t, entry)}</span>
                {entry.seq !== null && <span className="history-seq">{`#${entry.seq}`}</span>}
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="inspector-note">{t('inspector.nothingYet')}</p>
      )}
    </section>
  );
}

function Field({
  label,
  value,
  note,
  empty,
  code = false,
}: {
  label: string;
  value: string;
  note?: string;
  /** Shown (and marked as such) when the value is the empty string. */
  empty?: string;
  code?: boolean;
}) {
  let shown: ReactNode = value;
  if (value === '' && empty) shown = <span className="field-empty">{`(${empty})`}</span>;
  else if (code) shown = <code className="field-code">{value}</code>;
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>
        {shown}
        {note && <span className="field-note">{note}</span>}
      </dd>
    </div>
  );
}

/** The session's volume in the chosen scale, with the other scale beside it (QA compares both). */
/** The app's rule from the strip menu: the profile applied when it appears, if any. */
function ReapplyField({ appKey }: { appKey: string }) {
  const profile = useMixer((state) => state.preferences.apps[appKey]?.reapplyProfile ?? null);
  const { t } = useTranslation();
  return <Field label={t('inspector.reapply')} value={profile === null ? t('inspector.reapplyOff') : t('inspector.reapplyProfile', { profile })} />;
}

function VolumeField({ label, volume, text, other }: { label: string; volume: number; text: VolumeText; other: VolumeText }) {
  const percent = toPercent(volume);
  const shown = text.spoken(percent);
  const aside = other.spoken(percent);
  return <Field label={label} value={shown} note={other.note === null && aside !== shown ? aside : undefined} />;
}

function stateText(t: Translate, record: SessionRecord, ended: boolean): string {
  const parts: string[] = [t(`sessionState.${record.state}`)];
  if (record.disconnected) parts.push(t('inspector.stateDisconnected', { reason: t(`disconnectReason.${record.disconnected}`) }));
  if (ended) parts.push(t('inspector.stateEnded'));
  return parts.join(', ');
}

/** One line of a session's history, e.g. "Seen as active" or "Disconnected: device removed". */
export function historyText(t: Translate, entry: HistoryEntry): string {
  const state = t(`sessionState.${entry.state}`);
  const reason = entry.disconnected ? t(`disconnectReason.${entry.disconnected}`) : null;
  switch (entry.change) {
    case 'seen':
      return reason ? t('history.seenDisconnected', { state, reason }) : t('history.seen', { state });
    case 'created':
      return reason ? t('history.createdDisconnected', { state, reason }) : t('history.created', { state });
    case 'state':
      return t('history.state', { state });
    case 'disconnected':
      return t('history.disconnected', { reason: reason ?? t('history.unknownReason') });
    case 'ended':
      return t('history.ended');
    case 'unlisted':
      return t('history.unlisted');
  }
}
