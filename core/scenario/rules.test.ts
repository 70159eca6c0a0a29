// Hand-made recordings, each breaking one rule, written and read back through the
// recording file format: `check --rules` must fail them naming that rule, and only it.
import { describe, expect, it } from 'vitest';
import type { BackendEvent, BackendName } from '../../native-bridge/types';
import { parseScenario } from './format';
import type { Observation, ObservedSession, TimedEvent } from './observation';
import { observationOfRecording, recordingToYaml } from './recording';
import type { RuleId } from './rules';
import { RULES_BY_BACKEND, RULE_IDS, checkRules } from './rules';

const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';
const OTHER_GUID = '{6B29FC40-CA47-1067-B31D-00DD010662DA}';

function session(over: Partial<ObservedSession> = {}): ObservedSession {
  const pid = over.pid ?? 100;
  const base: ObservedSession = {
    id: 's1',
    sessionGuid: GUID_NULL,
    crossProcess: false,
    pid,
    processName: 'player.exe',
    deviceId: 'speakers',
    flow: 'render',
    state: 'inactive',
    displayName: 'Player',
    displayNameSource: 'window-title',
    iconPath: '',
    volume: 1,
    muted: false,
    channelVolumes: [1, 1],
    isSystemSounds: false,
    groupingParam: GUID_NULL,
    sessionIdentifier: `speakers|player.exe%b${GUID_NULL}`,
    sessionInstanceIdentifier: `speakers|player.exe%b${GUID_NULL}|${pid}`,
    disconnected: null,
    mediaTitles: [],
    streamCount: 1,
    outputRoute: null,
  };
  return { ...base, ...over };
}

const created = (record: ObservedSession): BackendEvent => ({ type: 'session-created', session: { ...record, icon: null } });
const state = (sessionId: string, to: ObservedSession['state'], terminated = false): BackendEvent => ({ type: 'state-changed', sessionId, state: to, terminated });
const ended = (sessionId: string) => state(sessionId, 'expired', true);

const DEVICES = {
  sim: [
    { id: 'speakers', name: 'Speakers', flow: 'render' as const, defaultFor: ['console' as const, 'multimedia' as const, 'communications' as const] },
    { id: 'usb', name: 'USB Headset', flow: 'render' as const, defaultFor: [] },
    { id: 'mic', name: 'Microphone', flow: 'capture' as const, defaultFor: ['console' as const, 'multimedia' as const, 'communications' as const] },
  ],
  pulse: [
    { id: 'sink:speakers', name: 'Speakers', flow: 'render' as const, defaultFor: ['console' as const, 'multimedia' as const, 'communications' as const] },
    { id: 'source:mic', name: 'Microphone', flow: 'capture' as const, defaultFor: [] },
    { id: 'sink:headset', name: 'Headset', flow: 'render' as const, defaultFor: [] },
    { id: 'sink:hdmi', name: 'HDMI', flow: 'render' as const, defaultFor: [] },
  ],
};

interface Recording {
  backend?: BackendName;
  events: BackendEvent[];
  atStart?: ObservedSession[];
  endedPids?: number[];
  durationMs?: number;
  expireAfterMs?: number;
  /** Each event's time (default: 100 ms apart from 0). */
  times?: number[];
}

/** Writes the recording as `sndmix record` would, reads it back as `check --rules` does. */
function throughTheFile({ backend = 'sim', events, atStart = [], endedPids = [], durationMs, expireAfterMs, times }: Recording): Observation {
  const timed: TimedEvent[] = events.map((event, index) => ({ at: times?.[index] ?? index * 100, event }));
  const text = recordingToYaml({
    name: 'hand-made',
    backend,
    startedAt: Date.UTC(2026, 0, 1),
    durationMs: durationMs ?? events.length * 100,
    devices: backend === 'pulse' ? DEVICES.pulse : DEVICES.sim,
    sessions: atStart,
    events: timed,
    endedPids,
  });
  const withExpiry = expireAfterMs === undefined ? text : text.replace('backend: sim\n', `backend: sim\nexpireAfterMs: ${expireAfterMs}\n`);
  return observationOfRecording(parseScenario(withExpiry).scenario) as Observation;
}

