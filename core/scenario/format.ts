// The QA scenario format: timed steps for the sim engine and the events they must
// produce. YAML (JSON is YAML too); every problem in a file is reported with its line.
import type { Node } from 'yaml';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { z } from 'zod';
import type { BackendEventType } from '../../native-bridge/types';
import { DEVICE_ROLES } from '../../native-bridge/types';
import { EVENT_TYPES } from '../contract';

const alias = z.string().regex(/^[A-Za-z][\w-]*$/, 'an alias is a word: letters, digits, _ or -');
const guid = z.string().regex(/^\{?[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?$/, 'expected a GUID');
const pid = z.number().int().positive();
const unit = z.number().min(0).max(1);
const flow = z.enum(['render', 'capture']);
const role = z.enum(DEVICE_ROLES as [string, ...string[]]);
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
]);

/** An expected event: its type, the stream whose session it concerns, and any fields it must have. */
const expectedEvent = z.looseObject({ type: z.enum(EVENT_TYPES as [BackendEventType, ...BackendEventType[]]), stream: alias.optional() });

export const ScenarioSchema = z
  .object({
    scenario: z.literal(1),
    name: z.string().min(1),
    description: z.string().optional(),
    expireAfterMs: z.number().int().min(0).optional(),
    devices: z.array(deviceSpec).min(1),
    steps: z.array(step).min(1),
    expect: z.object({ events: z.array(expectedEvent) }).strict(),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type ExpectedEvent = z.infer<typeof expectedEvent>;

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
  checkReferences(scenario, stepLines, expectLines);
  return { scenario, stepLines, expectLines };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') return 'not a known step (one action per step: wait, startProcess, openStream, startStream, ...)';
  if (issue.code === 'unrecognized_keys') return `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return issue.message;
}

/** Aliases, pids and device ids must be declared before they are used. */
function checkReferences(scenario: Scenario, stepLines: number[], expectLines: number[]): void {
  const devices = new Set(scenario.devices.map((device) => device.id));
  const processes = new Set<number>();
  const streams = new Set<string>();
  const needDevice = (id: string | undefined, line: number) => {
    if (id !== undefined && !devices.has(id)) throw new ScenarioFormatError(line, `unknown device "${id}"`);
  };
  const needStream = (name: string, line: number) => {
    if (!streams.has(name)) throw new ScenarioFormatError(line, `unknown stream "${name}" (open it with openStream first)`);
  };
  scenario.steps.forEach((entry, index) => {
    const line = stepLines[index] ?? 1;
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
    else if ('addDevice' in entry) {
      if (devices.has(entry.addDevice.id)) throw new ScenarioFormatError(line, `device "${entry.addDevice.id}" already exists`);
      devices.add(entry.addDevice.id);
    } else if ('removeDevice' in entry) needDevice(entry.removeDevice, line);
    else if ('setDefaultDevice' in entry) needDevice(entry.setDefaultDevice.device, line);
    else if ('playSystemSound' in entry) needDevice(entry.playSystemSound.device, line);
  });
  const everyStream = new Set(scenario.steps.flatMap((entry) => ('openStream' in entry ? [entry.openStream.stream] : [])));
  scenario.expect.events.forEach((event, index) => {
    if (event.stream !== undefined && !everyStream.has(event.stream)) {
      throw new ScenarioFormatError(expectLines[index] ?? 1, `unknown stream "${event.stream}"`);
    }
  });
}
