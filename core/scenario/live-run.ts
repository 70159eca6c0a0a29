// Runs a scenario on a real backend (pulse, coreaudio): its steps launch real programs,
// disturb the system while they play (control/), and wait in real time. The events of the
// launched apps' sessions, and of devices, are compared with the expectations.
//
// After every action the run waits for the system to settle (no event for settleMs, at
// most settleTimeoutMs), so an expectation never races the events it is about.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { openBackend } from '../../native-bridge/open-backend';
import type { AudioBackend, BackendName, DeviceRole } from '../../native-bridge/types';
import { DEVICE_ROLES } from '../../native-bridge/types';
import type { LoggedEvent } from '../contract';
import { EngineHost } from '../engine-host';
import type { SystemControl } from './control/system-control';
import { NotSupportedError, openSystemControl } from './control/system-control';
import type { ParsedScenario, ScenarioStep } from './format';
import { backendOf } from './format';
import { SETTLE_MS, observedDevice, sessionIdOfEvent, timedEvents } from './observation';
import type { ScenarioReport, StepFailure } from './report';
import { buildReport } from './report';

export interface LiveRunOptions {
  /** Opens the scenario's backend; default: the real one, as the CLI opens it. */
  openBackend?: (name: BackendName) => Promise<AudioBackend>;
  /** Environment for launched apps and the platform's tools (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Quiet time that counts as settled after an action (default SETTLE_MS). */
  settleMs?: number;
  /** How long a launched app may take to show a session (default 5000 ms). */
  launchTimeoutMs?: number;
}

const SETTLE_TIMEOUT_MS = 5000;
const DEFAULT_LAUNCH_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 3000;

interface App {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  stderr: string;
}

export async function runLiveScenario(parsed: ParsedScenario, options: LiveRunOptions = {}): Promise<ScenarioReport> {
  const { scenario, stepLines } = parsed;
  const backendName = backendOf(scenario);
  if (backendName === 'sim') throw new Error('runLiveScenario runs real backends; the sim runs in run.ts');
  const env = options.env ?? process.env;
  const settleMs = options.settleMs ?? SETTLE_MS;
  const control = await openSystemControl(backendName, { env });
  const apps = new Map<string, App>();
  const everyApp: App[] = [];
  try {
    const stepFailures: StepFailure[] = [];
    // A recording's devices are what was there: the run uses them, it does not make them.
    for (const device of scenario.recording ? [] : scenario.devices) {
      await control.addDevice({ id: device.id, name: device.name, flow: device.flow, makeDefault: device.default !== undefined });
    }
    const backend = options.openBackend
      ? await options.openBackend(backendName)
      : (await openBackend({ name: backendName, stateDir: null, live: true })).backend;
    const host = await EngineHost.start(backend, { eventLogSize: 100_000, onError: () => undefined });
    const startedAt = Date.now();
    const startDevices = host.devices().map(observedDevice);
    const all: LoggedEvent[] = [];
    let lastEventAt = Date.now();
    const stopListening = host.onEvent((event) => {
      all.push(event);
      lastEventAt = Date.now();
    });
    const settle = async () => {
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while (Date.now() - lastEventAt < settleMs && Date.now() < deadline) await delay(Math.min(50, settleMs));
      // Once more: the action's own events may not have started yet.
      await delay(settleMs);
      while (Date.now() - lastEventAt < settleMs && Date.now() < deadline) await delay(Math.min(50, settleMs));
    };
    const pidsOf = (app: string) => everyApp.filter((candidate) => candidate.name === app).map((candidate) => candidate.pid);
    const endedPids: number[] = [];
    const context: StepContext = { control, host, apps, everyApp, env, settle, pidsOf, endedPids, launchTimeoutMs: options.launchTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS };
    try {
      for (const [index, entry] of scenario.steps.entries()) {
        const failure = await runLiveStep(context, entry).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
        if (failure) stepFailures.push({ line: stepLines[index] ?? 0, step: Object.keys(entry)[0] ?? 'step', reason: failure });
      }
      await settle();
    } finally {
      stopListening();
      await host.close();
    }

    // Only the launched apps' sessions (and devices) are the run's business.
    const appPids = new Set(everyApp.map((app) => app.pid));
    const appOfPid = new Map(everyApp.map((app) => [app.pid, app.name]));
    const pidOfSession = new Map<string, number>();
    const observed = all.filter((event) => {
      if (event.type === 'session-created') pidOfSession.set(event.session.id, event.session.pid);
      const id = sessionIdOfEvent(event);
      return id === undefined || appPids.has(pidOfSession.get(id) ?? -1);
    });
    const sessionApp = (sessionId: string) => appOfPid.get(pidOfSession.get(sessionId) ?? -1);
    const counters = new Map<string, number>();
    const names = new Map<string, string>();
    for (const event of observed) {
      if (event.type !== 'session-created') continue;
      const app = sessionApp(event.session.id) ?? 'app';
      const count = (counters.get(app) ?? 0) + 1;
      counters.set(app, count);
      names.set(event.session.id, count === 1 ? app : `${app}#${count}`);
    }
    return buildReport(parsed, {
      observed,
      observation: {
        backend: backendName,
        devices: startDevices,
        sessions: [],
        events: timedEvents(observed, startedAt),
        endedPids,
        durationMs: Date.now() - startedAt,
        expireAfterMs: null,
      },
      stepFailures,
      naming: {
        sessionOfStream: () => false,
        sessionOfApp: (sessionId, app) => sessionApp(sessionId) === app,
        nameOf: (sessionId) => names.get(sessionId),
      },
      ownerOf: (session) => appOfPid.get(session.pid) ?? null,
    });
  } finally {
    await Promise.all([...apps.values()].map((app) => stopApp(app)));
    await control.close();
  }
}

