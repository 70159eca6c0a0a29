import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../core/contract';
import { HEADPHONES, SPEAKERS, device, patch, session, snapshot } from '../testing/fixtures';
import { T0, changeEvents, eventsMessage, logged, volumeEvent } from '../testing/events';
import type { DetailPart, TimelineEntry } from './describe-event';
import { detailText } from './describe-event';
import { inEnglish } from '../i18n/i18n';
import { EventTracker } from './event-tracker';
import { SessionHistories } from './session-history';

function trackerWithSnapshot(receivedAt = T0): EventTracker {
  const tracker = new EventTracker();
  tracker.apply(snapshot(), receivedAt);
  return tracker;
}

function only(entries: TimelineEntry[]): TimelineEntry {
  expect(entries).toHaveLength(1);
  return entries[0] as TimelineEntry;
}


/** An entry's detail as the English UI (and the exports) read it. */
const english = (detail: readonly DetailPart[] | undefined) => detailText(detail ?? [], inEnglish);

describe('EventTracker old and new values', () => {
  it('reads old values from before the patch that the host sends ahead of the events', () => {
    const tracker = trackerWithSnapshot();
    // As the host flushes: the patch already holds the new value, then the events.
    tracker.apply(patch({ changed: [{ id: 'spotify', changes: { volume: 0.3 } }] }), T0);
    const entry = only(tracker.apply(eventsMessage(volumeEvent('spotify', 0.3)), T0).entries);
    expect(entry.changes).toEqual([{ field: 'volume', old: '0.80', new: '0.30' }]);
    expect(entry).toMatchObject({ sessionId: 'spotify', subject: 'Spotify', pid: 2000, processName: 'spotify.exe' });
    expect(english(entry.detail)).toBe('context {context}');
  });

  it('takes a patch without events (an accepted command, a poll correction) as the new known value', () => {
    const tracker = trackerWithSnapshot();
    tracker.apply(patch({ changed: [{ id: 'firefox', changes: { volume: 0.5 } }] }), T0);
    tracker.apply({ type: 'peaks', peaks: {} }, T0);
    tracker.apply(patch({ changed: [{ id: 'firefox', changes: { volume: 0.2 } }] }), T0);
    const entry = only(tracker.apply(eventsMessage(volumeEvent('firefox', 0.2)), T0).entries);
    expect(entry.changes).toEqual([{ field: 'volume', old: '0.50', new: '0.20' }]);
  });

  it('chains several events for one session within one message', () => {
    const tracker = trackerWithSnapshot();
    const { entries } = tracker.apply(
      eventsMessage(volumeEvent('firefox', 0.6), volumeEvent('firefox', 0.7, true), volumeEvent('firefox', 0.7, true)),
      T0,
    );
    expect(entries.map((entry) => entry.changes)).toEqual([
      [{ field: 'volume', old: '0.45', new: '0.60' }],
      [
        { field: 'volume', old: '0.60', new: '0.70' },
        { field: 'muted', old: 'false', new: 'true' },
      ],
      // A repeated notification still says what it carries.
      [{ field: 'volume', old: '0.70', new: '0.70' }],
    ]);
  });

  it('gives state, name, grouping, channel and disconnect changes their old values', () => {
    const tracker = new EventTracker();
    tracker.apply(snapshot({ sessions: [session('game', { displayName: 'Game', state: 'inactive' })] }), T0);
    const { entries } = tracker.apply(
      eventsMessage(
        { type: 'state-changed', sessionId: 'game', state: 'active', terminated: false },
        { type: 'display-name-changed', sessionId: 'game', displayName: 'Starfall', displayNameSource: 'window-title' },
        { type: 'grouping-changed', sessionId: 'game', groupingParam: '{g}', eventContext: '{c}' },
        { type: 'channel-volume-changed', sessionId: 'game', channelVolumes: [0.5, 0.25], changedChannel: 1, eventContext: '{c}' },
        { type: 'disconnected', sessionId: 'game', reason: 'device-removed' },
      ),
      T0,
    );
    expect(entries.map((entry) => entry.changes)).toEqual([
      [{ field: 'state', old: 'inactive', new: 'active' }],
      [
        { field: 'displayName', old: 'Game', new: 'Starfall' },
        { field: 'displayNameSource', old: 'client', new: 'window-title' },
      ],
      [{ field: 'groupingParam', old: '{00000000-0000-0000-0000-000000000000}', new: '{g}' }],
      [{ field: 'channelVolumes', old: '[0.50, 0.50]', new: '[0.50, 0.25]' }],
      [{ field: 'disconnected', old: 'none', new: 'device-removed' }],
    ]);
    // The entry names the session as it was called when the event came.
    expect(entries.map((entry) => entry.subject)).toEqual(['Game', 'Game', 'Starfall', 'Starfall', 'Starfall']);
    expect(english(entries[3]?.detail)).toBe('channel 1 · context {c}');
  });

  it('gives an app pinned to a device, then following the default again, its routes as data', () => {
    const tracker = new EventTracker();
    const player = session('player', { outputRoute: { kind: 'follows-default' } });
    tracker.apply(snapshot({ sessions: [player] }), T0);
    const pinned = { kind: 'pinned', deviceId: HEADPHONES } as const;
    const first = only(tracker.apply(eventsMessage(...changeEvents(player, { outputRoute: pinned })), T0).entries);
    expect(first.changes).toEqual([{ field: 'outputRoute', old: 'follows-default', new: `pinned ${HEADPHONES}` }]);
    const back = only(tracker.apply(eventsMessage(...changeEvents({ ...player, outputRoute: pinned }, { outputRoute: { kind: 'follows-default' } })), T0).entries);
    expect(back.changes).toEqual([{ field: 'outputRoute', old: `pinned ${HEADPHONES}`, new: 'follows-default' }]);
  });

  it("gives a track change its old and new titles, and keeps them for the session's history", () => {
    const tracker = new EventTracker();
    const music = session('music', { displayName: 'Rhythmbox', mediaTitles: ['Blue in Green'] });
    tracker.apply(snapshot({ sessions: [music] }), T0);
    tracker.apply(patch({ changed: [{ id: 'music', changes: { mediaTitles: ['So What'] } }] }), T0);
    const { entries, sessionsChanged } = tracker.apply(eventsMessage(...changeEvents(music, { mediaTitles: ['So What'] })), T0);
    expect(only(entries)).toMatchObject({ subject: 'Rhythmbox', changes: [{ field: 'mediaTitles', old: '[Blue in Green]', new: '[So What]' }] });
    expect(sessionsChanged).toBe(true);
    expect(tracker.histories.get('music')?.record.mediaTitles).toEqual(['So What']);
  });

  it('knows a created session from its event, and forgets it when terminated', () => {
    const tracker = trackerWithSnapshot();
    const created = session('vlc', { displayName: 'VLC', pid: 3000, volume: 1 });
    const { entries } = tracker.apply(
      eventsMessage(
        { type: 'session-created', session: created },
        volumeEvent('vlc', 0.25),
        { type: 'state-changed', sessionId: 'vlc', state: 'expired', terminated: true },
        volumeEvent('vlc', 0.5),
      ),
      T0,
    );
    expect(entries[0]).toMatchObject({ subject: 'VLC', pid: 3000, changes: [] });
    expect(english(entries[0]?.detail)).toBe('active · render · Speakers');
    expect(entries[1]?.changes).toEqual([{ field: 'volume', old: '1.00', new: '0.25' }]);
    expect(entries[2]).toMatchObject({ changes: [{ field: 'state', old: 'active', new: 'expired' }] });
    expect(english(entries[2]?.detail)).toContain('ended');
    // Unknown now: no old values, and the id stands in for the name.
    expect(entries[3]).toMatchObject({ subject: 'vlc', pid: null });
    expect(entries[3]?.changes).toEqual([
      { field: 'volume', old: null, new: '0.50' },
      { field: 'muted', old: null, new: 'false' },
    ]);
  });

  it('describes device events with device names', () => {
    const tracker = trackerWithSnapshot();
    const { entries } = tracker.apply(
      eventsMessage(
        { type: 'default-device-changed', flow: 'render', role: 'console', deviceId: HEADPHONES },
        { type: 'device-changed', device: device(SPEAKERS, { name: 'Speakers', volume: 0.4, defaultFor: ['multimedia'] }) },
        { type: 'device-removed', deviceId: HEADPHONES },
        { type: 'duck', deviceId: SPEAKERS, sessionId: 'spotify', communicationSessions: 1 },
      ),
      T0,
    );
    expect(entries[0]?.changes).toEqual([{ field: 'default render console', old: 'Speakers', new: 'Headphones' }]);
    expect(entries[1]).toMatchObject({ subject: 'Speakers', deviceId: SPEAKERS, sessionId: null });
    expect(entries[1]?.changes).toEqual([{ field: 'volume', old: '0.80', new: '0.40' }]);
    expect(entries[2]).toMatchObject({ subject: 'Headphones', changes: [] });
    expect(entries[3]).toMatchObject({ subject: 'Spotify', deviceId: SPEAKERS });
    expect(english(entries[3]?.detail)).toBe('1 communication session');
  });

  it('numbers entries uniquely, even when the server restarts its sequence', () => {
    const tracker = trackerWithSnapshot();
    const first = tracker.apply(eventsMessage(logged(volumeEvent('firefox', 0.1), { seq: 7 })), T0).entries;
    const second = tracker.apply(eventsMessage(logged(volumeEvent('firefox', 0.2), { seq: 1 })), T0).entries;
    expect(first[0]?.id).not.toBe(second[0]?.id);
  });
});

