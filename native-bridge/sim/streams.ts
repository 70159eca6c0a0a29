// The simulated apps and their streams: processes, IAudioClient (Initialize, Start, Stop,
// Release), where a stream plays (a device it names, else the app's own default endpoint
// for the flow, else the system default for its role: R26) and the rerouting Windows does
// when either of those two changes (R26, R27) or the app's own endpoint goes away and
// comes back (R28), and system sounds played through a device's System Sounds session.
// Builds on the sessions (session-lifecycle.ts). Guarantees: a stream is in one session
// for its whole life (R7), so a rerouted app's handle is a new stream in its session on
// the new device, the old one leaving its session (which ends with its last stream, R10,
// or is disconnected with its device, R25); an app's own endpoint is kept while its
// device is away; what a modelled IAudioClient call answers with an HRESULT is returned,
// never thrown.
import { GUID_NULL } from '../com/guid';
import type { HResult } from '../com/hresult';
import { AUDCLNT_E_DEVICE_INVALIDATED, AUDCLNT_E_NOT_STOPPED, S_FALSE, S_OK } from '../com/hresult';
import type { DeviceRole, Flow } from '../types';
import type { SessionIdentity } from '../windows-rules/session-identity';
import { sessionIdFor } from '../windows-rules/session-identity';
import { AppEndpoints, type AppEndpointStore } from './app-endpoints';
import type { DeviceCore, SimDeviceInfo, SimDeviceSpec } from './endpoints';
import { optionalFlag, optionalText, requireFlow, requireGuid, requireRole, requireText, SimScenarioError } from './scenario-checks';
import type { StreamCore } from './session';
import type { SimSessionsOptions } from './session-lifecycle';
import { SimSessions } from './session-lifecycle';
import { DEFAULT_SYSTEM_SOUND_MS } from './system-sounds';

export interface SimStreamsOptions extends SimSessionsOptions {
  /** Where apps' own default endpoints persist (setAppDefaultDevice); memory when left out. */
  appEndpointStore?: AppEndpointStore | null;
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

export abstract class SimStreams extends SimSessions {
  protected readonly appEndpoints: AppEndpoints;
  private readonly processes = new Map<number, SimProcessInfo>();

  constructor(options: SimStreamsOptions = {}) {
    super(options);
    this.appEndpoints = new AppEndpoints(options.appEndpointStore ?? undefined);
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
    const session = this.joinSession(device, identity, crossProcess ? null : process.exePath, { displayName, iconPath, groupingParam });
    const stream = this.addStream({ pid: process.pid, session, communications, loopback, followsDefault: given === undefined && !loopback, role });
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
    for (const stream of this.followers(flow)) {
      if (sameApp.has(stream.pid)) this.moveTo(stream, target ?? this.defaultDeviceFor(flow, stream.role));
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
      this.ducking.begin(stream);
    }
    return S_OK;
  }

  /** IAudioClient::Stop; S_FALSE when it was not running. */
  stopStream(streamId: number): HResult {
    const stream = this.requireStream(streamId);
    if (stream.invalidated) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!stream.running) return S_FALSE;
    stream.running = false;
    this.ducking.end(stream);
    this.updateActivity(stream.session);
    return S_OK;
  }

