// The event timeline: every backend event this window received, newest at the bottom,
// with its old and new values; filterable, pausable (recording goes on), bounded, and
// exportable. It reads only the timeline store, so its pace never re-renders the mixer.
import type { KeyboardEvent } from 'react';
import { memo, useEffect, useId, useMemo, useRef } from 'react';
import type { BackendEventType } from '../../native-bridge/types';
import { useTimeline, useTimelineStore } from '../app/mixer-context';
import type { TimelineEntry } from './describe-event';
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
import { downloadText, exportFileName, timelineToCsv, timelineToJson } from './export';
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
  return (
    <section className="timeline" aria-labelledby={titleId} data-testid="event-timeline">
      <div className="timeline-header">
        <h2 id={titleId} className="timeline-title">
          Event timeline
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

  const save = (format: 'json' | 'csv') => {
    const entries = shownEntries(store.getState());
    if (format === 'json') downloadText(exportFileName('json'), 'application/json', timelineToJson(entries));
    else downloadText(exportFileName('csv'), 'text/csv;charset=utf-8', timelineToCsv(entries));
  };

  return (
    <div className="timeline-actions">
      {paused ? (
        <button type="button" className="button button-accent" onClick={() => store.getState().resume()}>
          {pending > 0 ? `Resume (${formatCount(pending)} new)` : 'Resume'}
        </button>
      ) : (
        <button type="button" className="button" onClick={() => store.getState().pause()}>
          Pause
        </button>
      )}
      <button
        type="button"
        className="button"
        title="Forget the recorded events (sessions' histories stay)"
        onClick={() => store.getState().clear()}
      >
        Clear
      </button>
      <button type="button" className="button" title="Save the events shown, as JSON" onClick={() => save('json')}>
        Export JSON
      </button>
      <button type="button" className="button" title="Save the events shown, as CSV" onClick={() => save('csv')}>
        Export CSV
      </button>
      <label className="field">
        <span className="field-label">Keep</span>
        <select
          className="select select-compact"
          value={capacity}
          onChange={(event) => store.getState().setCapacity(Number(event.currentTarget.value))}
        >
          {sizes.map((size) => (
            <option key={size} value={size}>
              {`${formatCount(size)} events`}
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
  const options = useMemo(
    () => ({ sessions: sessionOptions(sessions), processes: processOptions(sessions) }),
    [sessions],
  );
  const setFilter = store.getState().setFilter;

  return (
    <div className="timeline-filters" role="search" aria-label="Filter events">
      <label className="field">
        <span className="field-label">Session</span>
        <select
          className="select select-compact"
          value={filter.sessionId ?? ''}
          onChange={(event) => setFilter({ sessionId: event.currentTarget.value || null })}
        >
          <option value="">All sessions</option>
          {options.sessions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <TypeMenu selected={filter.types} onChange={(types) => setFilter({ types })} />
      <label className="field">
        <span className="field-label">Process</span>
        <select
          className="select select-compact"
          value={processFilterValue(filter.process)}
          onChange={(event) => setFilter({ process: parseProcessFilter(event.currentTarget.value) })}
        >
          <option value="">All processes</option>
          {options.processes.byName.length > 0 && (
            <optgroup label="By name">
              {options.processes.byName.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </optgroup>
          )}
          {options.processes.byPid.length > 0 && (
            <optgroup label="By process id">
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
        <span className="field-label">Search</span>
        <input
          type="search"
          className="text-input"
          placeholder="Name, value, id…"
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
  const summary =
    selected === null
      ? 'All types'
      : selected.size === 1
        ? [...selected][0]
        : `${selected.size} of ${EVENT_TYPES.length} types`;

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
        <span className="field-label">Types</span>
        <span className="select select-compact menu-value">{summary}</span>
      </summary>
      <div className="menu-popover" role="group" aria-label="Event types">
        <div className="menu-quick">
          <button type="button" className="link-button" onClick={() => onChange(null)}>
            All
          </button>
          <button type="button" className="link-button" onClick={() => onChange(new Set())}>
            None
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

  return (
    <>
      <p className="timeline-status" data-testid="timeline-status">
        <span>{`${formatCount(entries.length)} shown`}</span>
        <span>{`${formatCount(live.length)} kept of ${formatCount(recorded)} received`}</span>
        <span data-testid="timeline-dropped" className={dropped > 0 ? 'status-warn' : undefined}>
          {`${formatCount(dropped)} oldest dropped`}
        </span>
        {missed > 0 && (
          <span className="status-warn" title="Logged by SndMix while this window was not connected">
            {`${formatCount(missed)} missed while disconnected`}
          </span>
        )}
        {paused && <span className="status-paused">View paused: still recording</span>}
      </p>
      <div
        className="timeline-table"
        role="table"
        aria-label="Backend events"
        aria-rowcount={entries.length + 1}
      >
        <div role="rowgroup" className="timeline-head">
          <div role="row" aria-rowindex={1} className="timeline-row">
            <span role="columnheader">Time</span>
            <span role="columnheader">#</span>
            <span role="columnheader">Event</span>
            <span role="columnheader">Session or device</span>
            <span role="columnheader">Change</span>
            <span role="columnheader">Detail</span>
          </div>
        </div>
        <VirtualRows
          className="timeline-body"
          label="Events, oldest first"
          count={entries.length}
          rowHeight={TIMELINE_ROW_HEIGHT}
          follow={paused === null}
          onScrollAway={() => store.getState().pause()}
          renderRow={(index) => {
            const entry = entries.at(index);
            return entry ? <TimelineRow key={entry.id} entry={entry} rowIndex={index + 2} /> : null;
          }}
        />
        {entries.length === 0 && (
          <p className="timeline-empty">
            {isFiltering(filter) ? 'No event matches the filter.' : 'No event yet: changes to sessions and devices appear here.'}
          </p>
        )}
      </div>
    </>
  );
}

const TimelineRow = memo(function TimelineRow({ entry, rowIndex }: { entry: TimelineEntry; rowIndex: number }) {
  const { event } = entry;
  const change = entry.changes.map(formatChange).join(' · ');
  const process = entry.pid === null ? '' : entry.pid === 0 ? 'cross-process' : `${entry.processName ?? 'process'} ${entry.pid}`;
  return (
    <div role="row" aria-rowindex={rowIndex} className="timeline-row" data-category={CATEGORY[event.type]}>
      <span role="cell" className="cell-time" title={formatDateTime(event.time)}>
        {formatClock(event.time)}
      </span>
      <span role="cell" className="cell-seq" title={event.source === 'poll' ? 'Found by a reconcile poll' : undefined}>
        {event.seq}
        {event.source === 'poll' && <span className="poll-mark">poll</span>}
      </span>
      <span role="cell" className="cell-type">
        <span className="type-dot" aria-hidden="true" />
        {event.type}
      </span>
      <span role="cell" className="cell-subject" title={[entry.subject, process, entry.sessionId].filter(Boolean).join('\n')}>
        {entry.subject}
        {process && <span className="cell-secondary">{process}</span>}
      </span>
      <span role="cell" className="cell-change" title={change}>
        {change}
      </span>
      <span role="cell" className="cell-detail" title={entry.detail}>
        {entry.detail}
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
  'volume-changed': 'level',
  'channel-volume-changed': 'level',
  'device-added': 'device',
  'device-removed': 'device',
  'device-changed': 'device',
  'default-device-changed': 'device',
  duck: 'duck',
  unduck: 'duck',
};