function failedRules(recording: Recording): RuleId[] {
  return checkRules(throughTheFile(recording)).flatMap((verdict) => (verdict.status === 'failed' ? [verdict.rule] : []));
}

const s1 = session();
const pulseSession = (over: Partial<ObservedSession> = {}) =>
  session({ deviceId: 'sink:speakers', processName: 'paplay', displayNameSource: 'client', displayName: 'paplay', groupingParam: '', sessionInstanceIdentifier: `${over.id ?? 's1'}-instance`, ...over });

const FOLLOWS: ObservedSession['outputRoute'] = { kind: 'follows-default' };
const pinnedTo = (deviceId: string): ObservedSession['outputRoute'] => ({ kind: 'pinned', deviceId });
const routeChanged = (sessionId: string, outputRoute: ObservedSession['outputRoute']): BackendEvent => ({ type: 'output-route-changed', sessionId, outputRoute });
/** The default of every role of a flow moves, as Windows' Sound settings (console, multimedia) or PulseAudio (all three) do. */
const defaultMoves = (deviceId: string, roles: ('console' | 'multimedia' | 'communications')[] = ['console', 'multimedia']): BackendEvent[] =>
  roles.map((role) => ({ type: 'default-device-changed', flow: 'render', role, deviceId }));
const ALL_ROLES: ('console' | 'multimedia' | 'communications')[] = ['console', 'multimedia', 'communications'];
const onUsb = (over: Partial<ObservedSession> = {}) => session({ id: 's2', deviceId: 'usb', sessionIdentifier: 'usb|player.exe', sessionInstanceIdentifier: 'usb|player.exe|100', ...over });

