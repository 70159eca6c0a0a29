import { describe, expect, it } from 'vitest';
import { session, snapshot } from '../testing/fixtures';
import { T0, eventsMessage, volumeEvent } from '../testing/events';
import type { TimelineEntry } from './describe-event';
import { EventTracker } from './event-tracker';
import type { TimelineFilter } from './filters';
import {
  EVENT_TYPES,
  NO_FILTER,
  filterEntries,
  isFiltering,
  parseProcessFilter,
  processFilterValue,
  processOptions,
  sessionOptions,
} from './filters';

const CHROME_GROUP = '{aaaaaaaa-0000-0000-0000-000000000001}';

function recorded(): { entries: TimelineEntry[]; tracker: EventTracker } {
  const tracker = new EventTracker();
  tracker.apply(
    snapshot({
      sessions: [
        session('firefox', { displayName: 'Firefox', pid: 1000, processName: 'firefox.exe' }),
        session('chrome-1', { displayName: 'Chrome', pid: 2001, processName: 'chrome.exe', groupingParam: CHROME_GROUP }),
        session('chrome-2', { displayName: 'Chrome', pid: 2002, processName: 'chrome.exe', groupingParam: CHROME_GROUP }),
        session('system', { displayName: 'System Sounds', pid: 0, processName: null, crossProcess: true }),
      ],
    }),
    T0,
  );
  const { entries } = tracker.apply(
    eventsMessage(
      volumeEvent('firefox', 0.1),
      volumeEvent('chrome-1', 0.2),
      { type: 'state-changed', sessionId: 'chrome-2', state: 'inactive', terminated: false },
      volumeEvent('system', 0.3),
      { type: 'device-removed', deviceId: 'dev-headphones' },
    ),
    T0,
  );
  return { entries, tracker };
}

function shown(change: Partial<TimelineFilter>): string[] {
  return filterEntries(recorded().entries, { ...NO_FILTER, ...change }).map(
    (entry) => `${entry.event.type}:${entry.sessionId ?? entry.deviceId}`,
  );
}

describe('timeline filters', () => {
  it('shows everything without a filter', () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(shown({})).toHaveLength(5);
    expect(isFiltering({ ...NO_FILTER, text: '  ' })).toBe(false);
  });

  it('filters by session', () => {
    expect(shown({ sessionId: 'chrome-1' })).toEqual(['volume-changed:chrome-1']);
  });

  it('filters by several event types', () => {
    expect(shown({ types: new Set(['state-changed', 'device-removed']) })).toEqual([
      'state-changed:chrome-2',
      'device-removed:dev-headphones',
    ]);
    expect(shown({ types: new Set() })).toEqual([]);
  });

  it('filters by process id or by process name', () => {
    expect(shown({ process: { kind: 'pid', pid: 2002 } })).toEqual(['state-changed:chrome-2']);
    expect(shown({ process: { kind: 'name', name: 'chrome.exe' } })).toEqual([
      'volume-changed:chrome-1',
      'state-changed:chrome-2',
    ]);
    expect(shown({ process: { kind: 'pid', pid: 0 } })).toEqual(['volume-changed:system']);
  });

  it('searches names, values and types, ignoring case', () => {
    expect(shown({ text: 'SYSTEM sou' })).toEqual(['volume-changed:system']);
    expect(shown({ text: '0.20' })).toEqual(['volume-changed:chrome-1']);
    expect(shown({ text: 'inactive' })).toEqual(['state-changed:chrome-2']);
  });

  it('combines filters', () => {
    expect(shown({ process: { kind: 'name', name: 'chrome.exe' }, types: new Set(['volume-changed']) })).toEqual([
      'volume-changed:chrome-1',
    ]);
  });

  it('lists every backend event type once', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(EVENT_TYPES).toContain('session-created');
    expect(EVENT_TYPES).toContain('unduck');
    expect(EVENT_TYPES).toContain('streams-changed');
  });

  it('offers the sessions and processes this client knows', () => {
    const histories = recorded().tracker.histories.all();
    expect(sessionOptions(histories).map((option) => option.label)).toEqual([
      'Chrome (2001)',
      'Chrome (2002)',
      'Firefox (1000)',
      'System Sounds',
    ]);
    const { byName, byPid } = processOptions(histories);
    expect(byName.map((option) => option.label)).toEqual(['chrome.exe', 'firefox.exe']);
    expect(byPid.map((option) => option.label)).toEqual([
      'pid 0 (cross-process)',
      'pid 1000 (firefox.exe)',
      'pid 2001 (chrome.exe)',
      'pid 2002 (chrome.exe)',
    ]);
  });

  it('turns process choices into filters and back', () => {
    for (const process of [{ kind: 'pid', pid: 42 }, { kind: 'name', name: 'a:b.exe' }] as const) {
      expect(parseProcessFilter(processFilterValue(process))).toEqual(process);
    }
    expect(parseProcessFilter('')).toBeNull();
    expect(parseProcessFilter('pid:-1')).toBeNull();
    expect(parseProcessFilter('pid:x')).toBeNull();
    expect(parseProcessFilter('name:')).toBeNull();
  });
});
