import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../core/contract';
import { session, snapshot } from '../testing/fixtures';
import { T0, eventsMessage, logged, volumeEvent } from '../testing/events';
import { EventTracker } from './event-tracker';
import { parse } from 'yaml';
import { CSV_COLUMNS, csvField, exportFileName, timelineToCsv, timelineToJson, timelineToScenario } from './export';

function entriesFor(...events: LoggedEvent[]) {
  const tracker = new EventTracker();
  tracker.apply(
    snapshot({
      sessions: [session('odd', { displayName: 'Say "hi", world\nagain', pid: 7, processName: 'odd.exe', volume: 0.8 })],
    }),
    T0,
  );
  return tracker.apply(eventsMessage(...events), T0).entries;
}

/** Splits RFC 4180 text into rows of fields (enough for these tests). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else field += char;
  }
  return rows;
}

describe('timeline export', () => {
  it('writes JSON as the array of logged events the server sent', () => {
    const events = [
      logged(volumeEvent('odd', 0.3), { seq: 5, time: T0 }),
      logged({ type: 'device-removed', deviceId: 'dev-x' }, { seq: 6, time: T0 + 1, source: 'poll' }),
    ];
    expect(JSON.parse(timelineToJson(entriesFor(...events)))).toEqual(events);
  });

  it('writes CSV with a header, ISO times, one row per changed field, quoted where needed', () => {
    const text = timelineToCsv(
      entriesFor(
        logged(volumeEvent('odd', 0.3, true), { seq: 5, time: T0 }),
        logged({ type: 'device-removed', deviceId: 'dev-x' }, { seq: 6, time: T0 + 1, source: 'poll' }),
      ),
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const name = 'Say "hi", world\nagain';
    expect(rows.slice(1)).toEqual([
      ['5', '2025-01-02T03:04:05.000Z', 'event', 'volume-changed', 'odd', 'dev-speakers', name, '7', 'odd.exe', 'volume', '0.80', '0.30', 'context {context}'],
      ['5', '2025-01-02T03:04:05.000Z', 'event', 'volume-changed', 'odd', 'dev-speakers', name, '7', 'odd.exe', 'muted', 'false', 'true', 'context {context}'],
      ['6', '2025-01-02T03:04:05.001Z', 'poll', 'device-removed', '', 'dev-x', 'dev-x', '', '', '', '', '', ''],
    ]);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
  });

  it('leaves old empty where it was not known', () => {
    const rows = parseCsv(timelineToCsv(entriesFor(logged(volumeEvent('stranger', 0.5)))).slice(1));
    expect(rows[1]?.slice(9, 12)).toEqual(['volume', '', '0.50']);
  });

  it('quotes fields per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('+1')).toBe("'+1");
  });

  it('writes only a header for an empty timeline', () => {
    expect(timelineToCsv([])).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
    expect(JSON.parse(timelineToJson([]))).toEqual([]);
  });

  it('names files by the local time', () => {
    expect(exportFileName('csv', new Date(2025, 0, 31, 14, 5, 9))).toBe('sndmix-events-20250131-140509.csv');
  });
});

describe('saving the timeline as a scenario', () => {
  // e2e/timeline-scenario.spec.ts reads such a file back with the scenario parser and checks its rules.
  it('writes a recording: the sessions there before, every event with its time, by alias', () => {
    const tracker = new EventTracker();
    tracker.apply(snapshot({ sessions: [session('odd', { pid: 7, processName: 'odd.exe', state: 'active' })] }), T0);
    const fresh = session('new', { pid: 8, processName: 'new.exe', displayName: 'New App', state: 'inactive' });
    const { entries } = tracker.apply(
      eventsMessage(
        logged(volumeEvent('odd', 0.5), { time: T0 + 1000 }),
        logged({ type: 'session-created', session: fresh }, { time: T0 + 1500 }),
        logged({ type: 'state-changed', sessionId: 'new', state: 'active', terminated: false }, { time: T0 + 2000 }),
        logged({ type: 'state-changed', sessionId: 'odd', state: 'expired', terminated: true }, { time: T0 + 3000 }),
      ),
      T0,
    );
    const text = timelineToScenario(entries, { backend: 'sim', devices: [], history: (id) => tracker.histories.get(id) });
    const scenario = parse(text) as { backend: string; sessions?: { alias: string; atStart?: boolean; state: string }[]; expect: { events: { type: string; sessionAlias?: string; at?: number }[] } };
    expect(scenario.backend).toBe('sim');
    expect(scenario.sessions?.map(({ alias, atStart, state }) => ({ alias, atStart, state }))).toEqual([
      { alias: 'odd', atStart: true, state: 'active' },
      { alias: 'new', atStart: undefined, state: 'inactive' },
    ]);
    expect(scenario.expect.events.map(({ type, sessionAlias, at }) => `${at} ${type} ${sessionAlias}`)).toEqual([
      '0 volume-changed odd',
      '500 session-created new',
      '1000 state-changed new',
      '2000 state-changed odd',
    ]);
  });
});