const BROKEN: [RuleId, string, Recording][] = [
  ['R1', 'two sessions live with one identity', { events: [created(s1), created(session({ id: 's2', sessionInstanceIdentifier: 'other' }))] }],
  ['R2', 'one id for two processes', { events: [created(s1), ended('s1'), created(session({ pid: 200 }))] }],
  ['R3', 'one id for a cross-process and a process-specific session', { events: [created(s1), ended('s1'), created(session({ crossProcess: true, pid: 0, displayNameSource: 'client', sessionInstanceIdentifier: 'x' }))] }],
  ['R4', 'one id on two devices', { events: [created(s1), ended('s1'), created(session({ deviceId: 'usb', sessionInstanceIdentifier: 'usb-instance' }))] }],
  ['R6', 'two instances with different session identifiers', { events: [created(s1), created(session({ id: 's2', pid: 200, sessionIdentifier: 'different' }))] }],
  ['R6', 'two sessions sharing an instance identifier', { events: [created(s1), created(session({ id: 's2', sessionGuid: OTHER_GUID, sessionInstanceIdentifier: s1.sessionInstanceIdentifier }))] }],
  ['R8', 'a session that changes flow', { events: [created(s1), ended('s1'), created(session({ flow: 'capture' }))] }],
  ['R9', 'expired straight from active', { events: [created(session({ state: 'active' })), state('s1', 'expired')] }],
  ['R9', 'a state change to the same state', { events: [created(s1), state('s1', 'inactive')] }],
  ['R9', 'an idle session that never expires', { events: [created(s1)], durationMs: 60_000, expireAfterMs: 5000 }],
  ['R10', 'an event after termination', { events: [created(s1), ended('s1'), { type: 'volume-changed', sessionId: 's1', volume: 0.5, muted: false, eventContext: GUID_NULL }] }],
  ['R10', 'a session that outlives its process', { events: [created(s1)], endedPids: [100] }],
  ['R17', 'a display name set after the session started playing', { events: [created(s1), state('s1', 'active'), { type: 'display-name-changed', sessionId: 's1', displayName: 'Late', displayNameSource: 'client' }] }],
  ['R17', 'an icon set after the session started playing', { events: [created(s1), state('s1', 'active'), { type: 'icon-changed', sessionId: 's1', iconPath: 'C:\\late.ico', icon: null }] }],
  ['R18', 'a session without a name', { events: [created(session({ displayName: '' }))] }],
  ['R18', 'a cross-process session named after an app', { events: [created(session({ crossProcess: true, pid: 0, displayNameSource: 'executable' }))] }],
  ['R19', 'System Sounds without its label', { atStart: [session({ id: 'ss', crossProcess: true, pid: 0, isSystemSounds: true, displayName: 'Shared audio session', displayNameSource: 'generic', processName: null })], events: [] }],
  ['R21', 'an event for a session never announced', { events: [state('ghost', 'active')] }],
  ['R22', 'a session announced twice', { events: [created(s1), created(s1)] }],
  ['R23', 'an unduck without a duck', { events: [created(s1), { type: 'unduck', deviceId: 'speakers', sessionId: 's1' }] }],
  ['R25', 'a session left on a removed device', { events: [created(s1), { type: 'device-removed', deviceId: 'speakers' }] }],
  ['R25', 'a session that ended with its device without being disconnected', { events: [created(s1), ended('s1'), { type: 'device-removed', deviceId: 'speakers' }] }],
  ['R26', 'a shared session with an output route', { events: [created(session({ crossProcess: true, pid: 0, processName: null, displayNameSource: 'client', outputRoute: FOLLOWS }))] }],
  ['R26', 'an app pinned to a device of the other flow', { events: [created(session({ outputRoute: FOLLOWS })), routeChanged('s1', pinnedTo('mic'))] }],
  [
    'R27',
    'a pinned app moved by a change of the default',
    { events: [created(session({ state: 'active', outputRoute: pinnedTo('speakers') })), ...defaultMoves('usb'), created(onUsb({ state: 'active', outputRoute: pinnedTo('speakers') })), ended('s1')] },
  ],
  [
    'R27',
    'a pinned app moved by a change of the default, told before the change',
    { events: [created(session({ state: 'active', outputRoute: pinnedTo('speakers') })), created(onUsb({ state: 'active', outputRoute: pinnedTo('speakers') })), ended('s1'), ...defaultMoves('usb')] },
  ],
  ['R26', 'a pulse session pinned to another sink than its own', { backend: 'pulse', events: [created(pulseSession({ outputRoute: pinnedTo('sink:headset') }))] }],
  [
    'R27',
    'a pulse session that follows the default left on the old default',
    { backend: 'pulse', events: [created(pulseSession({ state: 'active', outputRoute: FOLLOWS })), ...defaultMoves('sink:headset', ALL_ROLES)], durationMs: 1000 },
  ],
  [
    'R27',
    'a pulse session pinned to its sink moved to the new default',
    {
      backend: 'pulse',
      events: [
        created(pulseSession({ deviceId: 'sink:headset', state: 'active', outputRoute: pinnedTo('sink:headset') })),
        ...defaultMoves('sink:hdmi', ALL_ROLES),
        ended('s1'),
        created(pulseSession({ id: 's2', deviceId: 'sink:hdmi', state: 'active', outputRoute: FOLLOWS })),
      ],
      durationMs: 2000,
    },
  ],
  ['R5', 'a pulse session outside the default session', { backend: 'pulse', events: [created(pulseSession({ sessionGuid: OTHER_GUID }))] }],
  ['R8', 'a pulse render session on a source', { backend: 'pulse', events: [created(pulseSession({ deviceId: 'source:mic' }))] }],
  ['R9', 'a pulse session that expires without ending', { backend: 'pulse', events: [created(pulseSession()), state('s1', 'expired')] }],
  ['R25', 'a pulse session left on a removed sink', { backend: 'pulse', events: [created(pulseSession()), { type: 'device-removed', deviceId: 'sink:speakers' }] }],
];

