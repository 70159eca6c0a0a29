// What the timeline shows: entries matching a session, a set of event types, a process
// and free text. Pure functions over entries, so the view and the export agree.
import type { BackendEventType } from '../../native-bridge/types';
import { inEnglish } from '../i18n/i18n';
import type { TimelineEntry } from './describe-event';
import type { Translate } from './describe-event';
import { detailText } from './describe-event';
import type { SessionHistory } from './session-history';

export { EVENT_TYPES } from '../../core/contract';

export type ProcessFilter = { kind: 'pid'; pid: number } | { kind: 'name'; name: string };

export interface TimelineFilter {
  sessionId: string | null;
  /** Null shows every type. */
  types: ReadonlySet<BackendEventType> | null;
  process: ProcessFilter | null;
  text: string;
}

export const NO_FILTER: TimelineFilter = { sessionId: null, types: null, process: null, text: '' };

export function isFiltering(filter: TimelineFilter): boolean {
  return filter.sessionId !== null || filter.types !== null || filter.process !== null || filter.text.trim() !== '';
}

export function entryMatcher(filter: TimelineFilter): (entry: TimelineEntry) => boolean {
  const { sessionId, types, process } = filter;
  const text = filter.text.trim().toLowerCase();
  return (entry) => {
    if (sessionId !== null && entry.sessionId !== sessionId) return false;
    if (types !== null && !types.has(entry.event.type)) return false;
    if (process !== null) {
      if (process.kind === 'pid' ? entry.pid !== process.pid : entry.processName !== process.name) return false;
    }
    return text === '' || searchText(entry).includes(text);
  };
}

/** A read-only list by index: the ring itself, or an array. */
export interface EntrySource {
  readonly length: number;
  at(index: number): TimelineEntry | undefined;
}

export function filterEntries(source: EntrySource, filter: TimelineFilter): TimelineEntry[] {
  const matches = entryMatcher(filter);
  const out: TimelineEntry[] = [];
  for (let index = 0; index < source.length; index += 1) {
    const entry = source.at(index);
    if (entry && matches(entry)) out.push(entry);
  }
  return out;
}

const searchTexts = new WeakMap<TimelineEntry, string>();

function searchText(entry: TimelineEntry): string {
  let text = searchTexts.get(entry);
  if (text === undefined) {
    text = [
      entry.event.type,
      entry.subject,
      entry.sessionId ?? '',
      entry.deviceId ?? '',
      entry.pid ?? '',
      entry.processName ?? '',
      detailText(entry.detail, inEnglish),
      ...entry.changes.map((change) => `${change.field} ${change.old ?? ''} ${change.new}`),
    ]
      .join('\n')
      .toLowerCase();
    searchTexts.set(entry, text);
  }
  return text;
}

export interface FilterOption {
  value: string;
  label: string;
}

/** Sessions to filter by: every session this client has known, ended ones marked (in the view's words). */
export function sessionOptions(histories: readonly SessionHistory[], t: Translate = inEnglish): FilterOption[] {
  return histories
    .map(({ sessionId, record, ended }) => {
      const label = `${record.displayName}${record.pid > 0 ? ` (${record.pid})` : ''}`;
      return { value: sessionId, label: ended ? t('events.sessionEnded', { label }) : label };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function processOptions(histories: readonly SessionHistory[], t: Translate = inEnglish): { byName: FilterOption[]; byPid: FilterOption[] } {
  const names = new Set<string>();
  const pids = new Map<number, string>();
  for (const { record } of histories) {
    if (record.processName) names.add(record.processName);
    if (!pids.has(record.pid)) pids.set(record.pid, record.processName ?? t('events.noProcess'));
  }
  return {
    byName: [...names].sort((a, b) => a.localeCompare(b)).map((name) => ({ value: `name:${name}`, label: name })),
    byPid: [...pids]
      .sort(([a], [b]) => a - b)
      .map(([pid, name]) => ({ value: `pid:${pid}`, label: pid === 0 ? t('events.pidCrossProcess') : t('events.pidOf', { pid, name }) })),
  };
}

/** The <select> value for a process filter and back. */
export function processFilterValue(process: ProcessFilter | null): string {
  if (process === null) return '';
  return process.kind === 'pid' ? `pid:${process.pid}` : `name:${process.name}`;
}

export function parseProcessFilter(value: string): ProcessFilter | null {
  if (value.startsWith('pid:')) {
    const pid = Number(value.slice(4));
    return Number.isInteger(pid) && pid >= 0 ? { kind: 'pid', pid } : null;
  }
  if (value.startsWith('name:') && value.length > 5) return { kind: 'name', name: value.slice(5) };
  return null;
}