describe('EventTracker missed events', () => {
  it('counts gaps in the sequence as events never received', () => {
    const tracker = trackerWithSnapshot();
    const at = (seq: number): LoggedEvent => logged(volumeEvent('firefox', 0.5), { seq });
    tracker.apply(eventsMessage(at(10), at(11)), T0);
    expect(tracker.missed).toBe(0);
    tracker.apply(eventsMessage(at(15)), T0);
    expect(tracker.missed).toBe(3);
    // A new server run starts again at 1: not a gap.
    tracker.apply(eventsMessage(at(1), at(2)), T0);
    expect(tracker.missed).toBe(3);
  });
});

describe('EventTracker session histories', () => {
  it('starts with what the snapshot showed, then follows the events', () => {
    const tracker = trackerWithSnapshot(T0);
    tracker.apply(
      eventsMessage(
        logged({ type: 'state-changed', sessionId: 'firefox', state: 'inactive', terminated: false }, { seq: 40, time: T0 + 1000 }),
        logged({ type: 'disconnected', sessionId: 'firefox', reason: 'format-changed' }, { seq: 41, time: T0 + 2000 }),
        logged({ type: 'state-changed', sessionId: 'firefox', state: 'expired', terminated: true }, { seq: 42, time: T0 + 3000 }),
      ),
      T0,
    );
    const history = tracker.histories.get('firefox');
    expect(history?.entries).toEqual([
      { change: 'seen', time: T0, seq: null, state: 'active', disconnected: null },
      { change: 'state', time: T0 + 1000, seq: 40, state: 'inactive', disconnected: null },
      { change: 'disconnected', time: T0 + 2000, seq: 41, state: 'inactive', disconnected: 'format-changed' },
      { change: 'ended', time: T0 + 3000, seq: 42, state: 'expired', disconnected: 'format-changed' },
    ]);
    expect(history?.ended).toBe(true);
    // The identity stays for the inspector after the session is gone.
    expect(history?.record).toMatchObject({ displayName: 'Firefox', processName: 'firefox.exe' });
  });

  it('records a created session and keeps its identity current', () => {
    const tracker = trackerWithSnapshot();
    tracker.apply(
      eventsMessage(
        logged({ type: 'session-created', session: session('vlc', { state: 'inactive' }) }, { seq: 50, time: T0 + 10 }),
        logged(
          { type: 'display-name-changed', sessionId: 'vlc', displayName: 'VLC media player', displayNameSource: 'client' },
          { seq: 51 },
        ),
        logged({ type: 'state-changed', sessionId: 'vlc', state: 'active', terminated: false }, { seq: 52, time: T0 + 20 }),
      ),
      T0,
    );
    const history = tracker.histories.get('vlc');
    expect(history?.entries.map((entry) => [entry.change, entry.state, entry.time])).toEqual([
      ['created', 'inactive', T0 + 10],
      ['state', 'active', T0 + 20],
    ]);
    expect(history?.record.displayName).toBe('VLC media player');
  });

  it('after reconnecting, notes only what changed and what went meanwhile', () => {
    const tracker = trackerWithSnapshot(T0);
    tracker.apply(
      snapshot({
        sessions: [session('firefox', { displayName: 'Firefox', volume: 0.45, state: 'inactive' })],
      }),
      T0 + 5000,
    );
    expect(tracker.histories.get('firefox')?.entries.map((entry) => [entry.change, entry.state])).toEqual([
      ['seen', 'active'],
      ['seen', 'inactive'],
    ]);
    expect(tracker.histories.get('spotify')?.entries.map((entry) => [entry.change, entry.time])).toEqual([
      ['seen', T0],
      ['unlisted', T0 + 5000],
    ]);
    expect(tracker.histories.get('spotify')?.ended).toBe(true);

    tracker.apply(snapshot({ sessions: [session('firefox', { state: 'inactive' })] }), T0 + 9000);
    expect(tracker.histories.get('firefox')?.entries).toHaveLength(2);
  });
});

