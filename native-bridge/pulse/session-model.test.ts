import { describe, expect, it } from 'vitest';
import { SESSION_FIELD_CHANGED_BY } from '../session-events';
import type { SessionRecord } from '../types';
import { GUID_NULL } from '../types';
import type { PaClient, PaDevice, PaServerInfo, PaStream } from './server-records';
import { PA_INVALID_INDEX, streamKey } from './server-records';
import type { SessionInput, SessionView } from './session-model';
import {
  appIdentityOf,
  buildDevices,
  buildSessions,
  defaultDeviceIdsOf,
  diffDevices,
  diffSessions,
  rebuildSessions,
  sessionIdOf,
} from './session-model';
import { PA_VOLUME_NORM } from './volume';

const NORM = PA_VOLUME_NORM;

function device(kind: 'sink' | 'source', index: number, name: string, extra: Partial<PaDevice> = {}): PaDevice {
  return {
    kind,
    index,
    name,
    description: `${name} description`,
    channelVolumes: [NORM, NORM],
    muted: false,
    monitorOfSink: null,
    monitorSource: null,
    activePortAvailable: 'unknown',
    decibelVolume: false,
    props: {},
    ...extra,
  };
}

function stream(index: number, props: Record<string, string>, extra: Partial<PaStream> = {}): PaStream {
  return {
    kind: 'sink-input',
    index,
    clientIndex: 10 + index,
    moduleIndex: 1,
    deviceIndex: 0,
    channelVolumes: [NORM, NORM],
    muted: false,
    corked: false,
    hasVolume: true,
    writableVolume: true,
    props,
    ...extra,
  };
}

const SERVER: PaServerInfo = { name: 'pulseaudio', version: '16.1', defaultSinkName: 'speakers', defaultSourceName: 'mic' };
const DEVICES = [
  device('sink', 0, 'speakers', { monitorSource: 0 }),
  device('sink', 1, 'headset', { monitorSource: 1 }),
  device('source', 0, 'speakers.monitor', { monitorOfSink: 0 }),
  device('source', 2, 'mic'),
];
const SHOWN = new Set(buildDevices(DEVICES, SERVER, false).map((d) => d.id));
const DEFAULTS = defaultDeviceIdsOf(buildDevices(DEVICES, SERVER, false));
const ALPHA = { 'application.name': 'Alpha', 'application.process.id': '4242', 'application.process.binary': 'alpha' };

function inputOf(streams: PaStream[], ownClientIndex = 999, clients: PaClient[] = []): SessionInput {
  return {
    devices: DEVICES,
    streams,
    clients: new Map(clients.map((client) => [client.index, client])),
    shownDeviceIds: SHOWN,
    ownClientIndex,
    defaultDeviceIds: DEFAULTS,
    iconFor: (query) => (query.iconName ? `data:${query.iconName}` : null),
  };
}

function sessionsOf(streams: PaStream[], ownClientIndex = 999, clients: PaClient[] = []) {
  return buildSessions(inputOf(streams, ownClientIndex, clients));
}

function only<T>(items: Iterable<T>): T {
  const list = [...items];
  expect(list).toHaveLength(1);
  return list[0] as T;
}

describe('pulse devices', () => {
  it('lists sinks as render and sources as capture endpoints, monitors left out by default', () => {
    const records = buildDevices(DEVICES, SERVER, false);
    expect(records.map((d) => [d.id, d.flow, d.name])).toEqual([
      ['sink:speakers', 'render', 'speakers description'],
      ['sink:headset', 'render', 'headset description'],
      ['source:mic', 'capture', 'mic description'],
    ]);
    expect(buildDevices(DEVICES, SERVER, true).map((d) => d.id)).toContain('source:speakers.monitor');
  });

  it('marks the default sink and source for every role', () => {
    const records = buildDevices(DEVICES, SERVER, false);
    expect(records.find((d) => d.id === 'sink:speakers')?.defaultFor).toEqual(['console', 'multimedia', 'communications']);
    expect(records.find((d) => d.id === 'sink:headset')?.defaultFor).toEqual([]);
    expect(records.find((d) => d.id === 'source:mic')?.defaultFor).toHaveLength(3);
  });

  it('reads master volume as the loudest channel, and an unplugged active port as unplugged', () => {
    const [record] = buildDevices(
      [device('sink', 0, 'speakers', { channelVolumes: [NORM / 4, NORM / 2], muted: true, activePortAvailable: 'no' })],
      SERVER,
      false,
    );
    expect(record).toMatchObject({ volume: 0.5, muted: true, state: 'unplugged' });
  });

  it('reports added, removed and changed devices and moved defaults', () => {
    const before = buildDevices(DEVICES, SERVER, false);
    const after = buildDevices(
      [...DEVICES.filter((d) => d.name !== 'headset'), device('sink', 3, 'hdmi'), device('source', 2, 'mic', { muted: true })],
      { ...SERVER, defaultSinkName: 'hdmi' },
      false,
    );
    const { leading, trailing } = diffDevices(before, after);
    expect(leading.map((e) => e.type)).toEqual([
      'device-added',
      'default-device-changed',
      'default-device-changed',
      'default-device-changed',
      'device-changed',
      'device-changed',
    ]);
    expect(leading.filter((e) => e.type === 'default-device-changed')).toContainEqual({
      type: 'default-device-changed',
      flow: 'render',
      role: 'multimedia',
      deviceId: 'sink:hdmi',
    });
    expect(trailing).toEqual([{ type: 'device-removed', deviceId: 'sink:headset' }]);
  });
});