describe('a hand-made recording that breaks a rule', () => {
  it.each(BROKEN)('fails naming %s only: %s', (rule, _what, recording) => {
    expect(failedRules(recording)).toEqual([rule]);
  });

  it('reports the violating event, its number and its time', () => {
    const verdict = checkRules(throughTheFile({ events: [created(session({ state: 'active' })), state('s1', 'expired')] })).find((found) => found.rule === 'R9');
    expect(verdict).toMatchObject({
      status: 'failed',
      violations: [{ rule: 'R9', eventNumber: 2, at: 100, eventType: 'state-changed', sessionId: 's1', message: 'expired straight from active: a session expires only after being inactive' }],
    });
  });

  const checkedOn = (backend: BackendName) =>
    checkRules({ backend, devices: [], sessions: [], events: [], endedPids: [], durationMs: 0, expireAfterMs: null }).flatMap((verdict) =>
      verdict.status === 'passed' ? [verdict.rule] : [],
    );
  const brokenOn = (backend: BackendName) => new Set(BROKEN.filter(([, , recording]) => (recording.backend ?? 'sim') === backend).map(([rule]) => rule));

  it('exists for every rule the sim (and coreaudio) checks', () => {
    expect(RULES_BY_BACKEND.coreaudio).toBe(RULES_BY_BACKEND.sim);
    expect(checkedOn('sim').filter((rule) => !brokenOn('sim').has(rule))).toEqual([]);
  });

  it('exists for every rule pulse checks in its own way (the others share the sim\'s check)', () => {
    const own = checkedOn('pulse').filter((rule) => RULES_BY_BACKEND.pulse[rule] !== RULES_BY_BACKEND.sim[rule]);
    expect(own).toEqual(['R5', 'R8', 'R9', 'R25', 'R26', 'R27']);
    expect(own.filter((rule) => !brokenOn('pulse').has(rule))).toEqual([]);
  });
});