describe('SessionHistories bounds', () => {
  it('keeps the newest entries per session and counts the rest', () => {
    const histories = new SessionHistories(3, 10);
    const record = session('a');
    histories.seen(record, 1);
    for (let time = 2; time <= 6; time += 1) {
      histories.stateChanged(record, time % 2 ? 'active' : 'inactive', false, time, time);
    }
    const history = histories.get('a');
    expect(history?.entries.map((entry) => entry.time)).toEqual([4, 5, 6]);
    expect(history?.trimmed).toBe(3);
  });

  it('lets go of ended sessions first when it knows too many', () => {
    const histories = new SessionHistories(10, 2);
    histories.seen(session('live'), 1);
    histories.seen(session('gone'), 1);
    histories.stateChanged(session('gone'), 'expired', true, 2, 2);
    histories.seen(session('new'), 3);
    expect(histories.all().map((history) => history.sessionId)).toEqual(['live', 'new']);
    histories.seen(session('newer'), 4);
    expect(histories.all().map((history) => history.sessionId)).toEqual(['new', 'newer']);
  });

  it('gives a changed session a new object and leaves the others alone', () => {
    const histories = new SessionHistories();
    histories.seen(session('a'), 1);
    histories.seen(session('b'), 1);
    const [a, b] = [histories.get('a'), histories.get('b')];
    histories.stateChanged(session('a'), 'inactive', false, 2, 2);
    expect(histories.get('a')).not.toBe(a);
    expect(histories.get('b')).toBe(b);
  });
});
