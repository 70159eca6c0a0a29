import type { HResult } from '../../native-bridge/com/hresult';
import { S_OK, describeHResult } from '../../native-bridge/com/hresult';
// Runs a QA scenario: on the sim engine headless (manual clock, no persistence), or on a
// real backend (live-run.ts). Either way the events the engine host logs are compared
// with the ones the scenario expects (compare.ts), and reported (report.ts).
import { createSimBackend } from '../../native-bridge/sim/simulated-windows';
import { ManualClock } from '../../native-bridge/sim/clock';
import type { SimEngine } from '../../native-bridge/sim/engine';
import { SimScenarioError } from '../../native-bridge/sim/scenario-checks';
import { DEFAULT_EXPIRE_AFTER_MS } from '../../native-bridge/sim/session-lifecycle';
import type { SimStreamSpec } from '../../native-bridge/sim/streams';
import type { DeviceRole } from '../../native-bridge/types';
import { DEVICE_ROLES } from '../../native-bridge/types';
import type { LoggedEvent } from '../contract';
import { EngineHost } from '../engine-host';
import type { ParsedScenario, Scenario, ScenarioStep } from './format';
import { backendOf } from './format';
import type { LiveRunOptions } from './live-run';
import { runLiveScenario } from './live-run';
import { observedDevice, observedSession } from './observation';
import type { ScenarioReport, StepFailure } from './report';
import { buildReport } from './report';

export type { ScenarioReport } from './report';

export async function runScenario(parsed: ParsedScenario, options: LiveRunOptions = {}): Promise<ScenarioReport> {
  return backendOf(parsed.scenario) === 'sim' ? runSimScenario(parsed) : runLiveScenario(parsed, options);
}

interface StreamHandle {
  streamId: number;
  sessionId: string;
  /** How it was opened, so a move can open it again elsewhere. */
  spec: SimStreamSpec;
}

interface RunState {
  engine: SimEngine;
  clock: ManualClock;
  /** Stream alias -> its engine stream now. */
  streams: Map<string, StreamHandle>;
  /** Stream alias -> every session it belonged to (a moved stream is recreated in another, R7). */
  sessionsOfStream: Map<string, Set<string>>;
}

async function runSimScenario(parsed: ParsedScenario): Promise<ScenarioReport> {
  const { scenario, stepLines } = parsed;
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
  const startSessions = host.sessions().map(observedSession);
  const startDevices = host.devices().map(observedDevice);
  const observed: LoggedEvent[] = [];
  const times: number[] = [];
  host.onEvent((event) => {
    observed.push(event);
    times.push(clock.now());
  });
  const state: RunState = { engine: backend.engine, clock, streams: new Map(), sessionsOfStream: new Map() };
  const stepFailures: StepFailure[] = [];
  const endedPids: number[] = [];
  try {
    for (const [index, entry] of scenario.steps.entries()) {
      if ('exitProcess' in entry) endedPids.push(entry.exitProcess);
      const failure = 'setOutputDevice' in entry ? await setOutputDevice(state, host, entry.setOutputDevice) : runStep(state, entry);
      followReroutes(state);
      if (failure) stepFailures.push({ line: stepLines[index] ?? 0, step: Object.keys(entry)[0] ?? 'step', reason: failure });
      // Notifications the step raised are handled before the next step, as between a user's actions.
      await settled();
    }
  } finally {
    await host.close();
  }

  // Streams sharing a session (R13) all name it: "sfx/music".
  const aliasOf = new Map<string, string>();
  for (const [name, sessionIds] of state.sessionsOfStream) {
    for (const sessionId of sessionIds) {
      const known = aliasOf.get(sessionId);
      aliasOf.set(sessionId, known ? `${known}/${name}` : name);
    }
  }
  return buildReport(parsed, {
    observed,
    observation: {
      backend: 'sim',
      devices: startDevices,
      sessions: startSessions,
      events: observed.map(({ seq, time, source, ...event }, index) => ({ at: times[index] ?? 0, event })),
      endedPids,
      durationMs: clock.now(),
      expireAfterMs: scenario.expireAfterMs ?? DEFAULT_EXPIRE_AFTER_MS,
    },
    stepFailures,
    naming: {
      sessionOfStream: (sessionId, stream) => state.sessionsOfStream.get(stream)?.has(sessionId) ?? false,
      sessionOfApp: () => false,
      nameOf: (sessionId) => aliasOf.get(sessionId),
    },
    ownerOf: (session) => (session.crossProcess || session.isSystemSounds ? null : `pid ${session.pid}`),
  });
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
function runStep(state: RunState, entry: ScenarioStep): string | null {
  const { engine, clock, streams } = state;
  const stream = (name: string) => streams.get(name) as StreamHandle;
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
      const { stream: name, guid, device, ...rest } = entry.openStream;
      openStream(state, name, { ...rest, sessionGuid: guid, deviceId: device });
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
    else if ('moveStreams' in entry) moveStreams(state, entry.moveStreams.pid as number, entry.moveStreams.device);
    else if ('suspendDevice' in entry) return SIM_SUSPEND_NOT_SUPPORTED;
    else if ('launch' in entry || 'stopApp' in entry) return 'not supported on the sim: it runs no real programs (use startProcess)';
    return null;
  } catch (error) {
    if (error instanceof SimScenarioError) return error.message;
    throw error;
  }
}


/** What the user does in SndMix's strip menu: the stream's app gets its own output device (R26), through the host's command. */
async function setOutputDevice(state: RunState, host: EngineHost, { stream, device }: { stream: string; device: string | null }): Promise<string | null> {
  const handle = state.streams.get(stream) as StreamHandle;
  const result = await host.execute({ type: 'set-output-device', sessionIds: [handle.sessionId], deviceId: device });
  return result.ok ? null : result.error.message;
}

/** Windows has no endpoint suspend an app could observe; the sim models Windows. */
const SIM_SUSPEND_NOT_SUPPORTED =
  'not supported on the sim: Windows endpoints are not suspended under an app (use removeDevice for a device that goes away)';

function openStream(state: RunState, name: string, spec: SimStreamSpec): void {
  const handle = state.engine.openStream(spec);
  state.streams.set(name, { ...handle, spec });
  const sessions = state.sessionsOfStream.get(name) ?? new Set<string>();
  sessions.add(handle.sessionId);
  state.sessionsOfStream.set(name, sessions);
}

/**
 * What a Windows app does when its stream must go to another device (R7): release the
 * stream and open it again there, started if it was running. Every stream of the pid moves.
 */
function moveStreams(state: RunState, pid: number, deviceId: string): void {
  const { engine } = state;
  const moving = [...state.streams].filter(([, handle]) => engine.getStream(handle.streamId)?.pid === pid);
  if (moving.length === 0) throw new SimScenarioError(`pid ${pid} has no open stream to move`);
  for (const [name, handle] of moving) {
    const running = engine.getStream(handle.streamId)?.running ?? false;
    engine.releaseStream(handle.streamId);
    openStream(state, name, { ...handle.spec, deviceId, start: running });
  }
}

/**
 * Windows reroutes the streams that follow the default (R26, R27): such a stream is then in
 * its app's session on the other device, which its name stands for too.
 */
function followReroutes(state: RunState): void {
  for (const [name, handle] of state.streams) {
    const sessionId = state.engine.getStream(handle.streamId)?.sessionId;
    if (sessionId === undefined || sessionId === handle.sessionId) continue;
    state.streams.set(name, { ...handle, sessionId });
    state.sessionsOfStream.get(name)?.add(sessionId);
  }
}

/** Lets the handling of the notifications a step raised (promise continuations) run to the end. */
function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
