// A recording as a scenario file: what `sndmix record` and the timeline's "Save as
// scenario" write (one serializer for both), and how `sndmix check --rules` reads it back.
//
// The file keeps two things apart:
//  - `sessions`: each session seen, under an alias, with its whole record (id, pid and
//    instance identifier included: they are what the rule checks judge);
//  - `expect.events`: every event in order with its time (`at`), naming sessions by alias
//    and giving only the fields a later run of the same app reproduces (no ids, pids or
//    event contexts), so the file is also the expectation for that run.
// Browser-safe: the timeline imports it.
import type { YAMLMap } from 'yaml';
import { Document, isMap, isSeq } from 'yaml';
import type { BackendEvent, BackendName, DeviceRole, SessionRecord } from '../../native-bridge/types';
import { DEVICE_ROLES } from '../../native-bridge/types';
import type { ExpectedEvent, Follow, RecordedSession, Scenario } from './format';
import type { Observation, ObservedDevice, ObservedSession, TimedEvent } from './observation';
import { observedSession, sessionIdOfEvent } from './observation';

export interface RecordingInput {
  name: string;
  backend: BackendName;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  /** The app followed; none: every session (the timeline). */
  follow?: Follow;
  devices: readonly ObservedDevice[];
  /** The followed sessions there at the start. */
  sessions: readonly (SessionRecord | ObservedSession)[];
  events: readonly TimedEvent[];
  endedPids?: readonly number[];
  /** The program the recorder started, so the recording can run again. */
  launched?: { app: string; command: string[]; ranForMs: number };
}

/** Fields of a session that a later run of the same app reproduces. */
const REPRODUCIBLE_SESSION_FIELDS = [
  'sessionGuid',
  'crossProcess',
  'processName',
  'deviceId',
  'flow',
  'state',
  'displayName',
  'displayNameSource',
  'iconPath',
  'isSystemSounds',
] as const satisfies readonly (keyof SessionRecord)[];

/** Per event type, the fields an expectation states; exhaustive, so a new event type must be placed here. */
const EXPECTED_FIELDS: { [T in BackendEvent['type']]: (event: Extract<BackendEvent, { type: T }>) => Record<string, unknown> } = {
  'session-created': ({ session }) => ({ session: pick(session, REPRODUCIBLE_SESSION_FIELDS) }),
  'state-changed': ({ state, terminated }) => ({ state, terminated }),
  'display-name-changed': ({ displayName, displayNameSource }) => ({ displayName, displayNameSource }),
  'icon-changed': ({ iconPath }) => ({ iconPath }),
  'volume-changed': ({ volume, muted }) => ({ volume, muted }),
  'channel-volume-changed': ({ channelVolumes, changedChannel }) => ({ channelVolumes, changedChannel }),
  'grouping-changed': ({ groupingParam }) => ({ groupingParam }),
  disconnected: ({ reason }) => ({ reason }),
  // What the streams play (track titles) is the run's; how many streams there are is the app's.
  'streams-changed': ({ streamCount }) => ({ streamCount }),
  'output-route-changed': ({ outputRoute }) => ({ outputRoute }),
  'device-added': ({ device }) => ({ device: { id: device.id, name: device.name, flow: device.flow } }),
  'device-removed': ({ deviceId }) => ({ deviceId }),
  'device-changed': ({ device }) => ({ device: { id: device.id, name: device.name, flow: device.flow } }),
  'default-device-changed': ({ flow, role, deviceId }) => ({ flow, role, deviceId }),
  duck: ({ deviceId, communicationSessions }) => ({ deviceId, communicationSessions }),
  unduck: ({ deviceId }) => ({ deviceId }),
};

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

function expectedFields(event: BackendEvent): Record<string, unknown> {
  return (EXPECTED_FIELDS[event.type] as (event: BackendEvent) => Record<string, unknown>)(event);
}

/** Whether a session is the followed app's: by pid, process name (".exe" optional) or display name, case-insensitive. */
export function followsSession(follow: Follow | undefined, session: Pick<SessionRecord, 'pid' | 'processName' | 'displayName'>): boolean {
  if (!follow) return true;
  const same = (a: string | null, b: string) => a !== null && a.toLocaleLowerCase() === b.toLocaleLowerCase();
  if (follow.pid !== undefined) return session.pid === follow.pid;
  if (follow.processName !== undefined) {
    const base = session.processName?.split(/[\\/]/).pop() ?? null;
    return same(base, follow.processName) || same(base?.replace(/\.exe$/i, '') ?? null, follow.processName);
  }
  if (follow.displayName !== undefined) return same(session.displayName, follow.displayName);
  return true;
}

/** "paplay", "Blue in Green - Melodia" -> "paplay", "Blue-in-Green-Melodia". */
function aliasBase(session: ObservedSession): string {
  const text = (session.processName?.split(/[\\/]/).pop()?.replace(/\.exe$/i, '') || session.displayName || 'session').trim();
  const slug = text.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return /^[A-Za-z]/.test(slug) ? slug : `s-${slug || 'session'}`;
}

