// Sessions on the simulated endpoints: how a session is made, found again, kept active,
// expired, terminated and disconnected (R1..R10, R21, R25), the System Sounds session each
// render device has (R11, R19), the recall and keeping of render sessions' volume and mute
// (R14, R15; the files are persistence.ts), and the session managers a mixer activates on
// a device (the mixer's view: sim/system.ts serves it as the OS seam). Builds on the
// endpoints (endpoints.ts); streams.ts builds on this. Guarantees: a session is listed on
// its device from its first stream until it terminates or is disconnected, never after;
// each new session is announced once to the managers that enumerated (R22); a terminated
// or disconnected session has told its sinks its last event and holds none.
import { GUID_NULL } from '../com/guid';
import { ComError, E_NOTFOUND } from '../com/hresult';
import type { DisconnectReason, SessionState } from '../types';
import { DISCONNECT_REASONS } from '../types';
import type { SessionIdentity } from '../windows-rules/session-identity';
import { sessionIdentifierFor, sessionIdFor, sessionInstanceIdentifierFor } from '../windows-rules/session-identity';
import type { SimClock } from './clock';
import { realClock } from './clock';
import { Ducking } from './ducking';
import type { DeviceCore, SimEndpointsOptions } from './endpoints';
import { SimEndpoints } from './endpoints';
import { ManagerCore } from './manager-core';
import type { SessionSettingsStore } from './persistence';
import { SimScenarioError } from './scenario-checks';
import type { StreamCore } from './session';
import { SessionCore } from './session';
import { SYSTEM_SOUNDS_DISPLAY_NAME, SYSTEM_SOUNDS_ICON_PATH, systemSoundsIdentity } from './system-sounds';

/** How long a session stays inactive before it expires (R9), unless the engine is told otherwise. */
export const DEFAULT_EXPIRE_AFTER_MS = 30_000;

export interface SimSessionsOptions extends SimEndpointsOptions {
  clock?: SimClock;
  /** Inactive -> expired after this long (R9). */
  expireAfterMs?: number;
  /** Where render sessions' volume/mute persist (R14, R15); none by default. */
  settingsStore?: SessionSettingsStore | null;
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

/** What a client names its session with; what it leaves out is left as it is. */
export interface ClientNames {
  displayName?: string;
  iconPath?: string;
  groupingParam?: string;
}

export abstract class SimSessions extends SimEndpoints {
  readonly clock: SimClock;
  readonly expireAfterMs: number;
  protected readonly store: SessionSettingsStore | null;
  /** Live sessions; a disconnected one leaves (its streams still point at it). */
  protected readonly sessions = new Map<string, SessionCore>();
  protected readonly streams = new Map<number, StreamCore>();
  protected readonly ducking = new Ducking((deviceId) => this.devices.get(deviceId)?.managers ?? []);
  /** Set by stopTimers: no expiry is scheduled any more. */
  protected closed = false;
  private nextStreamId = 1;
  private instanceCounter = 0;

  private readonly sessionHooks = {
    settingsChanged: (session: SessionCore) => {
      if (this.sessions.get(session.id) === session) this.persist(session);
    },
    sinkFailed: (error: unknown) => this.listenerFailed(error),
  };

  constructor(options: SimSessionsOptions) {
    super(options);
    this.clock = options.clock ?? realClock;
    const expireAfterMs = options.expireAfterMs ?? DEFAULT_EXPIRE_AFTER_MS;
    if (!Number.isFinite(expireAfterMs) || expireAfterMs < 0) {
      throw new SimScenarioError(`expireAfterMs must be a non-negative number of milliseconds, got ${expireAfterMs}`);
    }
    this.expireAfterMs = expireAfterMs;
    this.store = options.settingsStore ?? null;
  }

  // ---- Inspection and scenario events ----------------------------------------------

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

  // ---- The mixer's view (served by sim/system.ts) ------------------------------------

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

  // ---- What devices coming and going do to sessions ------------------------------------

  protected endpointAdded(device: DeviceCore): void {
    if (device.flow === 'render') this.createSystemSounds(device);
  }

  protected endpointRemoving(device: DeviceCore): void {
    for (const session of [...device.sessions.values()]) this.disconnect(session, 'device-removed');
    this.dropSystemStream(device);
  }

  // ---- The lifecycle -----------------------------------------------------------------

  /** A new stream in its session, known by its id until it is released; stopped, valid, not ducking. */
  protected addStream(init: Omit<StreamCore, 'id' | 'running' | 'invalidated' | 'ducking'>): StreamCore {
    const stream: StreamCore = { ...init, id: this.nextStreamId++, running: false, invalidated: false, ducking: false };
    stream.session.streams.add(stream);
    this.streams.set(stream.id, stream);
    return stream;
  }

  /** The session a new stream joins: the identity's own when it exists (revived when expired), else a new one, announced. */
  protected joinSession(device: DeviceCore, identity: SessionIdentity, exePath: string | null, client: ClientNames): SessionCore {
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

  /** R9: active iff a stream runs; leaving 'active' starts the road to 'expired'. */
  protected updateActivity(session: SessionCore): void {
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

  /** R10: gone from the device; the last settings of a render session are what persists (R15). */
  protected terminate(session: SessionCore): void {
    this.unlist(session);
    session.changeState('expired', true);
    session.clearSinks();
  }

  /** Stops every timer for good; what the engine's close does first. */
  protected stopTimers(): void {
    this.closed = true;
    for (const session of this.sessions.values()) this.clearExpiry(session);
    for (const device of this.devices.values()) {
      if (device.systemSoundTimer !== null) this.clock.clearTimeout(device.systemSoundTimer);
      device.systemSoundTimer = null;
    }
  }

  private createSession(
    device: DeviceCore,
    identity: SessionIdentity,
    exePath: string | null,
    client: Required<ClientNames>,
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

  private createSystemSounds(device: DeviceCore): SessionCore {
    const session = this.createSession(
      device,
      systemSoundsIdentity(device.id),
      null,
      { displayName: SYSTEM_SOUNDS_DISPLAY_NAME, iconPath: SYSTEM_SOUNDS_ICON_PATH, groupingParam: GUID_NULL },
      true,
    );
    // The audio service holds this stream for as long as the device exists.
    device.systemStream = this.addStream({ pid: 0, session, communications: false, loopback: false, followsDefault: false, role: 'console' });
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

  private disconnect(session: SessionCore, reason: DisconnectReason): void {
    for (const stream of session.streams) {
      this.ducking.end(stream);
      stream.running = false;
      stream.invalidated = true;
    }
    this.unlist(session);
    session.disconnect(reason);
    session.clearSinks();
  }

  /** Off the lists for good (terminated or disconnected), its last settings kept (R15). */
  private unlist(session: SessionCore): void {
    this.clearExpiry(session);
    this.sessions.delete(session.id);
    this.devices.get(session.identity.deviceId)?.sessions.delete(session.id);
    this.persist(session);
  }

  private persist(session: SessionCore): void {
    this.store?.remember({ ...session.identity, exePath: session.exePath }, { volume: session.volume, muted: session.muted });
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
