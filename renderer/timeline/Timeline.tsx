// The event timeline: every backend event this window received, newest at the bottom,
// with its old and new values; filterable, pausable (recording goes on), bounded, and
// exportable. It reads only the timeline store, so its pace never re-renders the mixer.
import type { KeyboardEvent } from 'react';
import { memo, useEffect, useId, useMemo, useRef } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { BackendEventType } from '../../native-bridge/types';
import { useMixerStore, useTimeline, useTimelineStore } from '../app/mixer-context';
import type { TimelineEntry, Translate } from './describe-event';
import { detailText } from './describe-event';
import type { EntrySource } from './filters';
import {
  EVENT_TYPES,
  filterEntries,
  isFiltering,
  parseProcessFilter,
  processFilterValue,
  processOptions,
  sessionOptions,
} from './filters';
import { downloadText, exportFileName, timelineToCsv, timelineToJson, timelineToScenario } from './export';
import { formatChange, formatClock, formatCount, formatDateTime } from './format';
import type { TimelineState } from './timeline-store';
import { newWhilePaused } from './timeline-store';
import { VirtualRows } from './VirtualRows';

export const TIMELINE_ROW_HEIGHT = 28;
export const TIMELINE_SIZES = [1_000, 5_000, 10_000, 50_000, 100_000] as const;

type ViewInputs = Pick<TimelineState, 'entries' | 'paused' | 'filter'>;

/** What the view shows: the frozen entries while paused, else the live ones; then the filter. */
function shownSource({ entries, paused, filter }: ViewInputs): EntrySource {
  const base = paused ? paused.entries : entries;
  return isFiltering(filter) ? filterEntries(base, filter) : base;
}

/** The entries the view shows, as an array (what the export buttons save). */
function shownEntries(state: ViewInputs): TimelineEntry[] {
  const source = shownSource(state);
  return Array.from({ length: source.length }, (_, index) => source.at(index) as TimelineEntry);
}

export function Timeline() {
  const titleId = useId();
  const { t } = useTranslation();
  return (
    <section className="timeline" aria-labelledby={titleId} data-testid="event-timeline">
      <div className="timeline-header">
        <h2 id={titleId} className="timeline-title">
          {t('events.title')}
        </h2>
        <TimelineActions />
      </div>
      <TimelineFilters />
      <TimelineTable />
    </section>
  );
}