describe('pulse sessions', () => {
  it('makes one session of two streams of one app (pid + binary), named by application.name', () => {
    const session = only(sessionsOf([stream(1, { ...ALPHA, 'application.icon_name': 'alpha-icon' }), stream(2, ALPHA)]).values());
    expect(session.streams.map((s) => s.index)).toEqual([1, 2]);
    expect(session.record).toMatchObject({
      pid: 4242,
      processName: 'alpha',
      displayName: 'Alpha',
      displayNameSource: 'client',
      deviceId: 'sink:speakers',
      flow: 'render',
      iconPath: 'alpha-icon',
      icon: 'data:alpha-icon',
      sessionGuid: GUID_NULL,
      crossProcess: false,
      groupingParam: '',
      isSystemSounds: false,
      disconnected: null,
    });
  });

  it('keeps what each stream says it plays (media.name) for the inspector', () => {
    const session = only(
      sessionsOf([stream(1, { ...ALPHA, 'media.name': 'Track one' }), stream(2, ALPHA), stream(3, { ...ALPHA, 'media.name': ' Ding ' })]).values(),
    );
    expect(session.record.displayName).toBe('Alpha');
    expect(session.record.mediaTitles).toEqual(['Track one', 'Ding']);
    expect(session.record.streamCount).toBe(3);
  });

  it("takes the best-sourced name and the first icon from any of the session's streams", () => {
    const bare = { 'application.process.id': '4242', 'application.process.binary': 'alpha' };
    const record = only(sessionsOf([stream(1, bare), stream(2, { ...ALPHA, 'application.icon_name': 'alpha-icon' })]).values()).record;
    expect(record).toMatchObject({ displayName: 'Alpha', displayNameSource: 'client', iconPath: 'alpha-icon' });
  });

  it('R2: the same app in two processes is two sessions', () => {
    const sessions = sessionsOf([stream(1, ALPHA), stream(2, { ...ALPHA, 'application.process.id': '5000' })]);
    expect(sessions.size).toBe(2);
  });

  it('R4: the same process on two devices is two sessions', () => {
    const sessions = sessionsOf([stream(1, ALPHA), stream(2, ALPHA, { deviceIndex: 1 })]);
    expect([...sessions.values()].map((s) => s.record.deviceId).sort()).toEqual(['sink:headset', 'sink:speakers']);
  });

  it("reads a session on its flow's default device as following the default, one on another device as pinned to it", () => {
    const sessions = sessionsOf([stream(1, ALPHA), stream(2, ALPHA, { deviceIndex: 1 }), stream(3, ALPHA, { kind: 'source-output', deviceIndex: 2 })]);
    expect(Object.fromEntries([...sessions.values()].map(({ record }) => [record.deviceId, record.outputRoute]))).toEqual({
      'sink:speakers': { kind: 'follows-default' },
      'sink:headset': { kind: 'pinned', deviceId: 'sink:headset' },
      'source:mic': { kind: 'follows-default' },
    });
  });

  it('R8: playback and recording of one app are separate sessions, on their own flows', () => {
    const sessions = sessionsOf([stream(1, ALPHA), stream(1, ALPHA, { kind: 'source-output', deviceIndex: 2 })]);
    expect([...sessions.values()].map((s) => s.record.flow).sort()).toEqual(['capture', 'render']);
  });

  it('R1: the session id depends on app, device and flow only, not on stream indexes', () => {
    const first = only(sessionsOf([stream(1, ALPHA)]).keys());
    const later = only(sessionsOf([stream(77, ALPHA, { clientIndex: 300 })]).keys());
    expect(later).toBe(first);
  });

  it('R6: two instances share a session identifier, not an instance identifier', () => {
    const [a, b] = [...sessionsOf([stream(1, ALPHA), stream(2, { ...ALPHA, 'application.process.id': '5000' })]).values()];
    expect(a?.record.sessionIdentifier).toBe(b?.record.sessionIdentifier);
    expect(a?.record.sessionInstanceIdentifier).not.toBe(b?.record.sessionInstanceIdentifier);
  });

  it('falls back to the binary, the media name, then a generic name', () => {
    expect(appIdentityOf(stream(1, { 'application.process.binary': 'mpv' }))).toMatchObject({
      displayName: 'mpv',
      displayNameSource: 'executable',
    });
    expect(appIdentityOf(stream(1, { 'media.name': 'Playback' }))).toMatchObject({ displayName: 'Playback', displayNameSource: 'client' });
    expect(appIdentityOf(stream(1, {}))).toMatchObject({ displayName: 'Unknown application', displayNameSource: 'generic', pid: 0 });
  });

  it('groups streams without a pid by application name, then by client, then by module', () => {
    expect(sessionsOf([stream(1, { 'application.name': 'X' }), stream(2, { 'application.name': 'X' })]).size).toBe(1);
    expect(sessionsOf([stream(1, {}), stream(2, {})]).size).toBe(2);
    const moduleStreams = [stream(1, {}, { clientIndex: PA_INVALID_INDEX }), stream(2, {}, { clientIndex: PA_INVALID_INDEX })];
    expect(sessionsOf(moduleStreams).size).toBe(1);
  });

  it('takes pid and binary from the owning client when the stream lacks them (PipeWire-native pw-play)', () => {
    const pwPlay = { 'application.name': 'pw-play', 'media.name': 'long.wav' };
    const client = (index: number, pid: string): PaClient => ({
      index,
      name: 'pw-cat',
      props: { 'application.name': 'pw-cat', 'application.process.id': pid, 'application.process.binary': 'pw-cat' },
    });
    const sessions = sessionsOf([stream(1, pwPlay, { clientIndex: 70 }), stream(2, pwPlay, { clientIndex: 71 })], 999, [
      client(70, '10428'),
      client(71, '10429'),
    ]);
    const records = [...sessions.values()].map((view) => view.record);
    expect(records.map((record) => record.pid).sort()).toEqual([10428, 10429]);
    // The stream's own application.name wins over the client's.
    expect(records.map((record) => [record.displayName, record.processName])).toEqual([
      ['pw-play', 'pw-cat'],
      ['pw-play', 'pw-cat'],
    ]);
    // A stream that says its own pid keeps it.
    expect(only(sessionsOf([stream(1, ALPHA, { clientIndex: 70 })], 999, [client(70, '1')]).values()).record.pid).toBe(4242);
  });

  it('ignores a malformed pid instead of trusting it', () => {
    expect(appIdentityOf(stream(1, { 'application.process.id': '12abc' })).pid).toBe(0);
    expect(appIdentityOf(stream(1, { 'application.process.id': '99999999999' })).pid).toBe(0);
  });

  it('shows a recorder of a monitor source as a recording session when monitors are shown', () => {
    const withMonitors = new Set(buildDevices(DEVICES, SERVER, true).map((d) => d.id));
    const recorder = stream(1, ALPHA, { kind: 'source-output', deviceIndex: 0 });
    const sessions = buildSessions({ devices: DEVICES, streams: [recorder], clients: new Map(), shownDeviceIds: withMonitors, ownClientIndex: 999, defaultDeviceIds: DEFAULTS, iconFor: () => null });
    expect(only(sessions.values()).record).toMatchObject({ flow: 'capture', deviceId: 'source:speakers.monitor', pid: 4242 });
  });

  it("leaves out SndMix's own streams and streams on devices it does not show", () => {
    expect(sessionsOf([stream(1, ALPHA, { clientIndex: 999 })], 999).size).toBe(0);
    expect(sessionsOf([stream(1, ALPHA, { kind: 'source-output', deviceIndex: 0 })]).size).toBe(0);
    expect(sessionsOf([stream(1, ALPHA, { deviceIndex: 42 })]).size).toBe(0);
  });

  it('takes the loudest stream as the volume, mute only when all are muted, channels from the oldest', () => {
    const record = only(
      sessionsOf([
        stream(1, ALPHA, { channelVolumes: [NORM / 2, NORM / 4], muted: true }),
        stream(2, ALPHA, { channelVolumes: [NORM * 0.75, NORM * 0.75] }),
      ]).values(),
    ).record;
    expect(record).toMatchObject({ volume: 0.75, muted: false, channelVolumes: [0.5, 0.25] });
    const muted = only(sessionsOf([stream(1, ALPHA, { muted: true }), stream(2, ALPHA, { muted: true })]).values()).record;
    expect(muted.muted).toBe(true);
  });

  it('R9: active while any stream runs, inactive when all are corked', () => {
    const mixed = only(sessionsOf([stream(1, ALPHA, { corked: true }), stream(2, ALPHA)]).values()).record;
    expect(mixed.state).toBe('active');
    const corked = only(sessionsOf([stream(1, ALPHA, { corked: true })]).values()).record;
    expect(corked.state).toBe('inactive');
  });
});