describe('a recording that keeps the rules', () => {
  const lifecycle: Recording = {
    events: [created(s1), state('s1', 'active'), state('s1', 'inactive'), state('s1', 'expired'), state('s1', 'active'), ended('s1')],
    endedPids: [100],
  };

  it('passes every rule it can check', () => {
    expect(failedRules(lifecycle)).toEqual([]);
  });

  it('passes R26 and R27 when the default moves a following app, an app pinned by the user moves to its device, and pinned and named-device ones stay', () => {
    const game = session({ id: 'g', pid: 300, processName: 'game.exe', displayName: 'Game', state: 'active', outputRoute: FOLLOWS, sessionIdentifier: 'game', sessionInstanceIdentifier: 'game|300' });
    const pinned = session({ id: 'p', pid: 200, processName: 'chat.exe', displayName: 'Chat', state: 'active', outputRoute: pinnedTo('speakers'), sessionIdentifier: 'chat', sessionInstanceIdentifier: 'chat|200' });
    const shared = session({ id: 'x', crossProcess: true, pid: 0, processName: null, displayNameSource: 'client', sessionInstanceIdentifier: 'x', outputRoute: null });
    const recording: Recording = {
      events: [
        created(session({ state: 'active', outputRoute: FOLLOWS })),
        created(game),
        created(pinned),
        created(shared),
        ...defaultMoves('usb'),
        created(onUsb({ state: 'active', outputRoute: FOLLOWS })),
        ended('s1'),
        routeChanged('s2', pinnedTo('speakers')),
        created(session({ state: 'active', outputRoute: pinnedTo('speakers'), sessionInstanceIdentifier: 'again' })),
        ended('s2'),
      ],
      durationMs: 5000,
    };
    expect(failedRules(recording)).toEqual([]);
    const verdicts = checkRules(throughTheFile(recording));
    expect(verdicts.find((verdict) => verdict.rule === 'R27')).toMatchObject({ status: 'passed', undecided: expect.stringMatching(/named device/) });
  });

  it('passes R26 and R27 on pulse when followers move to the new default and sessions off it stay, reading as pinned', () => {
    const recording: Recording = {
      backend: 'pulse',
      events: [
        created(pulseSession({ state: 'active', outputRoute: FOLLOWS })),
        created(pulseSession({ id: 'kept', pid: 200, deviceId: 'sink:speakers', state: 'active', outputRoute: FOLLOWS })),
        created(pulseSession({ id: 'hdmi', pid: 300, deviceId: 'sink:hdmi', state: 'active', outputRoute: pinnedTo('sink:hdmi') })),
        ...defaultMoves('sink:headset', ALL_ROLES),
        ended('s1'),
        created(pulseSession({ id: 's2', deviceId: 'sink:headset', state: 'active', outputRoute: FOLLOWS })),
        routeChanged('kept', pinnedTo('sink:speakers')),
      ],
      // As the pulse backend reports a default change: the whole diff within milliseconds.
      times: [0, 10, 20, 100, 101, 102, 150, 151, 152],
      durationMs: 5000,
    };
    expect(failedRules(recording)).toEqual([]);
  });

  it('takes a pinned app the user sends to the new default as it changes for R26\'s move, not the default\'s', () => {
    const events = [created(session({ state: 'active', outputRoute: pinnedTo('speakers') })), ...defaultMoves('usb'), created(onUsb({ state: 'active', outputRoute: pinnedTo('usb') })), ended('s1')];
    expect(failedRules({ events })).toEqual([]);
  });

  it('takes no follower for a pinned app when, as on a real pulse server, it reads as pinned to the old default until its stream moves', () => {
    const events: BackendEvent[] = [
      created(pulseSession({ state: 'active', outputRoute: FOLLOWS })),
      ...defaultMoves('sink:headset', ALL_ROLES),
      routeChanged('s1', pinnedTo('sink:speakers')),
      ended('s1'),
      created(pulseSession({ id: 's2', deviceId: 'sink:headset', state: 'active', outputRoute: FOLLOWS })),
    ];
    expect(failedRules({ backend: 'pulse', events, times: [0, 100, 101, 102, 103, 110, 111], durationMs: 2000 })).toEqual([]);
  });

  it('does not judge where the followers went before the recording settled', () => {
    const events = [created(pulseSession({ state: 'active', outputRoute: FOLLOWS })), ...defaultMoves('sink:headset', ALL_ROLES)];
    expect(failedRules({ backend: 'pulse', events, durationMs: 400 })).toEqual([]);
    expect(failedRules({ backend: 'pulse', events, durationMs: 600 })).toEqual(['R27']);
  });

  it('judges a burst of default changes once, after the last', () => {
    const verdict = checkRules(
      throughTheFile({ backend: 'pulse', events: [created(pulseSession({ state: 'active', outputRoute: FOLLOWS })), ...defaultMoves('sink:headset', ALL_ROLES)], durationMs: 1000 }),
    ).find((found) => found.rule === 'R27');
    expect(verdict).toMatchObject({ status: 'failed', violations: [{ eventNumber: 4, eventType: 'default-device-changed', sessionId: 's1' }] });
  });

  it('takes no move for the default\'s when the pinned device went away (R25)', () => {
    const events: BackendEvent[] = [
      created(pulseSession({ deviceId: 'sink:headset', state: 'active', outputRoute: pinnedTo('sink:headset') })),
      { type: 'disconnected', sessionId: 's1', reason: 'device-removed' },
      ended('s1'),
      { type: 'device-removed', deviceId: 'sink:headset' },
      ...defaultMoves('sink:hdmi', ALL_ROLES),
      created(pulseSession({ id: 's2', deviceId: 'sink:hdmi', state: 'active', outputRoute: FOLLOWS })),
    ];
    expect(failedRules({ backend: 'pulse', events, durationMs: 2000 })).toEqual([]);
  });

  it('lists the rules a platform does not have as not applicable, with the reason, never as passed', () => {
    const verdicts = checkRules(throughTheFile({ backend: 'pulse', events: [created(pulseSession()), ended('s1')] }));
    expect(verdicts.map((verdict) => verdict.rule)).toEqual([...RULE_IDS]);
    const notApplicable = verdicts.filter((verdict) => verdict.status === 'not-applicable').map((verdict) => verdict.rule);
    expect(notApplicable).toEqual(['R3', 'R17', 'R19', 'R23']);
    expect(verdicts.find((verdict) => verdict.rule === 'R19')).toMatchObject({ reason: expect.stringMatching(/no System Sounds session/) });
    expect(verdicts.filter((verdict) => verdict.status === 'failed')).toEqual([]);
  });

  it('says which rules events cannot show', () => {
    const verdicts = checkRules(throughTheFile(lifecycle));
    const notObservable = verdicts.filter((verdict) => verdict.status === 'not-observable').map((verdict) => verdict.rule);
    expect(notObservable).toEqual(['R5', 'R7', 'R11', 'R12', 'R13', 'R14', 'R15', 'R16', 'R20', 'R24']);
  });
});
