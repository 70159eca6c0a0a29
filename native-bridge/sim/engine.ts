// SimEngine: an in-memory model of Windows Core Audio's session layer (the session
// rules R1..R25 of docs/session-rules.md). Three faces:
//  - the scenario API (devices, processes, streams): what tests, the demo and the QA
//    scenario runner drive. A wrong handle or a malformed spec is a scenario bug and
//    throws SimScenarioError; what the modelled Windows call answers with an HRESULT
//    (IAudioClient::Start/Stop, ...) returns that HRESULT.
//  - the client-app API (engine.client(pid)): what an app may do to sessions (R16, R17).
//  - the mixer's view (activateSessionManager, sessionsOf, endpoint watchers), which
//    sim/system.ts serves to the coreaudio logic as the OS seam (coreaudio/system.ts).
import { canonicalGuid, GUID_NULL, isGuidText } from '../com/guid';
import type { HResult } from '../com/hresult';
import {
  AUDCLNT_E_DEVICE_INVALIDATED,
  AUDCLNT_E_NOT_STOPPED,
  ComError,
  E_ACCESSDENIED,
  E_NOTFOUND,
  S_FALSE,
  S_OK,
} from '../com/hresult';
import type { EndpointEvents, EndpointVolumeEvent } from '../coreaudio/system';
import type { DeviceRole, DisconnectReason, Flow, SessionState } from '../types';
import { DEVICE_ROLES, DISCONNECT_REASONS } from '../types';
import type { SessionIdentity } from '../windows-rules/session-identity';
import { sessionIdentifierFor, sessionIdFor, sessionInstanceIdentifierFor } from '../windows-rules/session-identity';
import { isUnitLevel } from '../windows-rules/volume-level';
import type { SimClock, TimerHandle } from './clock';
import { realClock } from './clock';
import { AppEndpoints, type AppEndpointStore } from './app-endpoints';
import { ManagerCore } from './manager-core';
import type { SessionSettingsStore } from './persistence';
import type { StreamCore } from './session';
import { SessionCore } from './session';

/** How long a session stays inactive before it expires (R9), unless the engine is told otherwise. */
export const DEFAULT_EXPIRE_AFTER_MS = 30_000;
/** The System Sounds session's GUID (cross-process, one per render device). */
export const SYSTEM_SOUNDS_GUID = '{A9EF3FD9-4240-455E-A4D5-F2B3301887B2}';
/** What Windows' System Sounds session reports as its display name and icon path: resource strings (R19). */
export const SYSTEM_SOUNDS_DISPLAY_NAME = '@%SystemRoot%\\System32\\AudioSrv.Dll,-202';
export const SYSTEM_SOUNDS_ICON_PATH = '@%SystemRoot%\\System32\\AudioSrv.Dll,-203';
/** Windows' default communications ducking lowers other sounds by 80%; the sim's peaks follow. */
export const DUCKED_PEAK_SCALE = 0.2;
const DEFAULT_SYSTEM_SOUND_MS = 500;
const MAX_CHANNELS = 32;

/** A scenario asked for something impossible (unknown handle, malformed spec). */
export class SimScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimScenarioError';
  }
}

export interface SimEngineOptions {
  clock?: SimClock;
  /** Inactive -> expired after this long (R9). */
  expireAfterMs?: number;
  /** Where render sessions' volume/mute persist (R14, R15); none by default. */
  settingsStore?: SessionSettingsStore | null;
  /** Where apps' own default endpoints persist (setAppDefaultDevice); memory when left out. */
  appEndpointStore?: AppEndpointStore | null;
  /** Things worth telling but not failing for (a listener threw, ...). */
  onWarning?: (message: string) => void;
}

export interface SimDeviceSpec {
  /** Endpoint id; generated in Windows' style ("{0.0.0.00000000}.{guid}") when left out. */
  id?: string;
  name: string;
  flow: Flow;
  /** Roles it is the default for; a device also takes every role of its flow that has no default yet. */
  defaultFor?: readonly DeviceRole[];
  /** Endpoint master volume, 0..1 (default 1). */
  volume?: number;
  muted?: boolean;
  /** The mix format's channel count: every session on the device has this many channel volumes (default 2). */
  channelCount?: number;
}

export interface SimDeviceInfo {
  id: string;
  name: string;
  flow: Flow;
  defaultFor: DeviceRole[];
  volume: number;
  muted: boolean;
  channelCount: number;
}

export interface SimProcessSpec {
  /** A positive integer; 0 is the system's. */
  pid: number;
  /** Full path of the executable, e.g. "C:\\Program Files\\App\\app.exe". */
  exePath: string;
  /** Main window title ("" or left out: no window). */
  windowTitle?: string;
  /** The executable's FileDescription version resource. */
  fileDescription?: string;
  /** The app's icon as a data URL. */
  icon?: string | null;
}

export interface SimProcessInfo {
  pid: number;
  exePath: string;
  windowTitle: string;
  fileDescription: string;
  icon: string | null;
}

