// The QA scenario format: timed steps for a backend (the sim engine by default, or a real
// PulseAudio / Core Audio system with real apps), the events they must produce, and, in a
// recording, what was observed. YAML (JSON is YAML too); every problem in a file is
// reported with its line. docs/scenarios.md documents it.
import type { Node } from 'yaml';
import { LineCounter, isNode, parseDocument } from 'yaml';
import * as z from 'zod';
import type { BackendEventType, BackendName } from '../../native-bridge/types';
import { BACKEND_NAMES, DEVICE_ROLES, DISCONNECT_REASONS, DISPLAY_NAME_SOURCES } from '../../native-bridge/types';
import { EVENT_TYPES } from '../contract';

const alias = z.string().regex(/^[A-Za-z][\w-]*$/, 'an alias is a word: letters, digits, _ or -');
const guid = z.string().regex(/^\{?[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?$/, 'expected a GUID');
const pid = z.number().int().positive();
const unit = z.number().min(0).max(1);
const flow = z.enum(['render', 'capture']);
const role = z.enum(DEVICE_ROLES as [string, ...string[]]);
const backendName = z.enum(BACKEND_NAMES as [BackendName, ...BackendName[]]);
const hresultName = z.string().regex(/^[A-Z_]+$/, 'expected an HRESULT name such as S_OK or AUDCLNT_E_DEVICE_INVALIDATED');

const deviceSpec = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    flow,
    default: z.union([z.literal(true), z.array(role)]).optional(),
    channels: z.number().int().min(1).max(8).optional(),
  })
  .strict();

const processSpec = z
  .object({ pid, exe: z.string().min(1), windowTitle: z.string().optional(), fileDescription: z.string().optional() })
  .strict();

const streamSpec = z
  .object({
    stream: alias,
    pid,
    guid: guid.optional(),
    crossProcess: z.boolean().optional(),
    flow: flow.optional(),
    loopback: z.boolean().optional(),
    device: z.string().optional(),
    communications: z.boolean().optional(),
    displayName: z.string().optional(),
    iconPath: z.string().optional(),
    groupingParam: guid.optional(),
    start: z.boolean().optional(),
  })
  .strict();

/** One action per step; `result` states the HRESULT the call must return (default S_OK). */
const step = z.union([
  z.object({ wait: z.number().int().min(0).max(86_400_000) }).strict(),
  z.object({ startProcess: processSpec }).strict(),
  z.object({ exitProcess: pid }).strict(),
  z.object({ openStream: streamSpec }).strict(),
  z.object({ startStream: alias, result: hresultName.optional() }).strict(),
  z.object({ stopStream: alias, result: hresultName.optional() }).strict(),
  z.object({ releaseStream: alias, result: hresultName.optional() }).strict(),
  z.object({ setDisplayName: z.object({ stream: alias, name: z.string() }).strict(), result: hresultName.optional() }).strict(),
  z.object({ setIconPath: z.object({ stream: alias, path: z.string() }).strict(), result: hresultName.optional() }).strict(),
  z.object({ setGroupingParam: z.object({ stream: alias, guid }).strict(), result: hresultName.optional() }).strict(),
  z
    .object({
      /** `asPid`: the app making the call, when not the stream's own (R16). */
      setVolume: z.object({ stream: alias, volume: unit.optional(), muted: z.boolean().optional(), asPid: pid.optional() }).strict(),
      result: hresultName.optional(),
    })
    .strict(),
  z.object({ addDevice: deviceSpec }).strict(),
  z.object({ removeDevice: z.string().min(1) }).strict(),
  z.object({ setDefaultDevice: z.object({ device: z.string().min(1), roles: z.array(role).min(1).optional() }).strict() }).strict(),
  z.object({ playSystemSound: z.object({ device: z.string().optional(), durationMs: z.number().int().positive().optional() }).strict() }).strict(),
  // The user sends the stream's app to a device in SndMix (its own output device, R26); null: back to the default.
  z.object({ setOutputDevice: z.object({ stream: alias, device: z.string().min(1).nullable() }).strict() }).strict(),
  // Real backends: apps are real programs, started and ended by the run.
  z.object({ launch: z.object({ app: alias, command: z.array(z.string().min(1)).min(1) }).strict() }).strict(),
  z.object({ stopApp: alias }).strict(),
  // Disturbances: the system acts on the app's streams while it plays.
  z.object({ moveStreams: z.object({ app: alias.optional(), pid: pid.optional(), device: z.string().min(1) }).strict() }).strict(),
  z.object({ suspendDevice: z.object({ device: z.string().min(1), suspended: z.boolean().optional() }).strict() }).strict(),
]);

