// The recording file: what it keeps of each session and event, how its aliases bind to
// another run's sessions, and that it reads back to the observation it was made from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../contract';
import type { BackendEvent, SessionRecord } from '../../native-bridge/types';
import { compareEvents } from './compare';
import { parseScenario } from './format';
import { timedEvents } from './observation';
import { followsSession, observationOfRecording, recordingToScenario, recordingToYaml } from './recording';
import { runScenario } from './run';

const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';

function record(id: string, pid: number, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id, sessionGuid: GUID_NULL, crossProcess: false, pid, processName: '/usr/bin/mpv', deviceId: 'sink:speakers', flow: 'render', state: 'active',
    displayName: 'mpv', displayNameSource: 'client', iconPath: 'mpv', icon: 'data:image/png;base64,AAAA', volume: 1, muted: false, channelVolumes: [1, 1],
    isSystemSounds: false, groupingParam: '', sessionIdentifier: 'sink:speakers|binary:mpv', sessionInstanceIdentifier: `sink:speakers|binary:mpv|${pid}`,
    disconnected: null, mediaTitles: ['tone'], streamCount: 1, outputRoute: null, ...over,
  };
}

const logged = (event: BackendEvent, time: number, seq: number): LoggedEvent => ({ ...event, seq, time, source: 'event' });

function twoLives(pid: number, id: string): LoggedEvent[] {
  return [
    logged({ type: 'session-created', session: record(id, pid) }, 1000, 1),
    logged({ type: 'volume-changed', sessionId: id, volume: 0.5, muted: false, eventContext: '{run-specific}' }, 1200, 2),
    logged({ type: 'state-changed', sessionId: id, state: 'expired', terminated: true }, 1500, 3),
    logged({ type: 'session-created', session: record(id, pid) }, 1600, 4),
  ];
}