export interface SimStreamSpec {
  pid: number;
  /** The session to join; GUID_NULL (the process's default session, R5) when left out. */
  sessionGuid?: string;
  /** Join the cross-process session with that GUID instead of the process's own (R3). */
  crossProcess?: boolean;
  /** Direction; defaults to the device's flow (render when no device is given). */
  flow?: Flow;
  /** Capture what a render device plays; the session is a capture session (R8). */
  loopback?: boolean;
  /** The endpoint; defaults to the default device of the stream's flow for `role`. */
  deviceId?: string;
  /** Defaults to 'communications' for a communications stream, else 'console'. */
  role?: DeviceRole;
  /** A communications stream: starting it on the default communications device ducks others (R23). */
  communications?: boolean;
  /** Set as the stream is assigned to the session, as R17 asks a client to. */
  displayName?: string;
  iconPath?: string;
  groupingParam?: string;
  /** Start the stream right away (IAudioClient::Start). */
  start?: boolean;
}

export interface SimStreamHandle {
  streamId: number;
  /** The session the stream belongs to for its whole life (R7). */
  sessionId: string;
}

export interface SimStreamInfo {
  id: number;
  pid: number;
  sessionId: string;
  running: boolean;
  invalidated: boolean;
  communications: boolean;
  loopback: boolean;
  /** The gain the session applies to this stream: its volume, 0 when muted (R13). */
  effectiveVolume: number;
}

export interface SimSessionInfo extends SessionIdentity {
  id: string;
  exePath: string | null;
  isSystemSounds: boolean;
  state: SessionState;
  displayName: string;
  iconPath: string;
  groupingParam: string;
  volume: number;
  muted: boolean;
  channelVolumes: number[];
  sessionIdentifier: string;
  sessionInstanceIdentifier: string;
  streamIds: number[];
}

/**
 * What a client app may do to sessions. R16: only to its own sessions (its
 * process-specific ones, or cross-process ones it has a stream in), and never to the
 * System Sounds session: anything else is E_ACCESSDENIED. Event contexts default to GUID_NULL.
 */
export interface SimAppClient {
  readonly pid: number;
  setDisplayName(sessionId: string, displayName: string, eventContext?: string): HResult;
  setIconPath(sessionId: string, iconPath: string, eventContext?: string): HResult;
  setGroupingParam(sessionId: string, groupingParam: string, eventContext?: string): HResult;
  setVolume(sessionId: string, volume: number, eventContext?: string): HResult;
  setMute(sessionId: string, muted: boolean, eventContext?: string): HResult;
  setChannelVolume(sessionId: string, channel: number, volume: number, eventContext?: string): HResult;
}

interface DeviceCore {
  id: string;
  name: string;
  flow: Flow;
  channelCount: number;
  volume: number;
  muted: boolean;
  /** Live sessions in creation order (expired ones included). */
  sessions: Map<string, SessionCore>;
  managers: Set<ManagerCore>;
  /** IAudioEndpointVolumeCallback sinks. */
  volumeListeners: Set<(event: EndpointVolumeEvent) => void>;
  /** The system's stream in this device's System Sounds session (render devices). */
  systemStream: StreamCore | null;
  systemSoundTimer: TimerHandle | null;
}

export class SimEngine {
  readonly clock: SimClock;
  readonly expireAfterMs: number;
  private readonly store: SessionSettingsStore | null;
  private readonly warn: (message: string) => void;
  private readonly devices = new Map<string, DeviceCore>();
  /** `${flow}:${role}` -> device id. */
  private readonly defaults = new Map<string, string>();
  private readonly processes = new Map<number, SimProcessInfo>();
  /** Live sessions; a disconnected one leaves (its streams still point at it). */
  private readonly sessions = new Map<string, SessionCore>();
  private readonly streams = new Map<number, StreamCore>();
  private readonly duckingStreams = new Set<StreamCore>();
  private readonly endpointSinks = new Set<EndpointEvents>();
  private readonly appEndpoints: AppEndpoints;
  private nextStreamId = 1;
  private nextDeviceNumber = 1;
  private instanceCounter = 0;
  private closed = false;

  private readonly sessionHooks = {
    settingsChanged: (session: SessionCore) => {
      if (this.sessions.get(session.id) === session) this.persist(session);
    },
    sinkFailed: (error: unknown) => this.listenerFailed(error),
  };

  constructor(options: SimEngineOptions = {}) {
    this.clock = options.clock ?? realClock;
    const expireAfterMs = options.expireAfterMs ?? DEFAULT_EXPIRE_AFTER_MS;
    if (!Number.isFinite(expireAfterMs) || expireAfterMs < 0) {
      throw new SimScenarioError(`expireAfterMs must be a non-negative number of milliseconds, got ${expireAfterMs}`);
    }
    this.expireAfterMs = expireAfterMs;
    this.store = options.settingsStore ?? null;
    this.appEndpoints = new AppEndpoints(options.appEndpointStore ?? undefined);
    this.warn = options.onWarning ?? ((message) => console.warn(`sndmix sim: ${message}`));
  }

  // ---- Devices ------------------------------------------------------------------

  addDevice(spec: SimDeviceSpec): SimDeviceInfo {
    const flow = requireFlow(spec.flow);
    const name = requireText(spec.name, 'device name');
    const roles = (spec.defaultFor ?? []).map(requireRole);
    const volume = spec.volume ?? 1;
    if (!isUnitLevel(volume)) throw new SimScenarioError(`device volume must be between 0 and 1, got ${volume}`);
    const channelCount = spec.channelCount ?? 2;
    if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > MAX_CHANNELS) {
      throw new SimScenarioError(`channelCount must be an integer from 1 to ${MAX_CHANNELS}, got ${channelCount}`);
    }
    const id = spec.id === undefined ? this.generateDeviceId(flow) : requireText(spec.id, 'device id');
    if (this.devices.has(id)) throw new SimScenarioError(`a device with id "${id}" already exists`);

