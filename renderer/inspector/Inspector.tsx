// The inspector: a side panel with everything QA checks about the picked strip's
// sessions: each identity field as the backend gave it, and each session's state history
// with times. A grouped strip lists every member. It outlives the strip (a session that
// ended still shows what it was), and closes with Escape or its close button.
import type { ReactNode } from 'react';
import { useCallback, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionRecord } from '../../native-bridge/types';
import { useMixer, useMixerStore, useTimeline } from '../app/mixer-context';
import { BalanceControl } from './BalanceControl';
import { CloseIcon } from '../components/icons';
import { StripIcon } from '../components/SessionStrip';
import { selectStrip } from '../state/selectors';
import type { InspectedStrip } from '../state/store';
import { formatClock, formatCount, formatDateTime } from '../timeline/format';
import { lastChangeField } from '../components/strip-text';
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
  const headingId = useId();
  const { t } = useTranslation();

  if (!record) {
    return (
      <section className="inspector-session" aria-label={heading ?? t('inspector.session')}>
        <p className="inspector-note">{t('inspector.unknownSession', { id: sessionId })}</p>
      </section>
    );
  }
  const ended = !live || history?.ended === true;

  return (
    <section className="inspector-session" aria-labelledby={headingId} data-session-id={sessionId}>
      <h3 id={headingId} className="inspector-section-title">
        {heading ? t('inspector.headingWithName', { heading, name: record.displayName }) : t('inspector.identity')}
      </h3>
      <dl className="fields">
        <Field label={t('inspector.displayName')} value={record.displayName} note={t('inspector.displayNameFrom', { source: record.displayNameSource })} />
        {record.mediaTitles.length > 0 && <Field label={t('inspector.playing')} value={record.mediaTitles.join(' · ')} note={t('inspector.playingNote')} />}
        {record.streamCount !== null && <Field label="Streams" value={String(record.streamCount)} note="open now" />}
        <Field label={t('inspector.state')} value={stateText(record, ended)} />
        <Field
          label={t('inspector.lastChange')}
          value={note?.lastChange ? lastChangeField(t, note.lastChange) : ''}
          note={note?.changesItself ? t('change.changesItselfHint') : undefined}
          empty={t('inspector.noChangeYet')}
        />
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
            <p className="inspector-note">{t('inspector.trimmed', { formatted: formatCount(history.trimmed) })}</p>
          )}
          <ol className="history" aria-label={t('inspector.stateHistoryOf', { name: record.displayName })}>
            {history.entries.map((entry, index) => (
              <li key={`${entry.time}-${entry.seq ?? 'snapshot'}-${index}`} className="history-entry" data-change={entry.change}>
                <time className="history-time" dateTime={new Date(entry.time).toISOString()} title={formatDateTime(entry.time)}>
                  {formatClock(entry.time)}
                </time>
                <span className="history-text">{historyText(entry)}</span>
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

function stateText(record: SessionRecord, ended: boolean): string {
  const parts: string[] = [record.state];
  if (record.disconnected) parts.push(`disconnected (${record.disconnected})`);
  if (ended) parts.push('ended');
  return parts.join(', ');
}

/** One line of a session's history, e.g. "Seen as active" or "Disconnected: device-removed". */
export function historyText(entry: HistoryEntry): string {
  const disconnected = entry.disconnected ? `, disconnected (${entry.disconnected})` : '';
  switch (entry.change) {
    case 'seen':
      return `Seen as ${entry.state}${disconnected}`;
    case 'created':
      return `Created, ${entry.state}${disconnected}`;
    case 'state':
      return capitalise(entry.state);
    case 'disconnected':
      return `Disconnected: ${entry.disconnected ?? 'unknown reason'}`;
    case 'ended':
      return 'Ended: expired with its last stream, removed from the device';
    case 'unlisted':
      return 'Gone: no longer listed after reconnecting';
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