  /** The app releases its last reference: the stream is gone, and with the session's last one the session (R10). */
  releaseStream(streamId: number): HResult {
    const stream = this.requireStream(streamId);
    this.streams.delete(streamId);
    this.ducking.end(stream);
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

  /**
   * R27: the user changed the default device of a flow and role. Windows' stream switching
   * moves the streams that follow that default (opened on it without naming it) and whose
   * app has no own endpoint for the flow (R26): each leaves its session on the old device
   * for the app's session on the new one, as setAppDefaultDevice's do. Streams opened on a
   * named device, and apps with their own endpoint, stay. With no device left there is
   * nowhere to go: the streams were invalidated with their device (R25).
   */
  protected defaultMoved(flow: Flow, role: DeviceRole, deviceId: string | null): void {
    const device = deviceId === null ? undefined : this.devices.get(deviceId);
    if (!device) return;
    for (const stream of this.followers(flow)) {
      if (stream.role === role && this.appDeviceFor(this.requireProcess(stream.pid).exePath, flow) === null) this.moveTo(stream, device);
    }
  }

  /**
   * R28: the device is about to go. The streams that follow the default of apps that have
   * it as their own endpoint go on, on what is then the default for their role: the app's
   * session on the device is disconnected with the device's others (R25), and the app's
   * session on the default starts. With no other device of the flow there is nowhere to
   * go: they are invalidated with the device. The apps' choice stays (R26).
   */
  protected override endpointRemoving(device: DeviceCore): void {
    const stranded = this.followers(device.flow).flatMap((stream) => {
      const fallback = this.defaultWithout(device, stream.role);
      const pinnedHere = stream.session.identity.deviceId === device.id && this.ownEndpointOf(stream) === device.id;
      return pinnedHere && fallback ? [{ stream, fallback }] : [];
    });
    // Out of their sessions first, so that the device's going does not invalidate them.
    for (const { stream } of stranded) stream.session.streams.delete(stream);
    super.endpointRemoving(device);
    for (const { stream, fallback } of stranded) this.playsOn(this.rehome(stream, fallback));
  }

  /** R28: a device comes (back): apps that have it as their own endpoint, playing on the default meanwhile, go to it. */
  override addDevice(spec: SimDeviceSpec): SimDeviceInfo {
    const info = super.addDevice(spec);
    const device = this.requireDevice(info.id);
    for (const stream of this.followers(device.flow)) {
      if (this.ownEndpointOf(stream) === device.id) this.moveTo(stream, device);
    }
    return info;
  }

  protected requireProcess(pid: number): SimProcessInfo {
    const process = this.processes.get(pid);
    if (!process) throw new SimScenarioError(`no process with pid ${pid} is running`);
    return process;
  }

  /** The valid streams of the flow that follow the default (opened without naming a device), as they are now. */
  private followers(flow: Flow): StreamCore[] {
    return [...this.streams.values()].filter((stream) => stream.followsDefault && !stream.invalidated && stream.session.identity.flow === flow);
  }

  private moveTo(stream: StreamCore, device: DeviceCore): void {
    if (device.id !== stream.session.identity.deviceId) this.reroute(stream, device);
  }

  /** The stream's app handle now plays on `device` (rehome), the old one leaving its session, which ends with its last stream. */
  private reroute(stream: StreamCore, device: DeviceCore): void {
    const old = stream.session;
    old.streams.delete(stream);
    const moved = this.rehome(stream, device);
    if (old.streams.size === 0) this.terminate(old);
    else this.updateActivity(old);
    this.playsOn(moved);
  }

  /**
   * A stream already out of its session is in the app's session on `device` (what the app
   * named its session travels with it); playsOn tells what its running there does.
   */
  private rehome(stream: StreamCore, device: DeviceCore): StreamCore {
    const old = stream.session;
    const identity = { ...old.identity, deviceId: device.id };
    // A session the app already has there keeps its own names.
    const { displayName, iconPath, groupingParam } = old;
    const client = this.sessions.has(sessionIdFor(identity)) ? {} : { displayName, iconPath, groupingParam };
    const session = this.joinSession(device, identity, old.exePath, client);
    this.ducking.end(stream);
    const moved: StreamCore = { ...stream, session, ducking: false };
    session.streams.add(moved);
    this.streams.set(moved.id, moved);
    return moved;
  }

  /** A rehomed stream that runs makes its new session active, and ducks others there as a communications stream (R23). */
  private playsOn(moved: StreamCore): void {
    const session = moved.session;
    if (moved.running) {
      this.updateActivity(session);
      if (moved.communications && this.getDefaultDevice(session.identity.flow, 'communications') === session.identity.deviceId) this.ducking.begin(moved);
    }
  }

  /** The id the stream's app chose as its own endpoint for the stream's flow, there or not; null when it follows the default. */
  private ownEndpointOf(stream: StreamCore): string | null {
    return this.appEndpoints.get(this.requireProcess(stream.pid).exePath, stream.session.identity.flow);
  }

  /** The app's own default endpoint, when it has one that is there (the default stands in while it is away, R28). */
  private appDeviceFor(exePath: string, flow: Flow): DeviceCore | null {
    const id = this.appEndpoints.get(exePath, flow);
    return id === null ? null : (this.devices.get(id) ?? null);
  }

  private requireStream(streamId: number): StreamCore {
    const stream = this.streams.get(streamId);
    if (!stream) throw new SimScenarioError(`unknown stream ${streamId} (never opened, or released)`);
    return stream;
  }
}