describe('a recording', () => {
  const scenario = recordingToScenario({
    name: 'mpv',
    backend: 'pulse',
    startedAt: 1000,
    durationMs: 700,
    follow: { processName: 'mpv' },
    devices: [{ id: 'sink:speakers', name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia', 'communications'] }],
    sessions: [],
    events: [...timedEvents(twoLives(4242, 'p1'), 1000), { at: 650, event: { type: 'state-changed', sessionId: 'ghost', state: 'active', terminated: false } }],
  });

  it('names each life of a session by its own alias and keeps its whole record but the icon data', () => {
    expect(scenario.sessions?.map((session) => session.alias)).toEqual(['mpv', 'mpv-2']);
    expect(scenario.sessions?.[0]).toMatchObject({ id: 'p1', pid: 4242, sessionInstanceIdentifier: 'sink:speakers|binary:mpv|4242' });
    expect(scenario.sessions?.[0]).not.toHaveProperty('icon');
  });

  it('states in each event only what a later run reproduces, with its time', () => {
    const [created, volume] = scenario.expect.events;
    expect(created).toEqual({
      type: 'session-created', sessionAlias: 'mpv', at: 0,
      session: { sessionGuid: GUID_NULL, crossProcess: false, processName: '/usr/bin/mpv', deviceId: 'sink:speakers', flow: 'render', state: 'active', displayName: 'mpv', displayNameSource: 'client', iconPath: 'mpv', isSystemSounds: false },
    });
    expect(volume).toEqual({ type: 'volume-changed', sessionAlias: 'mpv', volume: 0.5, muted: false, at: 200 });
    // A session it never saw announced keeps its id: there is nothing else to call it.
    expect(scenario.expect.events.at(-1)).toEqual({ type: 'state-changed', sessionId: 'ghost', state: 'active', terminated: false, at: 650 });
  });

  it('matches a later run of the app whose ids and pids differ, binding each alias to one session', () => {
    const expected = scenario.expect.events.slice(0, 4);
    const lines = expected.map((_, index) => index + 1);
    const naming = { sessionOfStream: () => false, sessionOfApp: () => false, nameOf: () => undefined };
    expect(compareEvents(expected, lines, twoLives(5151, 'p2'), naming).passed).toBe(true);
    // Two lives are two sessions: a run where the second creation is another session still binds.
    const [first, second, third] = twoLives(5151, 'p2');
    const otherSecond = logged({ type: 'session-created', session: record('p3', 6161) }, 1600, 4);
    expect(compareEvents(expected, lines, [first, second, third, otherSecond] as LoggedEvent[], naming).passed).toBe(true);
    // But an alias bound to one session does not match events of another.
    const wrong = logged({ type: 'volume-changed', sessionId: 'p9', volume: 0.5, muted: false, eventContext: '' }, 1200, 2);
    expect(compareEvents(expected, lines, [first, wrong, third, otherSecond] as LoggedEvent[], naming).passed).toBe(false);
  });

  it('reads back to the observation it was made from', async () => {
    const report = await runScenario(parseScenario(readFileSync('scenarios/instances-grouped.yaml', 'utf8')));
    const { observation } = report;
    const text = recordingToYaml({ name: 'x', backend: 'sim', startedAt: 0, durationMs: observation.durationMs, devices: observation.devices, sessions: observation.sessions, events: observation.events });
    const back = observationOfRecording(parseScenario(text).scenario);
    const withoutIcons = (value: unknown) => JSON.parse(JSON.stringify(value, (key, item: unknown) => (key === 'icon' || key === 'eventContext' ? undefined : item))) as unknown;
    expect(withoutIcons(back?.sessions)).toEqual(withoutIcons(observation.sessions));
    expect(withoutIcons(back?.events)).toEqual(withoutIcons(observation.events));
  });
});

describe('a session\'s output route in a recording', () => {
  const withRoute = (route: string | null) => {
    const text = recordingToYaml({ name: 'x', backend: 'sim', startedAt: 0, durationMs: 100, devices: [], sessions: [], events: [{ at: 0, event: { type: 'session-created', session: record('p1', 7) } }] });
    return route === null ? text.replace(/, outputRoute: null/, '') : text.replace(/outputRoute: null/, `outputRoute: ${route}`);
  };

  it('is written and read back', () => {
    const scenario = parseScenario(withRoute("{ kind: pinned, deviceId: 'sink:headset' }")).scenario;
    expect(observationOfRecording(scenario)?.events[0]?.event).toMatchObject({ session: { outputRoute: { kind: 'pinned', deviceId: 'sink:headset' } } });
  });

  it('reads as unknown (null) in a recording made before routes were recorded', () => {
    const text = withRoute(null);
    expect(text).not.toContain('outputRoute');
    expect(observationOfRecording(parseScenario(text).scenario)?.events[0]?.event).toMatchObject({ session: { outputRoute: null } });
  });

  it('is rejected with its line when it is malformed', () => {
    expect(() => parseScenario(withRoute('{ kind: pinned }'))).toThrow(/line \d+: an output route is \{ kind: follows-default \} or \{ kind: pinned, deviceId: ID \}/);
  });
});

describe('comparing runs on a real server', () => {
  const naming = { sessionOfStream: () => false, sessionOfApp: () => false, nameOf: () => undefined };
  const state = (to: 'active' | 'inactive', time: number): LoggedEvent => logged({ type: 'state-changed', sessionId: 'p1', state: to, terminated: false }, time, time);
  const created = (to: 'active' | 'inactive'): LoggedEvent => logged({ type: 'session-created', session: record('p1', 1, { state: to }) }, 0, 0);
  const ended = (time: number): LoggedEvent => logged({ type: 'state-changed', sessionId: 'p1', state: 'expired', terminated: true }, time, time);
  // mpv: opened corked and started 1 ms later, or already running when first reported; drained as it closed, or not.
  const recorded = [created('inactive'), state('active', 1), ended(2000)];
  const expected = recordingToScenario({ name: 'x', backend: 'pulse', startedAt: 0, durationMs: 300, devices: [], sessions: [], events: timedEvents(recorded, 0) }).expect.events;
  const lines = expected.map((_, index) => index + 1);

  it('leaves out how a session started and ended within one update of the server', () => {
    const later = [created('active'), state('inactive', 1970), ended(2000)];
    expect(compareEvents(expected, lines, later, naming, { foldTransientStates: true }).passed).toBe(true);
    // Another kind of event between does not make the start or end less of a moment.
    const volume = (time: number) => logged({ type: 'volume-changed', sessionId: 'p1', volume: 1, muted: false, eventContext: '' }, time, time);
    const withVolume = [created('inactive'), volume(1), state('active', 2), ended(2000)];
    const expectedWithVolume = recordingToScenario({ name: 'x', backend: 'pulse', startedAt: 0, durationMs: 2000, devices: [], sessions: [], events: timedEvents(withVolume, 0) }).expect.events;
    const laterWithVolume = compareEvents(expectedWithVolume, [1, 2, 3, 4], [created('active'), volume(1), state('inactive', 1990), ended(2000)], naming, { foldTransientStates: true });
    expect(laterWithVolume.passed).toBe(true);
    expect(compareEvents(expected, lines, later, naming).passed).toBe(false);
  });

  it('leaves out a moment a player corked under load', () => {
    const blips = [created('active'), state('inactive', 500), state('active', 502), state('inactive', 900), state('active', 903), ended(2000)];
    expect(compareEvents(expected, lines, blips, naming, { foldTransientStates: true }).passed).toBe(true);
  });

  it('still sees a session that paused in between', () => {
    const paused = [created('active'), state('inactive', 800), state('active', 1200), ended(2000)];
    expect(compareEvents(expected, lines, paused, naming, { foldTransientStates: true }).passed).toBe(false);
  });
});

describe('following an app', () => {
  const mpv = { pid: 4242, processName: '/usr/bin/mpv', displayName: 'Big Buck Bunny - mpv' };
  const chrome = { pid: 7, processName: 'C:\\Program Files\\Google\\Chrome\\chrome.exe', displayName: 'Google Chrome' };
  it.each([
    [{ pid: 4242 }, mpv, true],
    [{ pid: 4242 }, chrome, false],
    [{ processName: 'mpv' }, mpv, true],
    [{ processName: 'chrome' }, chrome, true],
    [{ processName: 'CHROME.EXE' }, chrome, true],
    [{ processName: 'chrom' }, chrome, false],
    [{ displayName: 'google chrome' }, chrome, true],
    [{ displayName: 'mpv' }, mpv, false],
  ])('%j follows %j: %s', (follow, session, follows) => {
    expect(followsSession(follow, session)).toBe(follows);
  });
});