function TimelineActions() {
  const store = useTimelineStore();
  const paused = useTimeline((state) => state.paused !== null);
  const pending = useTimeline(newWhilePaused);
  const capacity = useTimeline((state) => state.capacity);
  const sizes = TIMELINE_SIZES.includes(capacity as (typeof TIMELINE_SIZES)[number])
    ? TIMELINE_SIZES
    : [...TIMELINE_SIZES, capacity].sort((a, b) => a - b);
  const { t, i18n } = useTranslation();
  const count = (value: number) => formatCount(value, i18n.language);

  const mixer = useMixerStore();
  const save = (format: 'json' | 'csv' | 'yaml') => {
    const entries = shownEntries(store.getState());
    if (format === 'json') downloadText(exportFileName('json'), 'application/json', timelineToJson(entries));
    else if (format === 'csv') downloadText(exportFileName('csv'), 'text/csv;charset=utf-8', timelineToCsv(entries));
    else {
      const { tracker } = store.getState();
      const { backend, devices } = mixer.getState();
      const text = timelineToScenario(entries, {
        backend: backend?.name ?? 'sim',
        devices: [...devices.values()],
        history: (sessionId) => tracker.histories.get(sessionId),
      });
      downloadText(exportFileName('yaml'), 'application/yaml', text);
    }
  };

  return (
    <div className="timeline-actions">
      {paused ? (
        <button type="button" className="button button-accent" onClick={() => store.getState().resume()}>
          {pending > 0 ? t('events.resumeNew', { formatted: count(pending) }) : t('events.resume')}
        </button>
      ) : (
        <button type="button" className="button" onClick={() => store.getState().pause()}>
          {t('events.pause')}
        </button>
      )}
      <button type="button" className="button" title={t('events.clearHint')} onClick={() => store.getState().clear()}>
        {t('events.clear')}
      </button>
      <button type="button" className="button" title={t('events.exportJsonHint')} onClick={() => save('json')}>
        {t('events.exportJson')}
      </button>
      <button type="button" className="button" title={t('events.exportCsvHint')} onClick={() => save('csv')}>
        {t('events.exportCsv')}
      </button>
      <button type="button" className="button" title={t('events.saveScenarioHint')} onClick={() => save('yaml')}>
        {t('events.saveScenario')}
      </button>
      <label className="field">
        <span className="field-label">{t('events.keep')}</span>
        <select
          className="select select-compact"
          value={capacity}
          onChange={(event) => store.getState().setCapacity(Number(event.currentTarget.value))}
        >
          {sizes.map((size) => (
            <option key={size} value={size}>
              {t('events.keepEvents', { formatted: count(size) })}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function TimelineFilters() {
  const store = useTimelineStore();
  const filter = useTimeline((state) => state.filter);
  const sessions = useTimeline((state) => state.sessions);
  const { t } = useTranslation();
  const options = useMemo(
    () => ({ sessions: sessionOptions(sessions, t as Translate), processes: processOptions(sessions, t as Translate) }),
    [sessions, t],
  );
  const setFilter = store.getState().setFilter;

  return (
    <div className="timeline-filters" role="search" aria-label={t('events.filters')}>
      <label className="field">
        <span className="field-label">{t('events.session')}</span>
        <select
          className="select select-compact"
          value={filter.sessionId ?? ''}
          onChange={(event) => setFilter({ sessionId: event.currentTarget.value || null })}
        >
          <option value="">{t('events.allSessions')}</option>
          {options.sessions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <TypeMenu selected={filter.types} onChange={(types) => setFilter({ types })} />
      <label className="field">
        <span className="field-label">{t('events.process')}</span>
        <select
          className="select select-compact"
          value={processFilterValue(filter.process)}
          onChange={(event) => setFilter({ process: parseProcessFilter(event.currentTarget.value) })}
        >
          <option value="">{t('events.allProcesses')}</option>
          {options.processes.byName.length > 0 && (
            <optgroup label={t('events.byName')}>
              {options.processes.byName.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </optgroup>
          )}
          {options.processes.byPid.length > 0 && (
            <optgroup label={t('events.byPid')}>
              {options.processes.byPid.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label className="field field-grow">
        <span className="field-label">{t('events.search')}</span>
        <input
          type="search"
          className="text-input"
          placeholder={t('events.searchPlaceholder')}
          value={filter.text}
          onChange={(event) => setFilter({ text: event.currentTarget.value })}
        />
      </label>
    </div>
  );
}

/** Event types as a checkbox list in a disclosure: several can be picked at once. */
function TypeMenu({
  selected,
  onChange,
}: {
  selected: ReadonlySet<BackendEventType> | null;
  onChange(types: ReadonlySet<BackendEventType> | null): void;
}) {
  const menu = useRef<HTMLDetailsElement>(null);
  const { t } = useTranslation();
  const summary =
    selected === null
      ? t('events.allTypes')
      : selected.size === 1
        ? [...selected][0]
        : t('events.someTypes', { selected: selected.size, total: EVENT_TYPES.length });

  // Clicking elsewhere closes it, as a menu would.
  useEffect(() => {
    const close = (event: PointerEvent) => {
      const element = menu.current;
      if (element?.open && !element.contains(event.target as Node)) element.open = false;
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDetailsElement>) => {
    const element = menu.current;
    if (event.key !== 'Escape' || !element?.open) return;
    // Handled here: Escape must not also close the inspector.
    event.preventDefault();
    element.open = false;
    element.querySelector('summary')?.focus();
  };

  const toggle = (type: BackendEventType, on: boolean) => {
    const next = new Set(selected ?? EVENT_TYPES);
    if (on) next.add(type);
    else next.delete(type);
    onChange(next.size === EVENT_TYPES.length ? null : next);
  };

  return (
    <details className="menu" ref={menu} onKeyDown={onKeyDown}>
      <summary className="menu-summary">
        <span className="field-label">{t('events.types')}</span>
        <span className="select select-compact menu-value">{summary}</span>
      </summary>
      <div className="menu-popover" role="group" aria-label={t('events.eventTypes')}>
        <div className="menu-quick">
          <button type="button" className="link-button" onClick={() => onChange(null)}>
            {t('events.all')}
          </button>
          <button type="button" className="link-button" onClick={() => onChange(new Set())}>
            {t('events.none')}
          </button>
        </div>
        {EVENT_TYPES.map((type) => (
          <label key={type} className="menu-item">
            <input
              type="checkbox"
              checked={selected === null || selected.has(type)}
              onChange={(event) => toggle(type, event.currentTarget.checked)}
            />
            <span>{type}</span>
          </label>
        ))}
      </div>
    </details>
  );
}

function TimelineTable() {
  const store = useTimelineStore();
  const live = useTimeline((state) => state.entries);
  const paused = useTimeline((state) => state.paused);
  const filter = useTimeline((state) => state.filter);
  const recorded = useTimeline((state) => state.recorded);
  const dropped = useTimeline((state) => state.dropped);
  const missed = useTimeline((state) => state.missed);
  const entries = useMemo(() => shownSource({ entries: live, paused, filter }), [live, paused, filter]);
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const count = (value: number) => formatCount(value, language);

  return (
    <>
      <p className="timeline-status" data-testid="timeline-status">
        <span>{t('events.shown', { formatted: count(entries.length) })}</span>
        <span>{t('events.kept', { kept: count(live.length), received: count(recorded) })}</span>
        <span data-testid="timeline-dropped" className={dropped > 0 ? 'status-warn' : undefined}>
          {t('events.dropped', { formatted: count(dropped) })}
        </span>
        {missed > 0 && (
          <span className="status-warn" title={t('events.missedHint')}>
            {t('events.missed', { formatted: count(missed) })}
          </span>
        )}
        {paused && <span className="status-paused">{t('events.paused')}</span>}
      </p>
      <div
        className="timeline-table"
        role="table"
        aria-label={t('events.table')}
        aria-rowcount={entries.length + 1}
      >
        <div role="rowgroup" className="timeline-head">
          <div role="row" aria-rowindex={1} className="timeline-row">
            <span role="columnheader">{t('events.time')}</span>
            <span role="columnheader">#</span>
            <span role="columnheader">{t('events.event')}</span>
            <span role="columnheader">{t('events.subject')}</span>
            <span role="columnheader">{t('events.change')}</span>
            <span role="columnheader">{t('events.detail')}</span>
          </div>
        </div>
        <VirtualRows
          className="timeline-body"
          label={t('events.rows')}
          count={entries.length}
          rowHeight={TIMELINE_ROW_HEIGHT}
          follow={paused === null}
          onScrollAway={() => store.getState().pause()}
          renderRow={(index) => {
            const entry = entries.at(index);
            return entry ? <TimelineRow key={entry.id} entry={entry} rowIndex={index + 2} t={t} language={language} /> : null;
          }}
        />
        {entries.length === 0 && (
          <p className="timeline-empty">
            {isFiltering(filter) ? t('events.noMatch') : t('events.empty')}
          </p>
        )}
      </div>
    </>
  );
}

/** One event; the table's translator and language come in as props (no i18n subscription per row). */
const TimelineRow = memo(function TimelineRow({
  entry,
  rowIndex,
  t,
  language,
}: {
  entry: TimelineEntry;
  rowIndex: number;
  t: TFunction;
  language: string;
}) {
  const { event } = entry;
  const change = entry.changes.map((fieldChange) => formatChange(fieldChange, t)).join(' · ');
  const process =
    entry.pid === null ? '' : entry.pid === 0 ? t('events.crossProcess') : `${entry.processName ?? t('events.processFallback')} ${entry.pid}`;
  const subject = entry.sessionId === null && entry.deviceId === null ? t('events.noDevice') : entry.subject;
  const detail = detailText(entry.detail, t as Translate);
  return (
    <div role="row" aria-rowindex={rowIndex} className="timeline-row" data-category={CATEGORY[event.type]}>
      <span role="cell" className="cell-time" title={formatDateTime(event.time, language)}>
        {formatClock(event.time, language)}
      </span>
      <span role="cell" className="cell-seq" title={event.source === 'poll' ? t('events.pollHint') : undefined}>
        {event.seq}
        {event.source === 'poll' && <span className="poll-mark">{t('events.poll')}</span>}
      </span>
      <span role="cell" className="cell-type">
        <span className="type-dot" aria-hidden="true" />
        {event.type}
      </span>
      <span role="cell" className="cell-subject" title={[subject, process, entry.sessionId].filter(Boolean).join('\n')}>
        {subject}
        {process && <span className="cell-secondary">{process}</span>}
      </span>
      <span role="cell" className="cell-change" title={change}>
        {change}
      </span>
      <span role="cell" className="cell-detail" title={detail}>
        {detail}
      </span>
    </div>
  );
});

type Category = 'lifecycle' | 'identity' | 'level' | 'device' | 'duck';

/** The colour family of each event type's dot. */
const CATEGORY: Record<BackendEventType, Category> = {
  'session-created': 'lifecycle',
  'state-changed': 'lifecycle',
  disconnected: 'lifecycle',
  'display-name-changed': 'identity',
  'icon-changed': 'identity',
  'grouping-changed': 'identity',
  'streams-changed': 'identity',
  'output-route-changed': 'identity',
  'volume-changed': 'level',
  'channel-volume-changed': 'level',
  'device-added': 'device',
  'device-removed': 'device',
  'device-changed': 'device',
  'default-device-changed': 'device',
  duck: 'duck',
  unduck: 'duck',
};