describe('pulse sessions rebuilt after some streams changed', () => {
  const BETA = { 'application.name': 'Beta', 'application.process.id': '4343', 'application.process.binary': 'beta' };
  const GAMMA = { 'application.name': 'Gamma', 'application.process.id': '4444', 'application.process.binary': 'gamma' };
  const keyOf = (changed: PaStream) => streamKey(changed.kind, changed.index);

  /**
   * rebuildSessions from `before`'s sessions to `after`'s input gives what buildSessions of
   * `after` gives (same sessions, same order); a session none of the changed streams was or
   * is in keeps its view object. Returns the rebuilt sessions.
   */
  function expectRebuilt(before: SessionInput, after: SessionInput, changed: readonly string[]): Map<string, SessionView> {
    const old = buildSessions(before);
    const rebuilt = rebuildSessions(old, after, new Set(changed));
    expect([...rebuilt]).toEqual([...buildSessions(after)]);
    const touches = (view: SessionView | undefined) => view?.streams.some((member) => changed.includes(keyOf(member))) ?? false;
    for (const [id, view] of old) {
      if (!touches(view) && !touches(rebuilt.get(id))) expect(rebuilt.get(id)).toBe(view);
    }
    return rebuilt;
  }

  const streams = () => [
    stream(1, ALPHA),
    stream(2, ALPHA),
    stream(3, BETA),
    stream(4, GAMMA, { kind: 'source-output', deviceIndex: 2 }),
  ];

  it("a volume, mute or cork of one stream: its session's levels anew, every other session the same view", () => {
    for (const levels of [{ channelVolumes: [NORM / 4, NORM / 2] }, { muted: true }, { corked: true }, { hasVolume: false }]) {
      const after = streams().map((member) => (member.index === 2 ? { ...member, ...levels } : member));
      const rebuilt = expectRebuilt(inputOf(streams()), inputOf(after), ['sink-input#2']);
      expect(rebuilt.size).toBe(3);
    }
  });

  it('a stream renamed or given another app moves between sessions; one moved to another device too', () => {
    const renamed = streams().map((member) => (member.index === 1 ? stream(1, { ...ALPHA, 'media.name': 'Track 2' }) : member));
    expectRebuilt(inputOf(streams()), inputOf(renamed), ['sink-input#1']);
    const toBeta = streams().map((member) => (member.index === 2 ? stream(2, BETA) : member));
    expect(expectRebuilt(inputOf(streams()), inputOf(toBeta), ['sink-input#2']).size).toBe(3);
    const toOwnApp = streams().map((member) => (member.index === 1 ? stream(1, { ...ALPHA, 'application.process.id': '9' }) : member));
    expect(expectRebuilt(inputOf(streams()), inputOf(toOwnApp), ['sink-input#1']).size).toBe(4);
    const toHeadset = streams().map((member) => (member.index === 3 ? stream(3, BETA, { deviceIndex: 1 }) : member));
    expectRebuilt(inputOf(streams()), inputOf(toHeadset), ['sink-input#3']);
  });

  it('streams come and go: a new session, one more stream of a session, the last stream of a session gone', () => {
    expectRebuilt(inputOf(streams()), inputOf([...streams(), stream(5, { 'application.name': 'Delta' })]), ['sink-input#5']);
    expectRebuilt(inputOf(streams()), inputOf([...streams(), stream(6, BETA)]), ['sink-input#6']);
    const withoutBeta = streams().filter((member) => member.index !== 3);
    expect(expectRebuilt(inputOf(streams()), inputOf(withoutBeta), ['sink-input#3']).size).toBe(2);
    const withoutOneAlpha = streams().filter((member) => member.index !== 1);
    expectRebuilt(inputOf(streams()), inputOf(withoutOneAlpha), ['sink-input#1']);
  });

  it("a client's new identity changes every stream of it that lacks one of its own (PipeWire-native clients)", () => {
    const client = (pid: string): PaClient => ({ index: 70, name: 'pw-cat', props: { 'application.process.id': pid, 'application.process.binary': 'pw-cat' } });
    const played = [stream(1, { 'application.name': 'pw-play' }, { clientIndex: 70 }), stream(2, { 'application.name': 'pw-play' }, { clientIndex: 70 }), stream(3, BETA)];
    const rebuilt = expectRebuilt(inputOf(played, 999, [client('10')]), inputOf(played, 999, [client('11')]), ['sink-input#1', 'sink-input#2']);
    expect([...rebuilt.values()].map((view) => view.record.pid)).toEqual([11, 4343]);
    // Only a property the sessions do not read changed: the levels path keeps the session as it was.
    const renamedClient = { ...client('10'), props: { ...client('10').props, 'window.x11.display': ':1' } };
    expectRebuilt(inputOf(played.slice(2, 3).concat(played.slice(0, 1)), 999, [client('10')]), inputOf(played.slice(2, 3).concat(played.slice(0, 1)), 999, [renamedClient]), ['sink-input#1']);
  });

  it("SndMix's own streams and streams on devices it does not show stay out", () => {
    const own = [...streams(), stream(7, ALPHA, { kind: 'source-output', clientIndex: 999 })];
    expectRebuilt(inputOf(streams()), inputOf(own), ['source-output#7']);
    const toMonitor = streams().map((member) => (member.index === 4 ? { ...member, deviceIndex: 0 } : member));
    expect(expectRebuilt(inputOf(streams()), inputOf(toMonitor), ['source-output#4']).size).toBe(2);
    expect(expectRebuilt(inputOf(toMonitor), inputOf(streams()), ['source-output#4']).size).toBe(3);
  });

  it('orders sessions as buildSessions does: by oldest stream, a sink-input before a source-output of one index as listed', () => {
    const listed = [stream(5, ALPHA, { kind: 'source-output', deviceIndex: 2 }), stream(5, BETA), stream(8, GAMMA)];
    expectRebuilt(inputOf(listed), inputOf([...listed, stream(3, { 'application.name': 'Delta' })]), ['sink-input#3']);
    const gammaJoinsBeta = listed.map((member) => (member.index === 8 ? stream(8, BETA) : member));
    expectRebuilt(inputOf(listed), inputOf(gammaJoinsBeta), ['sink-input#8']);
    const betaGone = listed.filter((member) => member.kind !== 'sink-input' || member.index !== 5);
    expectRebuilt(inputOf(listed), inputOf([...betaGone, stream(2, BETA)]), ['sink-input#5', 'sink-input#2']);
  });
});

