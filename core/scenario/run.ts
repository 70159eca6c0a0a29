// Runs a QA scenario headless on the sim engine (manual clock, no persistence) and
// compares the events the engine host logs with the ones the scenario expects.
import type { HResult } from '../../native-bridge/com/hresult';
import { S_OK, describeHResult } from '../../native-bridge/com/hresult';
import { createSimBackend } from '../../native-bridge/sim/simulated-windows';
import { ManualClock } from '../../native-bridge/sim/clock';
import type { SimEngine } from '../../native-bridge/sim/engine';
import { SimScenarioError } from '../../native-bridge/sim/engine';
import type { DeviceRole } from '../../native-bridge/types';
import { DEVICE_ROLES } from '../../native-bridge/types';
import type { LoggedEvent } from '../contract';
import { EngineHost } from '../engine-host';
import type { ExpectedEvent, ParsedScenario, Scenario, ScenarioStep } from './format';

export interface ScenarioReport {
  name: string;
  passed: boolean;
  /** Human-readable comparison, one line per expected or observed event (and failed step). */
  diff: string[];
  observed: LoggedEvent[];
}

interface RunState {
  engine: SimEngine;
  clock: ManualClock;
  /** Stream alias -> engine stream id and session id. */
  streams: Map<string, { streamId: number; sessionId: string }>;
}

export async function runScenario({ scenario, stepLines, expectLines }: ParsedScenario): Promise<ScenarioReport> {
  const clock = new ManualClock(0);
  const backend = await createSimBackend({
    stateDir: null,
    scenario: 'empty',
    live: false,
    clock,
    expireAfterMs: scenario.expireAfterMs,
    onWarning: () => undefined,
  });
  for (const device of scenario.devices) addDevice(backend.engine, device);
  const host = await EngineHost.start(backend, { eventLogSize: 100_000, pollIntervalMs: null });
  const observed: LoggedEvent[] = [];
  host.onEvent((event) => observed.push(event));
  const state: RunState = { engine: backend.engine, clock, streams: new Map() };
  const stepFailures: string[] = [];
  try {
    for (const [index, entry] of scenario.steps.entries()) {
      const failure = runStep(state, entry);
      if (failure) stepFailures.push(`  ! step at line ${stepLines[index]}: ${failure}`);
      // Notifications the step raised are handled before the next step, as between a user's actions.
      await settled();
    }
  } finally {
    await host.close();
  }

  // Streams sharing a session (R13) all name it: "sfx/music".
  const aliasOf = new Map<string, string>();
  for (const [name, { sessionId }] of state.streams) {
    const known = aliasOf.get(sessionId);
    aliasOf.set(sessionId, known ? `${known}/${name}` : name);
  }
  const sessionOf = new Map([...state.streams].map(([name, handle]) => [name, handle.sessionId]));
  const comparison = compare(scenario.expect.events, expectLines, observed, sessionOf, aliasOf);
  return {
    name: scenario.name,
    passed: stepFailures.length === 0 && comparison.passed,
    diff: [...stepFailures, ...comparison.lines],
    observed,
  };
}

function addDevice(engine: SimEngine, device: Scenario['devices'][number]): void {
  engine.addDevice({
    id: device.id,
    name: device.name,
    flow: device.flow,
    defaultFor: device.default === true ? DEVICE_ROLES : (device.default as DeviceRole[] | undefined),
    channelCount: device.channels,
  });
}

/** Runs one step; returns why it failed, or null. */
function runStep({ engine, clock, streams }: RunState, entry: ScenarioStep): string | null {
  const stream = (name: string) => streams.get(name) as { streamId: number; sessionId: string };
  const expectResult = (hr: HResult, wanted: string | undefined): string | null => {
    const got = describeHResult(hr);
    const want = wanted ?? 'S_OK';
    return got === want || got.startsWith(`${want} (`) ? null : `returned ${got}, expected ${want}`;
  };
  const asClientOf = (name: string) => engine.client(engine.getStream(stream(name).streamId)?.pid ?? -1);
  try {
    if ('wait' in entry) clock.advance(entry.wait);
    else if ('startProcess' in entry) {
      const { pid, exe, windowTitle, fileDescription } = entry.startProcess;
      engine.startProcess({ pid, exePath: exe, windowTitle, fileDescription });
    } else if ('exitProcess' in entry) engine.exitProcess(entry.exitProcess);
    else if ('openStream' in entry) {
      const { stream: name, guid, device, ...spec } = entry.openStream;
      streams.set(name, engine.openStream({ ...spec, sessionGuid: guid, deviceId: device }));
    } else if ('startStream' in entry) return expectResult(engine.startStream(stream(entry.startStream).streamId), entry.result);
    else if ('stopStream' in entry) return expectResult(engine.stopStream(stream(entry.stopStream).streamId), entry.result);
    else if ('releaseStream' in entry) return expectResult(engine.releaseStream(stream(entry.releaseStream).streamId), entry.result);
    else if ('setDisplayName' in entry) {
      const { stream: name, name: displayName } = entry.setDisplayName;
      return expectResult(asClientOf(name).setDisplayName(stream(name).sessionId, displayName), entry.result);
    } else if ('setIconPath' in entry) {
      const { stream: name, path } = entry.setIconPath;
      return expectResult(asClientOf(name).setIconPath(stream(name).sessionId, path), entry.result);
    } else if ('setGroupingParam' in entry) {
      const { stream: name, guid } = entry.setGroupingParam;
      return expectResult(asClientOf(name).setGroupingParam(stream(name).sessionId, guid), entry.result);
    } else if ('setVolume' in entry) {
      const { stream: name, volume, muted, asPid } = entry.setVolume;
      const client = asPid === undefined ? asClientOf(name) : engine.client(asPid);
      const sessionId = stream(name).sessionId;
      const results = [
        volume === undefined ? S_OK : client.setVolume(sessionId, volume),
        muted === undefined ? S_OK : client.setMute(sessionId, muted),
      ];
      return expectResult(results.find((hr) => hr !== S_OK) ?? S_OK, entry.result);
    } else if ('addDevice' in entry) addDevice(engine, entry.addDevice);
    else if ('removeDevice' in entry) engine.removeDevice(entry.removeDevice);
    else if ('setDefaultDevice' in entry) {
      engine.setDefaultDevice(entry.setDefaultDevice.device, (entry.setDefaultDevice.roles as DeviceRole[] | undefined) ?? DEVICE_ROLES);
    } else if ('playSystemSound' in entry) engine.playSystemSound(entry.playSystemSound.device, entry.playSystemSound.durationMs);
    return null;
  } catch (error) {
    if (error instanceof SimScenarioError) return error.message;
    throw error;
  }
}