/** Steps that need the sim's scenario API (processes and streams it makes up). */
export const SIM_ONLY_STEPS = [
  'startProcess', 'exitProcess', 'openStream', 'startStream', 'stopStream', 'releaseStream',
  'setDisplayName', 'setIconPath', 'setGroupingParam', 'setVolume', 'playSystemSound', 'setOutputDevice',
] as const;
/** Steps about real programs. */
export const REAL_ONLY_STEPS = ['launch', 'stopApp'] as const;

/**
 * An expected event: its type, whose session it concerns (a sim stream, a launched app, or
 * a recorded session's alias), any fields it must have, and when it was recorded (`at`, ms
 * from the start; not compared, timing differs between runs).
 */
const expectedEvent = z.looseObject({
  type: z.enum(EVENT_TYPES as [BackendEventType, ...BackendEventType[]]),
  stream: alias.optional(),
  app: alias.optional(),
  sessionAlias: alias.optional(),
  at: z.number().min(0).optional(),
});

/**
 * A session a recording saw: its alias in the events, and its record (the icon's data left
 * out). The identity fields the rule checks read are required; the record's other fields
 * (volume, channels, media titles, ...) pass through as they are.
 */
/** SessionRecord.outputRoute; recordings made before routes were recorded have none: unknown (null). */
const outputRoute = z.union([
  z.object({ kind: z.literal('follows-default') }).strict(),
  z.object({ kind: z.literal('pinned'), deviceId: z.string().min(1) }).strict(),
], { error: 'an output route is { kind: follows-default } or { kind: pinned, deviceId: ID }' });

const recordedSession = z.looseObject({
  alias,
  /** Listed when the recording started, rather than created during it. */
  atStart: z.boolean().optional(),
  id: z.string().min(1),
  sessionGuid: z.string(),
  crossProcess: z.boolean(),
  pid: z.number().int().min(0),
  processName: z.string().nullable(),
  deviceId: z.string(),
  flow,
  state: z.enum(['active', 'inactive', 'expired']),
  displayName: z.string(),
  displayNameSource: z.enum(DISPLAY_NAME_SOURCES),
  iconPath: z.string(),
  isSystemSounds: z.boolean(),
  sessionIdentifier: z.string(),
  sessionInstanceIdentifier: z.string(),
  disconnected: z.enum(DISCONNECT_REASONS).nullable().optional(),
  outputRoute: outputRoute.nullable().default(null),
});

/** Which app a recording followed: exactly one of pid, process name, display name (or every app). */
const follow = z
  .object({ pid: pid.optional(), processName: z.string().min(1).optional(), displayName: z.string().min(1).optional() })
  .strict();