describe('pulse session ids', () => {
  it('are the same for the same app, device and flow, run after run (a SHA-256 of them), also after many others', () => {
    const id = sessionIdOf('render', 'sink:speakers', 'pid:4242|binary:alpha');
    expect(id).toBe('pe448220eaa280e80');
    expect(sessionIdOf('capture', 'sink:speakers', 'pid:4242|binary:alpha')).not.toBe(id);
    expect(sessionIdOf('render', 'sink:headset', 'pid:4242|binary:alpha')).not.toBe(id);
    for (let pid = 1; pid <= 2000; pid++) expect(sessionIdOf('render', 'sink:speakers', `pid:${pid}|binary:alpha`)).toMatch(/^p[0-9a-f]{16}$/);
    expect(sessionIdOf('render', 'sink:speakers', 'pid:4242|binary:alpha')).toBe(id);
  });
});

describe('pulse session events', () => {
  const records = (streams: PaStream[]) => new Map([...sessionsOf(streams)].map(([id, view]) => [id, view.record]));
  const external = () => 'external';

  it('announces new sessions and terminates ended ones (R10)', () => {
    const before = records([stream(1, ALPHA)]);
    const after = records([stream(2, { 'application.name': 'Beta' })]);
    const events = diffSessions(before, after, external, new Set());
    expect(events.map((e) => e.type)).toEqual(['state-changed', 'session-created']);
    expect(events[0]).toEqual({ type: 'state-changed', sessionId: only(before.keys()), state: 'expired', terminated: true });
  });

  it('R25: a session whose device went away is disconnected before it terminates', () => {
    const before = records([stream(1, ALPHA)]);
    const events = diffSessions(before, new Map(), external, new Set(['sink:speakers']));
    expect(events.map((e) => e.type)).toEqual(['disconnected', 'state-changed']);
    expect(events[0]).toMatchObject({ reason: 'device-removed' });
  });

  it('reports volume, mute and channel changes with the context of whoever made them', () => {
    const before = records([stream(1, ALPHA)]);
    const after = records([stream(1, ALPHA, { channelVolumes: [NORM, NORM / 2], muted: true })]);
    const events = diffSessions(before, after, () => 'ctx', new Set());
    expect(events).toEqual([
      { type: 'volume-changed', sessionId: only(after.keys()), volume: 1, muted: true, eventContext: 'ctx' },
      { type: 'channel-volume-changed', sessionId: only(after.keys()), channelVolumes: [1, 0.5], changedChannel: 1, eventContext: 'ctx' },
    ]);
  });

  it('reports state, display name and icon changes', () => {
    const before = records([stream(1, ALPHA)]);
    const after = records([stream(1, { ...ALPHA, 'application.name': 'Alpha 2', 'application.icon_name': 'a2' }, { corked: true })]);
    const types = diffSessions(before, after, external, new Set()).map((e) => e.type);
    expect(types).toEqual(['display-name-changed', 'icon-changed', 'state-changed']);
  });

  it('reports a track change (a stream retitled, media.name) as streams-changed', () => {
    const before = records([stream(1, { ...ALPHA, 'media.name': 'Track one' }), stream(2, { ...ALPHA, 'media.name': 'Ding' })]);
    const after = records([stream(1, { ...ALPHA, 'media.name': 'Track two' }), stream(2, { ...ALPHA, 'media.name': 'Ding' })]);
    expect(diffSessions(before, after, external, new Set())).toEqual([
      { type: 'streams-changed', sessionId: only(after.keys()), mediaTitles: ['Track two', 'Ding'], streamCount: 2 },
    ]);
  });

  it('reports a stream come or gone as streams-changed, with the count', () => {
    const before = records([stream(1, ALPHA)]);
    const after = records([stream(1, ALPHA), stream(2, ALPHA)]);
    expect(diffSessions(before, after, external, new Set())).toEqual([
      { type: 'streams-changed', sessionId: only(after.keys()), mediaTitles: [], streamCount: 2 },
    ]);
  });

  it('reports output-route-changed when the default moves to the device a session stays on', () => {
    const onHeadset = [stream(1, ALPHA, { deviceIndex: 1 })];
    const build = (defaults: Set<string>) =>
      new Map([...buildSessions({ devices: DEVICES, streams: onHeadset, clients: new Map(), shownDeviceIds: SHOWN, ownClientIndex: 999, defaultDeviceIds: defaults, iconFor: () => null })].map(([id, view]) => [id, view.record]));
    const before = build(DEFAULTS);
    const after = build(defaultDeviceIdsOf(buildDevices(DEVICES, { ...SERVER, defaultSinkName: 'headset' }, false)));
    expect(diffSessions(before, after, external, new Set())).toEqual([
      { type: 'output-route-changed', sessionId: only(after.keys()), outputRoute: { kind: 'follows-default' } },
    ]);
  });

  it('says nothing when nothing a listener sees changed', () => {
    const before = records([stream(1, ALPHA)]);
    const after = records([stream(1, ALPHA, { clientIndex: 77 })]);
    expect(diffSessions(before, after, external, new Set())).toEqual([]);
  });

  it('keeps a record type the host can store as-is: every field and no other', () => {
    const record: SessionRecord = only(records([stream(1, ALPHA)]).values());
    expect(Object.keys(record).sort()).toEqual(Object.keys(SESSION_FIELD_CHANGED_BY).sort());
  });
});