interface StepContext {
  control: SystemControl;
  host: EngineHost;
  apps: Map<string, App>;
  everyApp: App[];
  env: NodeJS.ProcessEnv;
  settle(): Promise<void>;
  pidsOf(app: string): number[];
  endedPids: number[];
  launchTimeoutMs: number;
}

/** Runs one step; resolves with why it failed, or null. */
async function runLiveStep(context: StepContext, entry: ScenarioStep): Promise<string | null> {
  const { control, apps } = context;
  try {
    if ('wait' in entry) await delay(entry.wait);
    else if ('launch' in entry) return await launch(context, entry.launch.app, entry.launch.command);
    else if ('stopApp' in entry) {
      const app = apps.get(entry.stopApp) as App;
      apps.delete(entry.stopApp);
      await stopApp(app);
      context.endedPids.push(app.pid);
    } else if ('moveStreams' in entry) {
      const moved = await control.moveStreams(context.pidsOf(entry.moveStreams.app as string), entry.moveStreams.device);
      if (moved === 0) return `app "${entry.moveStreams.app}" has no stream to move`;
    } else if ('addDevice' in entry) {
      const { id, name, flow, default: makeDefault } = entry.addDevice;
      await control.addDevice({ id, name, flow, makeDefault: makeDefault !== undefined });
    } else if ('removeDevice' in entry) await control.removeDevice(entry.removeDevice);
    else if ('suspendDevice' in entry) await control.suspendDevice(entry.suspendDevice.device, entry.suspendDevice.suspended ?? true);
    else if ('setDefaultDevice' in entry) {
      await control.setDefaultDevice(entry.setDefaultDevice.device, (entry.setDefaultDevice.roles as DeviceRole[] | undefined) ?? DEVICE_ROLES);
    } else return `${Object.keys(entry)[0]} is a sim step`;
    await context.settle();
    return null;
  } catch (error) {
    if (error instanceof NotSupportedError) return error.message;
    throw error;
  }
}

async function launch(context: StepContext, name: string, command: readonly string[]): Promise<string | null> {
  const [program, ...args] = command as [string, ...string[]];
  const child = spawn(program, args, { env: context.env, stdio: ['ignore', 'ignore', 'pipe'] });
  const app: App = { name, child, pid: child.pid ?? -1, exited: new Promise((resolve) => child.once('close', () => resolve())), stderr: '' };
  child.stderr?.on('data', (chunk: Buffer) => (app.stderr = (app.stderr + chunk.toString()).slice(-2000)));
  const spawnError = await new Promise<Error | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', (error) => resolve(error));
  });
  if (spawnError) return `cannot start ${program}: ${(spawnError as NodeJS.ErrnoException).code ?? spawnError.message}`;
  context.apps.set(name, app);
  context.everyApp.push(app);
  const deadline = Date.now() + context.launchTimeoutMs;
  while (Date.now() < deadline) {
    if (context.host.sessions().some((session) => session.pid === app.pid)) {
      await context.settle();
      return null;
    }
    if (child.exitCode !== null || child.signalCode !== null) break;
    await delay(25);
  }
  const ended = child.exitCode !== null || child.signalCode !== null;
  return `${program} (pid ${app.pid}) ${ended ? 'exited' : 'showed no session'} within ${context.launchTimeoutMs} ms${app.stderr.trim() ? `: ${app.stderr.trim()}` : ''}`;
}

async function stopApp(app: App): Promise<void> {
  const { child } = app;
  if (child.exitCode !== null || child.signalCode !== null) return app.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await app.exited;
  clearTimeout(timer);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
