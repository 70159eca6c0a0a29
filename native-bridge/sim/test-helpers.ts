// Shared by the sim's tests: a world on a manual clock, the simulated Windows over it as
// the coreaudio logic sees it (the OS seam), recorders for the seam's notifications, and
// the coreaudio backend running on it (what `--backend sim` is).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { SessionControl, SessionEvents, SessionManager } from '../coreaudio/system';
import type { BackendEvent, DisconnectReason, SessionState } from '../types';
import { disconnectReasonOf } from '../windows-rules/disconnect-reasons';
import { ManualClock } from './clock';
import type { SimEngineOptions } from './engine';
import { SimEngine } from './engine';
import { createSimBackend, type SimBackend, type SimBackendOptions } from './simulated-windows';
import { SimAudioSystem } from './system';

export const GUID_A = '{11111111-2222-3333-4444-555555555555}';
export const GUID_B = '{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}';
/** A mixer's event context, spelled in lower case on purpose: events must echo it as given. */
export const MIXER_CONTEXT = '{0f0f0f0f-1111-2222-3333-444444444444}';
export const EXPIRE_MS = 1_000;

export const DEVICES = {
  speakers: 'test-speakers',
  headset: 'test-headset',
  microphone: 'test-microphone',
  headsetMicrophone: 'test-headset-microphone',
} as const;

/** Speakers (default console/multimedia), a headset (default communications), and their microphones. */
export function addStandardDevices(engine: SimEngine): void {
  engine.addDevice({ id: DEVICES.speakers, name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia'] });
  engine.addDevice({ id: DEVICES.headset, name: 'Headset', flow: 'render', defaultFor: ['communications'] });
  engine.addDevice({ id: DEVICES.microphone, name: 'Microphone', flow: 'capture', defaultFor: ['console', 'multimedia'], channelCount: 1 });
  engine.addDevice({ id: DEVICES.headsetMicrophone, name: 'Headset Microphone', flow: 'capture', defaultFor: ['communications'], channelCount: 1 });
}

/** The standard devices on an engine, and the simulated Windows over it. */
export function world(options: SimEngineOptions = {}) {
  const clock = new ManualClock(1_000_000);
  const warnings: string[] = [];
  const engine = new SimEngine({
    clock,
    expireAfterMs: EXPIRE_MS,
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  addStandardDevices(engine);
  return { engine, clock, warnings, system: new SimAudioSystem(engine) };
}

/** `--backend sim` on an empty world with the given devices (the standard ones by default), recording what it reports. */
export async function backendWorld(
  options: Partial<SimBackendOptions> = {},
  addDevices: (engine: SimEngine) => void = addStandardDevices,
): Promise<{ backend: SimBackend; engine: SimEngine; clock: ManualClock; events: BackendEvent[]; warnings: string[] }> {
  const clock = new ManualClock(1_000_000);
  const warnings: string[] = [];
  const backend = await createSimBackend({
    stateDir: null,
    scenario: 'empty',
    live: false,
    clock,
    expireAfterMs: EXPIRE_MS,
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  addDevices(backend.engine);
  await settle();
  const events: BackendEvent[] = [];
  backend.subscribe((event) => events.push(event));
  return { backend, engine: backend.engine, clock, events, warnings };
}

/** A maker of fresh temporary directories (`<tmp>/<prefix>XXXXXX`), each removed after its test. */
export function temporaryDirs(prefix: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** Lets the backend's handling of notifications (promise continuations) run to the end. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function startApp(engine: SimEngine, pid: number, exe = 'player.exe', extra: { windowTitle?: string; fileDescription?: string } = {}) {
  return engine.startProcess({ pid, exePath: `C:\\Program Files\\Apps\\${exe}`, ...extra });
}

/** The device's IAudioSessionManager2, as a mixer activates it. */
export function managerOf(system: SimAudioSystem, deviceId: string): SessionManager {
  return system.openEndpoint(deviceId).sessionManager();
}

export function instanceOf(control: SessionControl): string {
  return control.sessionInstanceIdentifier();
}

/** The mixer's control object for an engine session id, found by enumerating its device. */
export function controlOf(system: SimAudioSystem, sessionId: string): SessionControl {
  const session = system.engine.getSession(sessionId);
  if (!session) throw new Error(`no live session ${sessionId}`);
  const control = managerOf(system, session.deviceId)
    .listSessions()
    .find((candidate) => instanceOf(candidate) === session.sessionInstanceIdentifier);
  if (!control) throw new Error(`session ${sessionId} is not in its device's list`);
  return control;
}

export type RecordedSessionEvent =
  | { type: 'display-name'; displayName: string; eventContext: string }
  | { type: 'icon-path'; iconPath: string; eventContext: string }
  | { type: 'volume'; volume: number; muted: boolean; eventContext: string }
  | { type: 'channel-volume'; channelVolumes: number[]; changedChannel: number; eventContext: string }
  | { type: 'grouping'; groupingParam: string; eventContext: string }
  | { type: 'state'; state: SessionState }
  | { type: 'disconnected'; reason: DisconnectReason };

/** Registers an IAudioSessionEvents recorder on the session. */
export async function recordSession(control: SessionControl): Promise<RecordedSessionEvent[]> {
  const events: RecordedSessionEvent[] = [];
  const sink: SessionEvents = {
    displayNameChanged: (displayName, eventContext) => events.push({ type: 'display-name', displayName, eventContext }),
    iconPathChanged: (iconPath, eventContext) => events.push({ type: 'icon-path', iconPath, eventContext }),
    volumeChanged: (volume, muted, eventContext) => events.push({ type: 'volume', volume, muted, eventContext }),
    channelVolumeChanged: (channelVolumes, changedChannel, eventContext) =>
      events.push({ type: 'channel-volume', channelVolumes: [...channelVolumes], changedChannel, eventContext }),
    groupingParamChanged: (groupingParam, eventContext) => events.push({ type: 'grouping', groupingParam, eventContext }),
    stateChanged: (state) => events.push({ type: 'state', state }),
    disconnected: (reason) => events.push({ type: 'disconnected', reason: disconnectReasonOf(reason) }),
  };
  await control.watch(sink);
  return events;
}

/** Registers an IAudioSessionNotification recorder; returns the created sessions' instance identifiers. */
export async function recordCreated(manager: SessionManager): Promise<string[]> {
  const created: string[] = [];
  await manager.watchSessions((control) => created.push(instanceOf(control)));
  return created;
}