    const device: DeviceCore = {
      id,
      name,
      flow,
      channelCount,
      volume,
      muted: spec.muted ?? false,
      sessions: new Map(),
      managers: new Set(),
      volumeListeners: new Set(),
      systemStream: null,
      systemSoundTimer: null,
    };
    this.devices.set(id, device);
    if (flow === 'render') this.createSystemSounds(device);

    const newDefaults = DEVICE_ROLES.filter((role) => roles.includes(role) || !this.defaults.has(defaultKey(flow, role)));
    for (const role of newDefaults) this.defaults.set(defaultKey(flow, role), id);
    this.notifyEndpoints((sink) => sink.deviceAdded(id));
    for (const role of newDefaults) this.notifyEndpoints((sink) => sink.defaultChanged(flow, role, id));
    return this.deviceInfo(device);
  }

  /**
   * The device goes away: every session on it is disconnected ('device-removed'), its
   * streams invalidated (R25), and each role it was the default for passes to the first
   * remaining device of its flow.
   */
  removeDevice(deviceId: string): void {
    const device = this.requireDevice(deviceId);
    for (const session of [...device.sessions.values()]) this.disconnect(session, 'device-removed');
    this.dropSystemStream(device);
    for (const manager of device.managers) manager.invalidated = true;
    device.volumeListeners.clear();
    this.devices.delete(deviceId);
    this.notifyEndpoints((sink) => sink.deviceRemoved(deviceId));
    for (const role of DEVICE_ROLES) {
      const key = defaultKey(device.flow, role);
      if (this.defaults.get(key) !== deviceId) continue;
      const successor = [...this.devices.values()].find((candidate) => candidate.flow === device.flow);
      if (successor) this.defaults.set(key, successor.id);
      else this.defaults.delete(key);
      this.notifyEndpoints((sink) => sink.defaultChanged(device.flow, role, successor?.id ?? null));
    }
  }

  /** Makes the device the default of its flow for the given roles (all by default). */
  setDefaultDevice(deviceId: string, roles: readonly DeviceRole[] = DEVICE_ROLES): void {
    const device = this.requireDevice(deviceId);
    for (const role of roles.map(requireRole)) {
      const key = defaultKey(device.flow, role);
      if (this.defaults.get(key) === deviceId) continue;
      this.defaults.set(key, deviceId);
      this.notifyEndpoints((sink) => sink.defaultChanged(device.flow, role, deviceId));
    }
  }

  /** The endpoint's master volume (IAudioEndpointVolume): listeners hear the caller's event context. */
  setDeviceVolume(deviceId: string, volume: number, eventContext: string = GUID_NULL): void {
    const device = this.requireDevice(deviceId);
    if (!isUnitLevel(volume)) throw new SimScenarioError(`device volume must be between 0 and 1, got ${volume}`);
    device.volume = volume;
    this.notifyVolume(device, eventContext);
  }

  /** Setting the mute it already has changes nothing and tells nobody (S_FALSE on Windows). */
  setDeviceMute(deviceId: string, muted: boolean, eventContext: string = GUID_NULL): void {
    const device = this.requireDevice(deviceId);
    if (typeof muted !== 'boolean') throw new SimScenarioError(`device mute must be true or false, got ${String(muted)}`);
    if (device.muted === muted) return;
    device.muted = muted;
    this.notifyVolume(device, eventContext);
  }

  listDevices(): SimDeviceInfo[] {
    return [...this.devices.values()].map((device) => this.deviceInfo(device));
  }

  getDevice(deviceId: string): SimDeviceInfo | undefined {
    const device = this.devices.get(deviceId);
    return device ? this.deviceInfo(device) : undefined;
  }

  getDefaultDevice(flow: Flow, role: DeviceRole): string | null {
    return this.defaults.get(defaultKey(flow, role)) ?? null;
  }

  /** IMMNotificationClient registration; returns the unregistration. */
  watchEndpoints(sink: EndpointEvents): () => void {
    this.endpointSinks.add(sink);
    return () => this.endpointSinks.delete(sink);
  }

  /** IAudioEndpointVolumeCallback registration on a device; returns the unregistration. */
  watchDeviceVolume(deviceId: string, listener: (event: EndpointVolumeEvent) => void): () => void {
    const listeners = this.requireDevice(deviceId).volumeListeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  // ---- Processes ----------------------------------------------------------------

  startProcess(spec: SimProcessSpec): SimProcessInfo {
    if (!Number.isInteger(spec.pid) || spec.pid <= 0) throw new SimScenarioError(`pid must be a positive integer, got ${spec.pid}`);
    if (this.processes.has(spec.pid)) throw new SimScenarioError(`process ${spec.pid} is already running`);
    const icon = spec.icon ?? null;
    if (icon !== null && (typeof icon !== 'string' || !icon.startsWith('data:'))) {
      throw new SimScenarioError(`the icon of process ${spec.pid} must be a data URL`);
    }
    const info: SimProcessInfo = {
      pid: spec.pid,
      exePath: requireText(spec.exePath, 'exePath'),
      windowTitle: optionalText(spec.windowTitle, 'windowTitle'),
      fileDescription: optionalText(spec.fileDescription, 'fileDescription'),
      icon,
    };
    this.processes.set(info.pid, info);
    return { ...info };
  }

  /** The process ends: its streams are released, so sessions it alone held terminate (R10). */
  exitProcess(pid: number): void {
    this.requireProcess(pid);
    for (const stream of [...this.streams.values()]) {
      if (stream.pid === pid) this.releaseStream(stream.id);
    }
    this.processes.delete(pid);
  }

  getProcess(pid: number): SimProcessInfo | undefined {
    const process = this.processes.get(pid);
    return process ? { ...process } : undefined;
  }

  listProcesses(): SimProcessInfo[] {
    return [...this.processes.values()].map((process) => ({ ...process }));
  }

  // ---- Streams (IAudioClient) -----------------------------------------------------

  /**
   * IAudioClient::Initialize: the stream joins the session its identity names (R1..R5),
   * created on the first stream. Client display name, icon and grouping given here are
   * set as the stream is assigned (R17). Adding a stream to an expired session makes it
   * inactive again (recently used); starting it makes it active.
   */
  openStream(spec: SimStreamSpec): SimStreamHandle {
    const process = this.requireProcess(spec.pid);
    const sessionGuid = spec.sessionGuid === undefined ? GUID_NULL : requireGuid(spec.sessionGuid, 'sessionGuid');
    const groupingParam = spec.groupingParam === undefined ? undefined : requireGuid(spec.groupingParam, 'groupingParam');
    const displayName = spec.displayName === undefined ? undefined : optionalText(spec.displayName, 'displayName');
    const iconPath = spec.iconPath === undefined ? undefined : optionalText(spec.iconPath, 'iconPath');
    const loopback = optionalFlag(spec.loopback, 'loopback');
    const communications = optionalFlag(spec.communications, 'communications');
    const crossProcess = optionalFlag(spec.crossProcess, 'crossProcess');
    const start = optionalFlag(spec.start, 'start');
    if (loopback && spec.flow === 'render') throw new SimScenarioError('a loopback stream captures: its flow is capture');

    const given = spec.deviceId === undefined ? undefined : this.requireDevice(spec.deviceId);
    const sessionFlow: Flow = loopback ? 'capture' : spec.flow === undefined ? (given?.flow ?? 'render') : requireFlow(spec.flow);
    const endpointFlow: Flow = loopback ? 'render' : sessionFlow;
    const role = spec.role === undefined ? (communications ? 'communications' : 'console') : requireRole(spec.role);
    const device = given ?? (loopback ? null : this.appDeviceFor(process.exePath, endpointFlow)) ?? this.defaultDeviceFor(endpointFlow, role);
    if (device.flow !== endpointFlow) {
      // R8: a render stream needs a render endpoint, a capture stream a capture one.
      throw new SimScenarioError(
        `a ${loopback ? 'loopback' : sessionFlow} stream needs a ${endpointFlow} device, and "${device.name}" is a ${device.flow} device`,
      );
    }

    const identity: SessionIdentity = {
      sessionGuid,
      crossProcess,
      pid: crossProcess ? 0 : process.pid,
      deviceId: device.id,
      flow: sessionFlow,
    };
    const stream: StreamCore = {
      id: this.nextStreamId++,
      pid: process.pid,
      session: this.joinSession(device, identity, crossProcess ? null : process.exePath, { displayName, iconPath, groupingParam }),
      communications,
      loopback,
      followsDefault: given === undefined && !loopback,
      role,
      running: false,
      invalidated: false,
      ducking: false,
    };
    stream.session.streams.add(stream);
    this.streams.set(stream.id, stream);
    if (start) this.startStream(stream.id);
    return { streamId: stream.id, sessionId: stream.session.id };
  }

  /**
   * IAudioPolicyConfigFactory::SetPersistedDefaultAudioEndpoint: the app (by the process's
   * executable) gets its own default endpoint for the flow, or follows the system default
   * again (null). Windows then reroutes the app's streams that follow the default: each
   * leaves its session on the old device (which ends with its last stream, R10) for the
   * app's session on the new one (R4, R7: a stream stays in one session, so the app's
   * handle is re-opened there, as Windows' stream switching does).
   */
  setAppDefaultDevice(pid: number, flow: Flow, deviceId: string | null): void {
    const process = this.requireProcess(pid);
    const target = deviceId === null ? null : this.requireDevice(deviceId);
    if (target && target.flow !== requireFlow(flow)) {
      throw new SimScenarioError(`"${target.name}" is a ${target.flow} device, not a ${flow} one`);
    }
    this.appEndpoints.set(process.exePath, flow, deviceId);
    const sameApp = new Set(this.listProcesses().filter((other) => other.exePath.toLowerCase() === process.exePath.toLowerCase()).map((other) => other.pid));
    for (const stream of [...this.streams.values()]) {
      if (!stream.followsDefault || !sameApp.has(stream.pid) || stream.session.identity.flow !== flow || stream.invalidated) continue;
      const destination = target ?? this.defaultDeviceFor(flow, stream.role);
      if (destination.id !== stream.session.identity.deviceId) this.reroute(stream, destination);
    }
  }

  /** IAudioPolicyConfigFactory::GetPersistedDefaultAudioEndpoint: the app's own endpoint, null when it follows the default. */
  getAppDefaultDevice(pid: number, flow: Flow): string | null {
    return this.appEndpoints.get(this.requireProcess(pid).exePath, flow);
  }

  /** IAudioClient::Start. */
  startStream(streamId: number): HResult {
    const stream = this.requireStream(streamId);
    if (stream.invalidated) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (stream.running) return AUDCLNT_E_NOT_STOPPED;
    stream.running = true;
    this.updateActivity(stream.session);
    const { deviceId, flow } = stream.session.identity;
    if (stream.communications && !stream.loopback && this.getDefaultDevice(flow, 'communications') === deviceId) {
      this.beginDuck(stream);
    }
    return S_OK;
  }

  /** IAudioClient::Stop; S_FALSE when it was not running. */
  stopStream(streamId: number): HResult {
    const stream = this.requireStream(streamId);
    if (stream.invalidated) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!stream.running) return S_FALSE;
    stream.running = false;
    this.endDuck(stream);
    this.updateActivity(stream.session);
    return S_OK;
  }

  /** The app releases its last reference: the stream is gone, and with the session's last one the session (R10). */
  releaseStream(streamId: number): HResult {
    const stream = this.requireStream(streamId);
    this.streams.delete(streamId);
    this.endDuck(stream);
    stream.running = false;
    const session = stream.session;
    session.streams.delete(stream);
    if (this.sessions.get(session.id) !== session) return S_OK; // disconnected earlier: nothing left to tell
    if (session.streams.size === 0) this.terminate(session);
    else this.updateActivity(session);
    return S_OK;
  }

  getStream(streamId: number): SimStreamInfo | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined;
    const session = stream.session;
    return {
      id: stream.id,
      pid: stream.pid,
      sessionId: session.id,
      running: stream.running,
      invalidated: stream.invalidated,
      communications: stream.communications,
      loopback: stream.loopback,
      effectiveVolume: session.muted ? 0 : session.volume,
    };
  }

  /** Plays a notification sound through a render device's System Sounds session (default: the default console device). */
  playSystemSound(deviceId?: string, durationMs = DEFAULT_SYSTEM_SOUND_MS): void {
    const device = deviceId === undefined ? this.defaultDeviceFor('render', 'console') : this.requireDevice(deviceId);
    const stream = device.systemStream;
    if (!stream) throw new SimScenarioError(`"${device.name}" is a capture device: it has no System Sounds session`);
    if (!Number.isFinite(durationMs) || durationMs <= 0) throw new SimScenarioError(`durationMs must be positive, got ${durationMs}`);
    if (!stream.running) this.startStream(stream.id);
    if (device.systemSoundTimer !== null) this.clock.clearTimeout(device.systemSoundTimer);
    device.systemSoundTimer = this.clock.setTimeout(() => {
      device.systemSoundTimer = null;
      if (this.streams.has(stream.id)) this.stopStream(stream.id);
    }, durationMs);
  }

  // ---- Sessions: inspection and scenario events ----------------------------------

  getSession(sessionId: string): SimSessionInfo | undefined {
    const session = this.sessions.get(sessionId);
    return session ? sessionInfo(session) : undefined;
  }

  /** Live sessions (expired ones included), of one device or of all. */
  listSessions(deviceId?: string): SimSessionInfo[] {
    const sessions = deviceId === undefined ? [...this.sessions.values()] : [...this.requireDevice(deviceId).sessions.values()];
    return sessions.map(sessionInfo);
  }

  systemSoundsSessionId(deviceId: string): string | null {
    return this.requireDevice(deviceId).systemStream?.session.id ?? null;
  }

  /** Disconnects a session for a reason other than its device going away (R21), e.g. 'format-changed'. */
  disconnectSession(sessionId: string, reason: DisconnectReason): void {
    if (!DISCONNECT_REASONS.includes(reason)) throw new SimScenarioError(`unknown disconnect reason "${String(reason)}"`);
    const session = this.requireSession(sessionId);
    this.disconnect(session, reason);
    const device = this.devices.get(session.identity.deviceId);
    if (session.isSystemSounds && device) {
      // The audio service opens a fresh System Sounds session: a render device always has one.
      this.dropSystemStream(device);
      const fresh = this.createSystemSounds(device);
      for (const manager of device.managers) manager.announceSession(fresh);
    }
  }

  // ---- The client app (R16, R17) ---------------------------------------------------

  client(pid: number): SimAppClient {
    this.requireProcess(pid);
    const act = (sessionId: string, change: (session: SessionCore) => HResult): HResult => {
      this.requireProcess(pid);
      const session = this.sessionReachableBy(pid, sessionId);
      if (!session) return E_NOTFOUND;
      if (!this.mayControl(pid, session)) return E_ACCESSDENIED;
      return change(session);
    };
    return {
      pid,
      setDisplayName: (sessionId, displayName, eventContext = GUID_NULL) =>
        act(sessionId, (session) => session.setDisplayName(displayName, eventContext)),
      setIconPath: (sessionId, iconPath, eventContext = GUID_NULL) =>
        act(sessionId, (session) => session.setIconPath(iconPath, eventContext)),
      setGroupingParam: (sessionId, groupingParam, eventContext = GUID_NULL) =>
        act(sessionId, (session) => session.setGroupingParam(groupingParam, eventContext)),
      setVolume: (sessionId, volume, eventContext = GUID_NULL) =>
        act(sessionId, (session) => session.setVolume(volume, eventContext)),
      setMute: (sessionId, muted, eventContext = GUID_NULL) => act(sessionId, (session) => session.setMute(muted, eventContext)),
      setChannelVolume: (sessionId, channel, volume, eventContext = GUID_NULL) =>
        act(sessionId, (session) => session.setChannelVolume(channel, volume, eventContext)),
    };
  }

  // ---- The mixer's view (served by sim/system.ts) ----------------------------------------

  /** IMMDevice::Activate(IID_IAudioSessionManager2); E_NOTFOUND for a device that is not there. */
  activateSessionManager(deviceId: string): ManagerCore {
    const device = this.devices.get(deviceId);
    if (!device) throw new ComError(E_NOTFOUND, 'IMMDevice.Activate(IAudioSessionManager2)');
    const core = new ManagerCore(deviceId, (error) => this.listenerFailed(error));
    device.managers.add(core);
    return core;
  }

  /** Forgets a manager the mixer released. */
  releaseSessionManager(core: ManagerCore): void {
    this.devices.get(core.deviceId)?.managers.delete(core);
  }

  /** The device's sessions in creation order (expired ones included), or null once it is gone. */
  sessionsOf(deviceId: string): readonly SessionCore[] | null {
    const device = this.devices.get(deviceId);
    return device ? [...device.sessions.values()] : null;
  }

  /** Stops every timer and writes pending settings. The engine is not used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions.values()) this.clearExpiry(session);
    for (const device of this.devices.values()) {
      if (device.systemSoundTimer !== null) this.clock.clearTimeout(device.systemSoundTimer);
      device.systemSoundTimer = null;
    }
    await Promise.all([this.store?.close(), this.appEndpoints.close()]);
  }

  // ---- Internals ---------------------------------------------------------------------

  private createSession(
    device: DeviceCore,
    identity: SessionIdentity,
    exePath: string | null,
    client: { displayName: string; iconPath: string; groupingParam: string },
    isSystemSounds = false,
  ): SessionCore {
    const stored = this.store?.recall({ ...identity, exePath });
    // Shaped like Windows' strings: no pid in the identifier (R6), pid and a serial in the instance one.
    const sessionIdentifier = sessionIdentifierFor({
      deviceId: device.id,
      executablePath: identity.crossProcess ? null : exePath,
      sessionGuid: identity.sessionGuid,
      loopback: identity.flow !== device.flow,
    });
    this.instanceCounter += 1;
    return new SessionCore(
      {
        id: sessionIdFor(identity),
        identity,
        exePath,
        isSystemSounds,
        sessionIdentifier,
        sessionInstanceIdentifier: sessionInstanceIdentifierFor(sessionIdentifier, this.instanceCounter, identity.pid),
        volume: stored?.volume ?? 1,
        muted: stored?.muted ?? false,
        channelCount: device.channelCount,
        ...client,
      },
      this.sessionHooks,
    );
  }

  /** The session a new stream joins: the identity's own when it exists (revived when expired), else a new one, announced. */
  private joinSession(
    device: DeviceCore,
    identity: SessionIdentity,
    exePath: string | null,
    client: { displayName?: string; iconPath?: string; groupingParam?: string },
  ): SessionCore {
    const id = sessionIdFor(identity);
    const existing = this.sessions.get(id);
    if (existing) {
      if (existing.state === 'expired') {
        existing.changeState('inactive', false);
        this.scheduleExpiry(existing);
        this.announceRevival(existing);
      }
      if (client.displayName !== undefined) existing.setDisplayName(client.displayName, GUID_NULL);
      if (client.iconPath !== undefined) existing.setIconPath(client.iconPath, GUID_NULL);
      if (client.groupingParam !== undefined) existing.setGroupingParam(client.groupingParam, GUID_NULL);
      return existing;
    }
    const session = this.createSession(device, identity, exePath, {
      displayName: client.displayName ?? '',
      iconPath: client.iconPath ?? '',
      groupingParam: client.groupingParam ?? GUID_NULL,
    });
    this.sessions.set(id, session);
    device.sessions.set(id, session);
    this.scheduleExpiry(session);
    for (const manager of device.managers) manager.announceSession(session);
    return session;
  }

  /**
   * The stream's app handle now plays on `device`: a new stream in the app's session there
   * (what the app named its session travels with it), the old one leaving its session.
   */
  private reroute(stream: StreamCore, device: DeviceCore): void {
    const old = stream.session;
    const identity = { ...old.identity, deviceId: device.id };
    // A session the app already has there keeps its own names.
    const { displayName, iconPath, groupingParam } = old;
    const client = this.sessions.has(sessionIdFor(identity)) ? {} : { displayName, iconPath, groupingParam };
    const session = this.joinSession(device, identity, old.exePath, client);
    this.endDuck(stream);
    const moved: StreamCore = { ...stream, session, ducking: false };
    old.streams.delete(stream);
    session.streams.add(moved);
    this.streams.set(moved.id, moved);
    if (old.streams.size === 0) this.terminate(old);
    else this.updateActivity(old);
    if (moved.running) {
      this.updateActivity(session);
      if (moved.communications && this.getDefaultDevice(session.identity.flow, 'communications') === device.id) this.beginDuck(moved);
    }
  }

  /** The app's own default endpoint, when it has one that still exists (Windows falls back to the default otherwise). */
  private appDeviceFor(exePath: string, flow: Flow): DeviceCore | null {
    const id = this.appEndpoints.get(exePath, flow);
    return id === null ? null : (this.devices.get(id) ?? null);
  }

  private createSystemSounds(device: DeviceCore): SessionCore {
    const identity: SessionIdentity = {
      sessionGuid: SYSTEM_SOUNDS_GUID,
      crossProcess: true,
      pid: 0,
      deviceId: device.id,
      flow: 'render',
    };
    const session = this.createSession(
      device,
      identity,
      null,
      { displayName: SYSTEM_SOUNDS_DISPLAY_NAME, iconPath: SYSTEM_SOUNDS_ICON_PATH, groupingParam: GUID_NULL },
      true,
    );
    // The audio service holds this stream for as long as the device exists.
    const stream: StreamCore = {
      id: this.nextStreamId++,
      pid: 0,
      session,
      communications: false,
      loopback: false,
      followsDefault: false,
      role: 'console',
      running: false,
      invalidated: false,
      ducking: false,
    };
    session.streams.add(stream);
    this.streams.set(stream.id, stream);
    device.systemStream = stream;
    this.sessions.set(session.id, session);
    device.sessions.set(session.id, session);
    return session;
  }

  /** The system's own stream is never released by an app: it goes with its session. */
  private dropSystemStream(device: DeviceCore): void {
    if (device.systemSoundTimer !== null) this.clock.clearTimeout(device.systemSoundTimer);
    device.systemSoundTimer = null;
    if (device.systemStream) this.streams.delete(device.systemStream.id);
    device.systemStream = null;
  }

  /** R9: active iff a stream runs; leaving 'active' starts the road to 'expired'. */
  private updateActivity(session: SessionCore): void {
    const running = [...session.streams].some((stream) => stream.running);
    if (running && session.state !== 'active') {
      const revived = session.state === 'expired';
      this.clearExpiry(session);
      session.changeState('active', false);
      if (revived) this.announceRevival(session);
    } else if (!running && session.state === 'active') {
      session.changeState('inactive', false);
      this.scheduleExpiry(session);
    }
  }

  /**
   * R9: an expired session nothing held (no mixer kept its control) was let go of by Windows,
   * so its identity's next stream makes a session object anew, told by OnSessionCreated. One
   * that was held comes back as the same object, told to its sinks only.
   */
  private announceRevival(session: SessionCore): void {
    if (session.heldControls > 0) return;
    for (const manager of this.devices.get(session.identity.deviceId)?.managers ?? []) manager.announceSession(session);
  }

  private scheduleExpiry(session: SessionCore): void {
    // System Sounds is the system's own session: Sndvol always shows it (R11), so it never expires.
    if (session.isSystemSounds || this.closed) return;
    this.clearExpiry(session);
    session.expiryTimer = this.clock.setTimeout(() => {
      session.expiryTimer = null;
      if (session.state === 'inactive' && this.sessions.get(session.id) === session) session.changeState('expired', false);
    }, this.expireAfterMs);
  }

  private clearExpiry(session: SessionCore): void {
    if (session.expiryTimer === null) return;
    this.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = null;
  }

  /** R10: gone from the device; the last settings of a render session are what persists (R15). */
  private terminate(session: SessionCore): void {
    this.clearExpiry(session);
    this.sessions.delete(session.id);
    this.devices.get(session.identity.deviceId)?.sessions.delete(session.id);
    this.persist(session);
    session.changeState('expired', true);
    session.clearSinks();
  }

  private disconnect(session: SessionCore, reason: DisconnectReason): void {
    for (const stream of session.streams) {
      this.endDuck(stream);
      stream.running = false;
      stream.invalidated = true;
    }
    this.clearExpiry(session);
    this.sessions.delete(session.id);
    this.devices.get(session.identity.deviceId)?.sessions.delete(session.id);
    this.persist(session);
    session.disconnect(reason);
    session.clearSinks();
  }

  private persist(session: SessionCore): void {
    this.store?.remember({ ...session.identity, exePath: session.exePath }, { volume: session.volume, muted: session.muted });
  }

  private beginDuck(stream: StreamCore): void {
    stream.ducking = true;
    this.duckingStreams.add(stream);
    const communicationSessions = new Set([...this.duckingStreams].map((ducking) => ducking.session)).size;
    const device = this.devices.get(stream.session.identity.deviceId);
    for (const manager of device?.managers ?? []) manager.announceDuck(stream.session, communicationSessions);
  }

  private endDuck(stream: StreamCore): void {
    if (!stream.ducking) return;
    stream.ducking = false;
    this.duckingStreams.delete(stream);
    const device = this.devices.get(stream.session.identity.deviceId);
    for (const manager of device?.managers ?? []) manager.announceUnduck(stream.session);
  }

  /**
   * A deterministic pseudo-signal per session (two sines whose periods and phase come
   * from the session id), scaled by volume and the loudest channel; 0 when muted, not
   * active or disconnected; lowered while another session's communications stream ducks.
   */
  peakOf(session: SessionCore): number {
    if (session.state !== 'active' || session.muted || session.disconnected || session.terminated) return 0;
    const seed = hashText(session.id);
    const t = this.clock.now();
    const slow = Math.sin((2 * Math.PI * t) / (900 + (seed % 700)) + (seed % 628) / 100);
    const fast = Math.sin((2 * Math.PI * t) / (130 + (seed % 90)));
    const signal = 0.5 + 0.3 * slow + 0.2 * fast;
    const ducked =
      session.identity.flow === 'render' &&
      this.duckingStreams.size > 0 &&
      ![...this.duckingStreams].some((stream) => stream.session === session);
    const level = signal * session.volume * Math.max(...session.channelVolumes) * (ducked ? DUCKED_PEAK_SCALE : 1);
    return Math.min(1, Math.max(0, level));
  }

  /**
   * An endpoint's peak: its sessions' signals mixed, modelled as the loudest of them (a
   * peak meter shows the mix's peak, which the loudest source sets when the others are
   * quieter), times the endpoint's own volume; 0 when muted.
   */
  devicePeakOf(deviceId: string): number {
    const device = this.devices.get(deviceId);
    if (!device || device.muted) return 0;
    const loudest = Math.max(0, ...[...device.sessions.values()].map((session) => this.peakOf(session)));
    return Math.min(1, loudest * device.volume);
  }

  private sessionReachableBy(pid: number, sessionId: string): SessionCore | undefined {
    const live = this.sessions.get(sessionId);
    if (live) return live;
    // A disconnected session is no longer listed, but its app still holds streams in it.
    for (const stream of this.streams.values()) {
      if (stream.pid === pid && stream.session.id === sessionId) return stream.session;
    }
    return undefined;
  }

  /** R16: an app controls its own sessions only, and never System Sounds. */
  private mayControl(pid: number, session: SessionCore): boolean {
    if (session.isSystemSounds) return false;
    if (!session.identity.crossProcess) return session.identity.pid === pid;
    return [...session.streams].some((stream) => stream.pid === pid);
  }

  private defaultDeviceFor(flow: Flow, role: DeviceRole): DeviceCore {
    const id = this.defaults.get(defaultKey(flow, role));
    if (id === undefined) throw new SimScenarioError(`there is no default ${flow} device for the ${role} role`);
    return this.requireDevice(id);
  }

  private deviceInfo(device: DeviceCore): SimDeviceInfo {
    return {
      id: device.id,
      name: device.name,
      flow: device.flow,
      defaultFor: DEVICE_ROLES.filter((role) => this.defaults.get(defaultKey(device.flow, role)) === device.id),
      volume: device.volume,
      muted: device.muted,
      channelCount: device.channelCount,
    };
  }

  private generateDeviceId(flow: Flow): string {
    for (;;) {
      const serial = (this.nextDeviceNumber++).toString(16).padStart(12, '0');
      const id = `{0.0.${flow === 'render' ? 0 : 1}.00000000}.{5153a9d0-0000-4000-8000-${serial}}`;
      if (!this.devices.has(id)) return id;
    }
  }

  private notifyVolume(device: DeviceCore, eventContext: string): void {
    const event: EndpointVolumeEvent = { volume: device.volume, muted: device.muted, eventContext };
    for (const listener of [...device.volumeListeners]) {
      try {
        listener(event);
      } catch (error) {
        this.listenerFailed(error);
      }
    }
  }

  private notifyEndpoints(deliver: (sink: EndpointEvents) => void): void {
    for (const sink of [...this.endpointSinks]) {
      try {
        deliver(sink);
      } catch (error) {
        this.listenerFailed(error);
      }
    }
  }

  private listenerFailed(error: unknown): void {
    this.warn(`a notification listener threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  private requireDevice(deviceId: string): DeviceCore {
    const device = this.devices.get(deviceId);
    if (!device) throw new SimScenarioError(`unknown device "${deviceId}"`);
    return device;
  }

  private requireProcess(pid: number): SimProcessInfo {
    const process = this.processes.get(pid);
    if (!process) throw new SimScenarioError(`no process with pid ${pid} is running`);
    return process;
  }

  private requireStream(streamId: number): StreamCore {
    const stream = this.streams.get(streamId);
    if (!stream) throw new SimScenarioError(`unknown stream ${streamId} (never opened, or released)`);
    return stream;
  }

  private requireSession(sessionId: string): SessionCore {
    const session = this.sessions.get(sessionId);
    if (!session) throw new SimScenarioError(`unknown session "${sessionId}" (never created, terminated or disconnected)`);
    return session;
  }
}

function sessionInfo(session: SessionCore): SimSessionInfo {
  return {
    ...session.identity,
    id: session.id,
    exePath: session.exePath,
    isSystemSounds: session.isSystemSounds,
    state: session.state,
    displayName: session.displayName,
    iconPath: session.iconPath,
    groupingParam: session.groupingParam,
    volume: session.volume,
    muted: session.muted,
    channelVolumes: [...session.channelVolumes],
    sessionIdentifier: session.sessionIdentifier,
    sessionInstanceIdentifier: session.sessionInstanceIdentifier,
    streamIds: [...session.streams].map((stream) => stream.id),
  };
}

function defaultKey(flow: Flow, role: DeviceRole): string {
  return `${flow}:${role}`;
}

function requireFlow(flow: unknown): Flow {
  if (flow === 'render' || flow === 'capture') return flow;
  throw new SimScenarioError(`flow must be "render" or "capture", got ${JSON.stringify(flow)}`);
}

function requireRole(role: unknown): DeviceRole {
  const known = DEVICE_ROLES.find((candidate) => candidate === role);
  if (!known) throw new SimScenarioError(`role must be one of ${DEVICE_ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  return known;
}

function requireGuid(value: unknown, what: string): string {
  if (!isGuidText(value)) throw new SimScenarioError(`${what} ${JSON.stringify(value)} is not a GUID`);
  return canonicalGuid(value);
}

function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SimScenarioError(`${what} must be a non-empty string`);
  return value;
}

function optionalText(value: unknown, what: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new SimScenarioError(`${what} must be a string`);
  return value;
}

function optionalFlag(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new SimScenarioError(`${what} must be true or false`);
  return value;
}

/** FNV-1a: a cheap, stable number from a session id. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