const recording = z
  .object({
    startedAt: z.string().min(1),
    durationMs: z.number().min(0),
    follow: follow.optional(),
    /** Processes that ended while recording: their sessions must have ended too (R10). */
    endedPids: z.array(pid).optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    scenario: z.literal(1),
    name: z.string().min(1),
    description: z.string().optional(),
    /** Where the steps run (default sim). */
    backend: backendName.optional(),
    expireAfterMs: z.number().int().min(0).optional(),
    /** Sim: the endpoints. Pulse: null sinks/sources the run creates (ids "sink:NAME"). A recording: what was there. */
    devices: z.array(deviceSpec),
    /** Empty only in a recording of an app it did not start. */
    steps: z.array(step),
    recording: recording.optional(),
    sessions: z.array(recordedSession).optional(),
    expect: z
      .object({
        events: z.array(expectedEvent),
        /** Leak check: at most this many live sessions per app (per launched app, or per pid on the sim) at any time. */
        sessionsPerApp: z.number().int().min(1).optional(),
      })
      .strict(),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type ExpectedEvent = z.infer<typeof expectedEvent>;
export type RecordedSession = z.infer<typeof recordedSession>;
export type Follow = z.infer<typeof follow>;

export function backendOf(scenario: Scenario): BackendName {
  return scenario.backend ?? 'sim';
}

export interface ParsedScenario {
  scenario: Scenario;
  /** Line (1-based) of each step and each expected event, for messages. */
  stepLines: number[];
  expectLines: number[];
}

export class ScenarioFormatError extends Error {
  override name = 'ScenarioFormatError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export function parseScenario(text: string): ParsedScenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const [syntaxError] = document.errors;
  if (syntaxError) throw new ScenarioFormatError(lineAt(syntaxError.pos[0]), syntaxError.message.split('\n')[0] ?? 'malformed');

  const parsed = ScenarioSchema.safeParse(document.toJS());
  const lineOf = (path: readonly PropertyKey[]): number => {
    // The deepest node that exists on the path: a missing key is reported where its parent is.
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as (string | number)[], true);
      if (isNode(node) && (node as Node).range) return lineAt((node as Node).range?.[0] ?? 0);
    }
    return 1;
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) throw new ScenarioFormatError(1, 'malformed scenario');
    const where = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    throw new ScenarioFormatError(lineOf(issue.path), `${describeIssue(issue)}${where}`);
  }
  const scenario = parsed.data;
  const stepLines = scenario.steps.map((_, index) => lineOf(['steps', index]));
  const expectLines = scenario.expect.events.map((_, index) => lineOf(['expect', 'events', index]));
  checkReferences(scenario, stepLines, expectLines, lineOf);
  return { scenario, stepLines, expectLines };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.path[0] === 'steps') return 'not a known step (one action per step: wait, startProcess, openStream, startStream, ...)';
  if (issue.code === 'unrecognized_keys') return `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return issue.message;
}

/** Aliases, pids, apps and device ids must be declared before they are used; steps must suit the backend. */
function checkReferences(
  scenario: Scenario,
  stepLines: number[],
  expectLines: number[],
  lineOf: (path: readonly PropertyKey[]) => number,
): void {
  const backend = backendOf(scenario);
  const devices = new Set(scenario.devices.map((device) => device.id));
  const processes = new Set<number>();
  const streams = new Set<string>();
  const apps = new Set<string>();
  const running = new Set<string>();
  if (backend === 'sim' && scenario.devices.length === 0 && scenario.steps.length > 0) {
    throw new ScenarioFormatError(lineOf(['devices']), 'the sim needs at least one device (devices: [...])');
  }
  if (scenario.steps.length === 0 && !scenario.recording) {
    throw new ScenarioFormatError(lineOf(['steps']), 'no steps: only a recording may have none');
  }
  if (backend === 'coreaudio' && scenario.devices.length > 0 && !scenario.recording) {
    throw new ScenarioFormatError(lineOf(['devices']), 'a coreaudio scenario cannot create devices (endpoints come from drivers): list none');
  }
  if (backend === 'pulse') {
    scenario.devices.forEach((device, index) => {
      const kind = device.flow === 'render' ? 'sink' : 'source';
      if (!new RegExp(`^${kind}:[\\w.-]+$`).test(device.id)) {
        throw new ScenarioFormatError(lineOf(['devices', index]), `pulse device "${device.id}" must be named ${kind}:NAME (letters, digits, _ . -)`);
      }
    });
  }
  // A removed device may be added again (plugged in again), under its id.
  const removed = new Set<string>();
  const needDevice = (id: string | undefined, line: number) => {
    if (id !== undefined && removed.has(id)) throw new ScenarioFormatError(line, `device "${id}" was removed (add it again with addDevice)`);
    if (id !== undefined && !devices.has(id)) throw new ScenarioFormatError(line, `unknown device "${id}"`);
  };
  const needStream = (name: string, line: number) => {
    if (!streams.has(name)) throw new ScenarioFormatError(line, `unknown stream "${name}" (open it with openStream first)`);
  };
  scenario.steps.forEach((entry, index) => {
    const line = stepLines[index] ?? 1;
    const kind = Object.keys(entry).find((key) => key !== 'result') as string;
    if (backend !== 'sim' && (SIM_ONLY_STEPS as readonly string[]).includes(kind)) {
      throw new ScenarioFormatError(line, `${kind} is a sim step; on ${backend} apps are real programs (launch, stopApp)`);
    }
    if (backend === 'sim' && (REAL_ONLY_STEPS as readonly string[]).includes(kind)) {
      throw new ScenarioFormatError(line, `${kind} runs a real program: set backend: pulse (or coreaudio)`);
    }
    if ('startProcess' in entry) {
      if (processes.has(entry.startProcess.pid)) throw new ScenarioFormatError(line, `pid ${entry.startProcess.pid} is already running`);
      processes.add(entry.startProcess.pid);
    } else if ('exitProcess' in entry) {
      if (!processes.delete(entry.exitProcess)) throw new ScenarioFormatError(line, `no running process with pid ${entry.exitProcess}`);
    } else if ('openStream' in entry) {
      const spec = entry.openStream;
      if (!processes.has(spec.pid)) throw new ScenarioFormatError(line, `no running process with pid ${spec.pid} (start it with startProcess)`);
      if (streams.has(spec.stream)) throw new ScenarioFormatError(line, `stream "${spec.stream}" is already open`);
      needDevice(spec.device, line);
      streams.add(spec.stream);
    } else if ('startStream' in entry) needStream(entry.startStream, line);
    else if ('stopStream' in entry) needStream(entry.stopStream, line);
    else if ('releaseStream' in entry) needStream(entry.releaseStream, line);
    else if ('setDisplayName' in entry) needStream(entry.setDisplayName.stream, line);
    else if ('setIconPath' in entry) needStream(entry.setIconPath.stream, line);
    else if ('setGroupingParam' in entry) needStream(entry.setGroupingParam.stream, line);
    else if ('setVolume' in entry) needStream(entry.setVolume.stream, line);
    else if ('setOutputDevice' in entry) {
      needStream(entry.setOutputDevice.stream, line);
      if (entry.setOutputDevice.device !== null) needDevice(entry.setOutputDevice.device, line);
    }
    else if ('addDevice' in entry) {
      if (devices.has(entry.addDevice.id)) throw new ScenarioFormatError(line, `device "${entry.addDevice.id}" already exists`);
      devices.add(entry.addDevice.id);
      removed.delete(entry.addDevice.id);
    } else if ('removeDevice' in entry) {
      needDevice(entry.removeDevice, line);
      devices.delete(entry.removeDevice);
      removed.add(entry.removeDevice);
    }
    else if ('setDefaultDevice' in entry) needDevice(entry.setDefaultDevice.device, line);
    else if ('playSystemSound' in entry) needDevice(entry.playSystemSound.device, line);
    else if ('launch' in entry) {
      if (running.has(entry.launch.app)) throw new ScenarioFormatError(line, `app "${entry.launch.app}" is already running`);
      apps.add(entry.launch.app);
      running.add(entry.launch.app);
    } else if ('stopApp' in entry) {
      if (!running.delete(entry.stopApp)) throw new ScenarioFormatError(line, `no running app "${entry.stopApp}" (start it with launch)`);
    } else if ('moveStreams' in entry) {
      const { app, pid: processId, device } = entry.moveStreams;
      if (backend === 'sim' ? processId === undefined || app !== undefined : app === undefined || processId !== undefined) {
        throw new ScenarioFormatError(line, backend === 'sim' ? 'moveStreams on the sim names a pid' : 'moveStreams names an app (from launch)');
      }
      if (app !== undefined && !running.has(app)) throw new ScenarioFormatError(line, `no running app "${app}"`);
      if (processId !== undefined && !processes.has(processId)) throw new ScenarioFormatError(line, `no running process with pid ${processId}`);
      needDevice(device, line);
    } else if ('suspendDevice' in entry) needDevice(entry.suspendDevice.device, line);
  });
  const everyStream = new Set(scenario.steps.flatMap((entry) => ('openStream' in entry ? [entry.openStream.stream] : [])));
  const aliases = scenario.sessions ? new Set(scenario.sessions.map((session) => session.alias)) : null;
  scenario.expect.events.forEach((event, index) => {
    const line = expectLines[index] ?? 1;
    if (event.stream !== undefined && !everyStream.has(event.stream)) throw new ScenarioFormatError(line, `unknown stream "${event.stream}"`);
    if (event.app !== undefined && !apps.has(event.app)) throw new ScenarioFormatError(line, `unknown app "${event.app}" (start it with launch)`);
    if (event.sessionAlias !== undefined && aliases && !aliases.has(event.sessionAlias)) {
      throw new ScenarioFormatError(line, `unknown session alias "${event.sessionAlias}" (not in sessions)`);
    }
  });
}