export function recordingToScenario(input: RecordingInput): Scenario {
  const sessions: RecordedSession[] = [];
  const aliasById = new Map<string, string>();
  const used = new Map<string, number>();
  const name = (record: ObservedSession, atStart: boolean) => {
    const base = aliasBase(record);
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    const alias = count === 1 ? base : `${base}-${count}`;
    aliasById.set(record.id, alias);
    sessions.push({ alias, ...(atStart ? { atStart: true } : {}), ...observedSession(record) });
  };
  for (const record of input.sessions) name(observedSession(record), true);
  const events: ExpectedEvent[] = input.events.map(({ at, event }) => {
    // Each life of a session (a new session-created for its id) gets its own alias.
    if (event.type === 'session-created') name(observedSession(event.session), false);
    const sessionId = sessionIdOfEvent(event);
    const alias = sessionId === undefined ? undefined : aliasById.get(sessionId);
    const who = alias !== undefined ? { sessionAlias: alias } : sessionId !== undefined ? { sessionId } : {};
    return { type: event.type, ...who, ...expectedFields(event), at: Math.round(at) };
  });
  const launched = input.launched;
  return {
    scenario: 1,
    name: input.name,
    backend: input.backend,
    recording: {
      startedAt: new Date(input.startedAt).toISOString(),
      durationMs: Math.round(input.durationMs),
      ...(input.follow ? { follow: input.follow } : {}),
      ...(input.endedPids && input.endedPids.length > 0 ? { endedPids: [...input.endedPids] } : {}),
    },
    devices: input.devices.map((device) => ({ id: device.id, name: device.name, flow: device.flow, ...defaultSpec(device.defaultFor) })),
    steps: launched ? [{ launch: { app: launched.app, command: launched.command } }, { wait: Math.round(launched.ranForMs) }, { stopApp: launched.app }] : [],
    sessions,
    expect: { events },
  };
}

function defaultSpec(roles: readonly DeviceRole[]): { default?: true | DeviceRole[] } {
  if (roles.length === 0) return {};
  return DEVICE_ROLES.every((role) => roles.includes(role)) ? { default: true } : { default: [...roles] };
}

/** The scenario file's text: YAML, one device, step, session and event per line. */
export function recordingToYaml(input: RecordingInput): string {
  const scenario = recordingToScenario(input);
  const document = new Document(scenario);
  for (const path of [['devices'], ['steps'], ['sessions'], ['expect', 'events']]) {
    const list = document.getIn(path, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) if (isMap(item)) (item as YAMLMap).flow = true;
  }
  const rerun = scenario.steps.length > 0 ? '; run it again: sndmix check FILE' : '';
  const followed = input.follow ? `, following ${describeFollow(input.follow)}` : '';
  return `# Recorded by SndMix on ${scenario.backend}${followed}.\n# Check it against the session rules: sndmix check --rules FILE${rerun}\n${document.toString({ lineWidth: 0, flowCollectionPadding: true })}`;
}

export function describeFollow(follow: Follow): string {
  if (follow.pid !== undefined) return `pid ${follow.pid}`;
  if (follow.processName !== undefined) return `process ${follow.processName}`;
  return `display name ${follow.displayName ?? ''}`;
}

/** What a recording observed, for the rule checks; null when the scenario is no recording. */
export function observationOfRecording(scenario: Scenario): Observation | null {
  const { recording, sessions = [] } = scenario;
  if (!recording) return null;
  const byAlias = new Map(sessions.map(({ alias, atStart, ...record }) => [alias, record as ObservedSession]));
  const events = scenario.expect.events.map(({ at, type, sessionAlias, stream, app, ...fields }): TimedEvent => {
    const record = sessionAlias === undefined ? undefined : byAlias.get(sessionAlias);
    const sessionId = record?.id ?? (fields.sessionId as string | undefined);
    const event = type === 'session-created' ? { type, session: record ?? fields.session } : { type, ...fields, ...(sessionId !== undefined ? { sessionId } : {}) };
    return { at: at ?? 0, event: event as BackendEvent };
  });
  return {
    backend: scenario.backend ?? 'sim',
    devices: scenario.devices.map((device) => ({
      id: device.id,
      name: device.name,
      flow: device.flow,
      defaultFor: device.default === true ? [...DEVICE_ROLES] : ((device.default as DeviceRole[] | undefined) ?? []),
    })),
    sessions: sessions.filter((session) => session.atStart).map(({ alias, atStart, ...record }) => record as ObservedSession),
    events,
    endedPids: recording.endedPids ?? [],
    durationMs: recording.durationMs,
    expireAfterMs: scenario.expireAfterMs ?? null,
  };
}