interface Comparison {
  passed: boolean;
  lines: string[];
}

/**
 * Observed events of the types the scenario mentions must match the expected ones one
 * to one, in order; each expected event names only the fields it cares about.
 */
function compare(
  expected: readonly ExpectedEvent[],
  expectLines: readonly number[],
  observedAll: readonly LoggedEvent[],
  sessionOf: Map<string, string>,
  aliasOf: Map<string, string>,
): Comparison {
  const types = new Set(expected.map((event) => event.type));
  const observed = observedAll.filter((event) => types.has(event.type));
  const lines: string[] = [];
  let passed = true;
  for (let index = 0; index < Math.max(expected.length, observed.length); index += 1) {
    const want = expected[index];
    const got = observed[index];
    if (want && got && matches(want, got, sessionOf)) {
      lines.push(`  ✓ ${describeObserved(got, aliasOf, want)}`);
      continue;
    }
    passed = false;
    if (want) lines.push(`  - expected (line ${expectLines[index]}): ${describeExpected(want)}`);
    if (got) lines.push(`  + observed: ${describeObserved(got, aliasOf, want)}`);
    else lines.push('  + observed: nothing more');
  }
  return { passed, lines };
}

function matches(want: ExpectedEvent, got: LoggedEvent, sessionOf: Map<string, string>): boolean {
  const { type, stream, ...fields } = want;
  if (type !== got.type) return false;
  if (stream !== undefined && sessionIdOf(got) !== sessionOf.get(stream)) return false;
  return isSubset(fields, got);
}

function sessionIdOf(event: LoggedEvent): string | undefined {
  if ('sessionId' in event) return event.sessionId;
  if (event.type === 'session-created') return event.session.id;
  return undefined;
}

/** Every field of `want` is in `got` with an equal value (numbers within a rounding error). */
function isSubset(want: unknown, got: unknown): boolean {
  if (typeof want === 'number' && typeof got === 'number') return Math.abs(want - got) < 1e-6;
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((item, i) => isSubset(item, got[i]));
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') return false;
    return Object.entries(want).every(([key, value]) => isSubset(value, (got as Record<string, unknown>)[key]));
  }
  return want === got;
}

function describeExpected(want: ExpectedEvent): string {
  const { type, stream, ...fields } = want;
  return `${type}${stream ? ` ${stream}` : ''}${Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`;
}

/** The observed event in the expectation's terms: its session by alias, and the fields the expectation names. */
function describeObserved(got: LoggedEvent, aliasOf: Map<string, string>, want: ExpectedEvent | undefined): string {
  const sessionId = sessionIdOf(got);
  const who = sessionId ? ` ${aliasOf.get(sessionId) ?? `(session ${sessionId})`}` : '';
  const { type, seq, time, source, ...rest } = got;
  const wanted = want && want.type === got.type ? Object.keys(want).filter((key) => key !== 'type' && key !== 'stream') : [];
  const shown = wanted.length > 0 ? Object.fromEntries(wanted.map((key) => [key, project((rest as Record<string, unknown>)[key], (want as Record<string, unknown>)[key])])) : summary(got);
  return `${type}${who} ${JSON.stringify(shown)}`;
}

/** Cuts an observed value down to the shape of the expected one, so the diff reads side by side. */
function project(value: unknown, shape: unknown): unknown {
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(shape).map((key) => [key, project((value as Record<string, unknown>)[key], (shape as Record<string, unknown>)[key])]));
}

function summary(event: LoggedEvent): Record<string, unknown> {
  switch (event.type) {
    case 'session-created':
      return { displayName: event.session.displayName, pid: event.session.pid, flow: event.session.flow, state: event.session.state };
    case 'device-added':
    case 'device-changed':
      return { id: event.device.id, name: event.device.name };
    default: {
      const { type, seq, time, source, ...rest } = event as LoggedEvent & Record<string, unknown>;
      delete rest.sessionId;
      return rest;
    }
  }
}

/** Lets the handling of the notifications a step raised (promise continuations) run to the end. */
function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
