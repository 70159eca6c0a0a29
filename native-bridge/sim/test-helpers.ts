// Shared by the sim's tests: a world on a manual clock, and recorders for the facade's sinks.
import type { DisconnectReason, SessionState } from '../types';
import { ManualClock } from './clock';
import type { SimEngineOptions } from './engine';
import { SimEngine } from './engine';
import type {
  DuckNotificationSink,
  SessionNotificationSink,
  SimSessionControl,
  SimSessionEnumerator,
  SimSessionManager2,
} from './facade';
import type { HResult, Out } from './hresult';
import { S_OK, describeHResult, outParam } from './hresult';
import type { SessionEventsSink } from './session';

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
export function world(options: SimEngineOptions = {}) {
  const clock = new ManualClock(1_000_000);
  const warnings: string[] = [];
  const engine = new SimEngine({
    clock,
    expireAfterMs: EXPIRE_MS,
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  engine.addDevice({ id: DEVICES.speakers, name: 'Speakers', flow: 'render', defaultFor: ['console', 'multimedia'] });
  engine.addDevice({ id: DEVICES.headset, name: 'Headset', flow: 'render', defaultFor: ['communications'] });
  engine.addDevice({ id: DEVICES.microphone, name: 'Microphone', flow: 'capture', defaultFor: ['console', 'multimedia'], channelCount: 1 });
  engine.addDevice({ id: DEVICES.headsetMicrophone, name: 'Headset Microphone', flow: 'capture', defaultFor: ['communications'], channelCount: 1 });
  return { engine, clock, warnings };
}

export function startApp(engine: SimEngine, pid: number, exe = 'player.exe', extra: { windowTitle?: string; fileDescription?: string } = {}) {
  return engine.startProcess({ pid, exePath: `C:\\Program Files\\Apps\\${exe}`, ...extra });
}

/** Calls a facade getter and returns its value, failing loudly on a failed HRESULT. */
export function read<T>(invoke: (out: Out<T>) => HResult): T {
  const out = outParam<T>();
  const hr = invoke(out);
  if (hr !== S_OK) throw new Error(`expected S_OK, got ${describeHResult(hr)}`);
  return out.value as T;
}

export function managerOf(engine: SimEngine, deviceId: string): SimSessionManager2 {
  return read<SimSessionManager2>((out) => engine.activateSessionManager(deviceId, out));
}

/** The device's sessions through a fresh manager's enumerator. */
export function enumerate(manager: SimSessionManager2): SimSessionControl[] {
  const enumerator = read<SimSessionEnumerator>((out) => manager.getSessionEnumerator(out));
  const count = read<number>((out) => enumerator.getCount(out));
  return Array.from({ length: count }, (_, index) => read<SimSessionControl>((out) => enumerator.getSession(index, out)));
}

export function instanceOf(control: SimSessionControl): string {
  return read<string>((out) => control.getSessionInstanceIdentifier(out));
}

/** The mixer's control object for an engine session id. */
export function controlOf(engine: SimEngine, sessionId: string): SimSessionControl {
  const session = engine.getSession(sessionId);
  if (!session) throw new Error(`no live session ${sessionId}`);
  const control = enumerate(managerOf(engine, session.deviceId)).find((candidate) => instanceOf(candidate) === session.sessionInstanceIdentifier);
  if (!control) throw new Error(`session ${sessionId} is not in its device's list`);
  return control;
}

export type RecordedSessionEvent =
  | { type: 'display-name'; displayName: string; eventContext: string }
  | { type: 'icon-path'; iconPath: string; eventContext: string }
  | { type: 'volume'; volume: number; muted: boolean; eventContext: string }
  | { type: 'channel-volume'; channelVolumes: number[]; changedChannel: number; eventContext: string }
  | { type: 'grouping'; groupingParam: string; eventContext: string }
  | { type: 'state'; state: SessionState; terminated: boolean }
  | { type: 'disconnected'; reason: DisconnectReason };

/** Registers an IAudioSessionEvents recorder on the session. */
export function recordSession(control: SimSessionControl): RecordedSessionEvent[] {
  const events: RecordedSessionEvent[] = [];
  const sink: SessionEventsSink = {
    onDisplayNameChanged: (displayName, eventContext) => events.push({ type: 'display-name', displayName, eventContext }),
    onIconPathChanged: (iconPath, eventContext) => events.push({ type: 'icon-path', iconPath, eventContext }),
    onSimpleVolumeChanged: (volume, muted, eventContext) => events.push({ type: 'volume', volume, muted, eventContext }),
    onChannelVolumeChanged: (channelVolumes, changedChannel, eventContext) =>
      events.push({ type: 'channel-volume', channelVolumes: [...channelVolumes], changedChannel, eventContext }),
    onGroupingParamChanged: (groupingParam, eventContext) => events.push({ type: 'grouping', groupingParam, eventContext }),
    onStateChanged: (state, terminated) => events.push({ type: 'state', state, terminated }),
    onSessionDisconnected: (reason) => events.push({ type: 'disconnected', reason }),
  };
  if (control.registerAudioSessionNotification(sink) !== S_OK) throw new Error('could not listen to the session');
  return events;
}

/** Registers an IAudioSessionNotification recorder; returns the created sessions' instance identifiers. */
export function recordCreated(manager: SimSessionManager2): string[] {
  const created: string[] = [];
  const sink: SessionNotificationSink = { onSessionCreated: (control) => created.push(instanceOf(control)) };
  if (manager.registerSessionNotification(sink) !== S_OK) throw new Error('could not listen for new sessions');
  return created;
}

export type RecordedDuck = { type: 'duck'; session: string; count: number } | { type: 'unduck'; session: string };

export function recordDucking(manager: SimSessionManager2, listeningSession: string | null = null): RecordedDuck[] {
  const events: RecordedDuck[] = [];
  const sink: DuckNotificationSink = {
    onVolumeDuckNotification: (session, count) => events.push({ type: 'duck', session, count }),
    onVolumeUnduckNotification: (session) => events.push({ type: 'unduck', session }),
  };
  if (manager.registerDuckNotification(listeningSession, sink) !== S_OK) throw new Error('could not listen for ducking');
  return events;
}
