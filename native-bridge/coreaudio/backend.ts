// The 'coreaudio' AudioBackend: SndMix's view of Windows Core Audio. The logic here talks
// to an AudioSystem (system.ts): on Windows the COM layer (com-system.ts), in the unit
// tests an in-memory fake. It never touches FFI itself.
//
// Per device: IAudioSessionManager2, register for new sessions, then enumerate once so
// notifications start (R22); per session: its IAudioSessionEvents (R21). Every
// listSessions is a reconcile: sessions whose notifications were missed are found, and
// those gone from the device are dropped. A method Windows (or Wine) does not implement
// (E_NOTIMPL, E_NOINTERFACE) makes that capability "not supported" and is not called again.
import { canonicalGuid, GUID_NULL, isGuidText, newGuid } from '../com/guid';
import { AUDCLNT_E_DEVICE_INVALIDATED, ComError, E_NOINTERFACE, E_NOTFOUND, E_NOTIMPL, isComError } from '../com/hresult';
import type {
  AudioBackend,
  BackendEvent,
  BackendListener,
  Capabilities,
  DeviceRecord,
  DeviceRole,
  DisconnectReason,
  Flow,
  SessionRecord,
} from '../types';
import { newSessionRecord } from '../session-events';
import { BackendError, DEVICE_ROLES } from '../types';
import { disconnectReasonOf, PropertyKeys } from './constants';
import { fileNameOf, resolveDisplayName, type ResolvedName } from './names';
import { identityOf, sessionIdOf, type SessionIdentity } from './session-identity';
import type { AudioSystem, Endpoint, EndpointInfo, SessionControl, SessionManager, Watch } from './system';

export const DEFAULT_POLL_INTERVAL_MS = 2000;

export interface CoreAudioBackendOptions {
  /** Reconcile-poll interval the host should run (default 2000 ms); null: rely on notifications alone. */
  pollIntervalMs?: number | null;
  /** The OS layer; the unit tests pass a fake. Default: Core Audio through COM (Windows only). */
  system?: AudioSystem;
  platform?: NodeJS.Platform;
  onWarning?: (message: string) => void;
}

/** Opens the backend: Core Audio through COM on Windows, or the given system. */
export async function createCoreAudioBackend(options: CoreAudioBackendOptions = {}): Promise<CoreAudioBackend> {
  const pollIntervalMs = options.pollIntervalMs === undefined ? DEFAULT_POLL_INTERVAL_MS : options.pollIntervalMs;
  if (pollIntervalMs !== null && (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0)) {
    throw new BackendError('invalid-argument', `pollIntervalMs must be a positive number or null, got ${pollIntervalMs}`);
  }
  const warn = options.onWarning ?? ((message: string) => console.warn(`sndmix coreaudio: ${message}`));
  let system = options.system;
  if (!system) {
    const platform = options.platform ?? process.platform;
    if (platform !== 'win32') throw new BackendError('unavailable', `Core Audio is a Windows API (this is ${platform})`);
    try {
      const { openWindowsAudioSystem } = await import('./windows');
      system = openWindowsAudioSystem({ onError: (error) => warn(`notification handling failed: ${describe(error)}`) });
    } catch (error) {
      throw new BackendError('unavailable', `Core Audio could not be opened: ${describe(error)}`);
    }
  }
  const backend = new CoreAudioBackend(system, pollIntervalMs, warn);
  try {
    await backend.start();
  } catch (error) {
    await backend.close();
    throw error instanceof BackendError
      ? error
      : new BackendError('unavailable', `Core Audio could not be opened: ${describe(error)}`);
  }
  return backend;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A session field read that the system may not implement (Wine stubs several). */
type OptionalRead = 'displayName' | 'iconPath' | 'groupingParam' | 'sessionIdentifier' | 'sessionInstanceIdentifier';
/** Per-session interfaces Windows may not expose for a given session. */
type SessionFeature = 'volume' | 'channels' | 'peak' | 'events';

interface DeviceEntry {
  info: EndpointInfo;
  endpoint: Endpoint | null;
  volumeWatch: Watch | null;
  sessionWatch: Watch | null;
  duckWatch: Watch | null;
  /** listSessions ran once: notifications of new sessions flow from now on (R22). */
  listed: boolean;
  /** Null until known; false where GetSessionEnumerator is not implemented (Wine). */
  enumerable: boolean | null;
}

interface SessionEntry {
  record: SessionRecord;
  control: SessionControl;
  watch: Watch | null;
  /** Opened by GUID through trackSession: kept even where enumeration cannot see it. */
  tracked: boolean;
  clientName: string;
  executablePath: string | null | undefined;
  missing: Set<SessionFeature>;
}

function isUnsupported(error: unknown): boolean {
  return isComError(error, E_NOTIMPL) || isComError(error, E_NOINTERFACE);
}

function isInvalidated(error: unknown): boolean {
  return isComError(error, AUDCLNT_E_DEVICE_INVALIDATED);
}

function isUnitLevel(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

export class CoreAudioBackend implements AudioBackend {
  readonly name = 'coreaudio' as const;
  readonly capabilities: Capabilities = {
    peakMeters: false,
    channelVolumes: true,
    icons: true,
    deviceVolume: true,
    deviceMute: true,
    ducking: true,
  };
  /** SndMix's own event context for changes the AudioBackend interface gives none (device volume). */
  readonly eventContext = newGuid();

  private readonly devices = new Map<string, DeviceEntry>();
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly listeners = new Set<BackendListener>();
  private readonly unsupportedReads = new Set<OptionalRead>();
  /** Event contexts as the host spelled them, by canonical GUID, so echoes come back the same. */
  private readonly contextSpellings = new Map<string, string>();
  private readonly fileDescriptions = new Map<string, string | null>();
  private readonly icons = new Map<string, string | null>();
  private readonly warned = new Set<string>();
  private endpointWatch: Watch | null = null;
  /** Device notifications are handled one after the other, in the order they came. */
  private deviceEvents: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly system: AudioSystem,
    readonly pollIntervalMs: number | null,
    private readonly warn: (message: string) => void,
  ) {}

  /** Capabilities the platform proves at start, and the device notifications. */
  async start(): Promise<void> {
    this.endpointWatch = await this.system.watchEndpoints({
      deviceAdded: (deviceId) => this.inOrder(() => this.onDeviceAdded(deviceId)),
      deviceRemoved: (deviceId) => this.inOrder(() => this.onDeviceRemoved(deviceId)),
      stateChanged: (deviceId) => this.inOrder(() => this.onDeviceChanged(deviceId)),
      defaultChanged: (flow, role, deviceId) =>
        this.inOrder(async () => this.emit({ type: 'default-device-changed', flow, role, deviceId })),
      propertyChanged: (deviceId, key) => {
        if (key.fmtid === PropertyKeys.PKEY_Device_FriendlyName.fmtid && key.pid === PropertyKeys.PKEY_Device_FriendlyName.pid) {
          this.inOrder(() => this.onDeviceChanged(deviceId));
        }
      },
    });
    const renderId = this.system.defaultEndpointId('render', 'console');
    if (renderId) await this.probeCapabilities(renderId);
  }

  /** Live COM references and sinks behind this backend's system (0 once closed). */
  liveReferences(): number {
    return this.system.liveReferences();
  }

  subscribe(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- devices -----------------------------------------------------------------------

  async listDevices(): Promise<DeviceRecord[]> {
    this.assertOpen();
    const infos = this.system.listEndpoints();
    const defaults = this.defaultRoles();
    const seen = new Set<string>();
    const records: DeviceRecord[] = [];
    for (const info of infos) {
      seen.add(info.id);
      const entry = this.deviceEntry(info);
      // Gone inactive while its notification was missed: let go of it as the notification would.
      if (info.state !== 'active' && entry.endpoint) await this.releaseDevice(entry, 'device-removed');
      records.push(await this.deviceRecord(entry, defaults));
    }
    for (const [id, entry] of [...this.devices]) if (!seen.has(id)) await this.dropDevice(entry, 'device-removed');
    return records;
  }

  async setDeviceVolume(deviceId: string, volume: number): Promise<void> {
    this.assertOpen();
    if (!isUnitLevel(volume)) throw new BackendError('invalid-argument', `volume must be within 0..1, got ${volume}`);
    if (!this.capabilities.deviceVolume) throw new BackendError('not-supported', 'device volume cannot be set here');
    const endpoint = this.activeEndpoint(deviceId);
    await this.deviceCall('deviceVolume', () => endpoint.setVolume(volume, this.eventContext));
  }

  async setDeviceMute(deviceId: string, muted: boolean): Promise<void> {
    this.assertOpen();
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', 'muted must be a boolean');
    if (!this.capabilities.deviceMute) throw new BackendError('not-supported', 'device mute cannot be set here');
    const endpoint = this.activeEndpoint(deviceId);
    await this.deviceCall('deviceMute', () => endpoint.setMute(muted, this.eventContext));
  }

  // ---- sessions ----------------------------------------------------------------------

  async listSessions(deviceId: string): Promise<SessionRecord[]> {
    this.assertOpen();
    const device = this.deviceEntry(this.lookUpDevice(deviceId));
    if (device.info.state !== 'active') {
      await this.dropSessionsOf(deviceId, null);
      return [];
    }
    const manager = this.sessionManager(device);
    if (!device.listed) await this.startSessionNotifications(device, manager);
    await this.reconcile(device, manager);
    device.listed = true;
    return this.sessionsOf(deviceId).map((entry) => ({ ...entry.record, channelVolumes: [...entry.record.channelVolumes] }));
  }

  /**
   * Opens this process's session with a GUID on a device and follows it like an
   * enumerated one: how sessions are reached where enumeration is not implemented (Wine's
   * GetSessionEnumerator), and how tests reach the sessions of their own streams.
   */
  async trackSession(deviceId: string, sessionGuid: string, crossProcess = false): Promise<SessionRecord> {
    this.assertOpen();
    if (!isGuidText(sessionGuid)) throw new BackendError('invalid-argument', `not a GUID: ${JSON.stringify(sessionGuid)}`);
    const device = this.devices.get(deviceId) ?? this.deviceEntry(this.lookUpDevice(deviceId));
    const manager = this.sessionManager(device);
    const control = this.osCall(() => manager.openSession(canonicalGuid(sessionGuid), crossProcess), 'open the session');
    const entry = await this.adoptSession(device, control, { tracked: true, announce: true });
    return { ...entry.record };
  }

  async setSessionVolume(sessionId: string, volume: number, eventContext: string): Promise<void> {
    this.assertOpen();
    const entry = this.controllableSession(sessionId, 'volume');
    if (!isUnitLevel(volume)) throw new BackendError('invalid-argument', `volume must be within 0..1, got ${volume}`);
    const context = this.hostContext(eventContext);
    await this.sessionCall(entry, 'volume', () => entry.control.setVolume(volume, context));
    entry.record.volume = volume;
  }

  async setSessionMute(sessionId: string, muted: boolean, eventContext: string): Promise<void> {
    this.assertOpen();
    const entry = this.controllableSession(sessionId, 'volume');
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', 'muted must be a boolean');
    const context = this.hostContext(eventContext);
    await this.sessionCall(entry, 'volume', () => entry.control.setMute(muted, context));
    entry.record.muted = muted;
  }

  async setChannelVolume(sessionId: string, channel: number, volume: number, eventContext: string): Promise<void> {
    this.assertOpen();
    const entry = this.controllableSession(sessionId, 'channels');
    if (!isUnitLevel(volume)) throw new BackendError('invalid-argument', `volume must be within 0..1, got ${volume}`);
    const context = this.hostContext(eventContext);
    const channels = this.sessionRead(entry, 'channels', () => entry.control.channelVolumes());
    if (!Number.isInteger(channel) || channel < 0 || channel >= channels.length) {
      throw new BackendError(
        'invalid-argument',
        `channel ${channel} is out of range: the session has ${channels.length} channels`,
      );
    }
    await this.sessionCall(entry, 'channels', () => entry.control.setChannelVolume(channel, volume, context));
    entry.record.channelVolumes = channels.map((level, index) => (index === channel ? volume : level));
  }

  async getPeaks(sessionIds: readonly string[]): Promise<Record<string, number>> {
    this.assertOpen();
    if (!this.capabilities.peakMeters) throw new BackendError('not-supported', 'peak meters are not available here');
    const peaks: Record<string, number> = {};
    for (const id of sessionIds) {
      const entry = this.sessions.get(id);
      if (!entry || entry.record.disconnected || entry.missing.has('peak')) continue;
      try {
        peaks[id] = entry.control.peak();
      } catch (error) {
        if (isUnsupported(error)) entry.missing.add('peak');
        else if (isInvalidated(error)) this.markDisconnected(entry, 'device-removed');
        else this.warnOnce(`peak of ${id}`, `reading a peak failed: ${describe(error)}`);
      }
    }
    return peaks;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const endpointWatch = this.endpointWatch;
    this.endpointWatch = null;
    await this.stopWatch(endpointWatch);
    for (const entry of [...this.devices.values()]) await this.dropDevice(entry, null);
    this.listeners.clear();
    await this.system.close();
  }

  // ---- internals: devices ------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new BackendError('unavailable', 'the coreaudio backend is closed');
  }

  private async probeCapabilities(renderId: string): Promise<void> {
    let endpoint: Endpoint;
    try {
      endpoint = this.endpointOf(this.deviceEntry(this.system.endpointInfo(renderId)));
    } catch (error) {
      this.warnOnce('probe', `could not open the default render device: ${describe(error)}`);
      return;
    }
    this.capabilities.peakMeters = endpoint.hasMeter();
    // Out of range on purpose: Windows answers E_INVALIDARG without changing anything;
    // a stub answers E_NOTIMPL.
    try {
      await endpoint.setVolume(2, this.eventContext);
    } catch (error) {
      if (isUnsupported(error)) this.capabilities.deviceVolume = false;
    }
    // The current mute state again: Windows answers S_FALSE and notifies nobody.
    try {
      const { muted } = endpoint.volume();
      await endpoint.setMute(muted, this.eventContext);
    } catch (error) {
      if (isUnsupported(error)) this.capabilities.deviceMute = false;
    }
  }

  private deviceEntry(info: EndpointInfo): DeviceEntry {
    const existing = this.devices.get(info.id);
    if (existing) {
      existing.info = info;
      return existing;
    }
    const entry: DeviceEntry = {
      info,
      endpoint: null,
      volumeWatch: null,
      sessionWatch: null,
      duckWatch: null,
      listed: false,
      enumerable: null,
    };
    this.devices.set(info.id, entry);
    return entry;
  }

  private lookUpDevice(deviceId: string): EndpointInfo {
    try {
      return this.system.endpointInfo(deviceId);
    } catch (error) {
      if (isComError(error, E_NOTFOUND)) throw new BackendError('not-found', `no audio device ${deviceId}`);
      throw this.osError(error, 'look up the device');
    }
  }

  private endpointOf(entry: DeviceEntry): Endpoint {
    entry.endpoint ??= this.osCall(() => this.system.openEndpoint(entry.info.id), 'open the device');
    return entry.endpoint;
  }

  private activeEndpoint(deviceId: string): Endpoint {
    const entry = this.devices.get(deviceId) ?? this.deviceEntry(this.lookUpDevice(deviceId));
    if (entry.info.state !== 'active') throw new BackendError('disconnected', `device ${entry.info.name} is ${entry.info.state}`);
    return this.endpointOf(entry);
  }

  private defaultRoles(): Map<string, DeviceRole[]> {
    const defaults = new Map<string, DeviceRole[]>();
    for (const flow of ['render', 'capture'] as Flow[]) {
      for (const role of DEVICE_ROLES) {
        const id = this.osCall(() => this.system.defaultEndpointId(flow, role), 'read the default device');
        if (id) defaults.set(id, [...(defaults.get(id) ?? []), role]);
      }
    }
    return defaults;
  }

  private async deviceRecord(entry: DeviceEntry, defaults: Map<string, DeviceRole[]>): Promise<DeviceRecord> {
    let volume: number | null = null;
    let muted: boolean | null = null;
    if (entry.info.state === 'active') {
      try {
        const endpoint = this.endpointOf(entry);
        ({ volume, muted } = endpoint.volume());
        if (!entry.volumeWatch) entry.volumeWatch = await this.watchEndpointVolume(entry, endpoint);
      } catch (error) {
        if (!isUnsupported(error) && !isInvalidated(error)) {
          this.warnOnce(`device volume ${entry.info.id}`, `reading ${entry.info.name}'s volume failed: ${describe(error)}`);
        }
      }
    }
    const { id, name, flow, state } = entry.info;
    return { id, name, flow, state, defaultFor: defaults.get(id) ?? [], volume, muted };
  }

  private async watchEndpointVolume(entry: DeviceEntry, endpoint: Endpoint): Promise<Watch | null> {
    try {
      return await endpoint.watchVolume(({ volume, muted }) => {
        if (this.closed || !this.devices.has(entry.info.id)) return;
        const { id, name, flow, state } = entry.info;
        const defaultFor = [...(this.defaultRoles().get(id) ?? [])];
        this.emit({ type: 'device-changed', device: { id, name, flow, state, defaultFor, volume, muted } });
      });
    } catch (error) {
      if (!isUnsupported(error)) this.warnOnce('endpoint volume watch', `device volume notifications failed: ${describe(error)}`);
      return null;
    }
  }

  private inOrder(handle: () => Promise<void>): void {
    this.deviceEvents = this.deviceEvents.then(handle, handle);
  }

  private async onDeviceAdded(deviceId: string): Promise<void> {
    if (this.closed) return;
    try {
      const entry = this.deviceEntry(this.system.endpointInfo(deviceId));
      this.emit({ type: 'device-added', device: await this.deviceRecord(entry, this.defaultRoles()) });
    } catch (error) {
      this.warnOnce(`device added ${deviceId}`, `a new device could not be read: ${describe(error)}`);
    }
  }

  private async onDeviceRemoved(deviceId: string): Promise<void> {
    const entry = this.devices.get(deviceId);
    if (this.closed || !entry) return;
    await this.dropDevice(entry, 'device-removed');
    this.emit({ type: 'device-removed', deviceId });
  }

  private async onDeviceChanged(deviceId: string): Promise<void> {
    if (this.closed) return;
    try {
      const info = this.system.endpointInfo(deviceId);
      const entry = this.deviceEntry(info);
      if (info.state !== 'active') await this.releaseDevice(entry, 'device-removed');
      this.emit({ type: 'device-changed', device: await this.deviceRecord(entry, this.defaultRoles()) });
    } catch (error) {
      if (isComError(error, E_NOTFOUND)) return this.onDeviceRemoved(deviceId);
      this.warnOnce(`device changed ${deviceId}`, `a changed device could not be read: ${describe(error)}`);
    }
  }

  /** Forgets a device; its sessions are disconnected with `reason` (null when closing). */
  private async dropDevice(entry: DeviceEntry, reason: DisconnectReason | null): Promise<void> {
    this.devices.delete(entry.info.id);
    await this.releaseDevice(entry, reason);
  }

  private async releaseDevice(entry: DeviceEntry, reason: DisconnectReason | null): Promise<void> {
    await this.dropSessionsOf(entry.info.id, reason);
    const watches = [entry.volumeWatch, entry.sessionWatch, entry.duckWatch];
    entry.volumeWatch = entry.sessionWatch = entry.duckWatch = null;
    for (const watch of watches) await this.stopWatch(watch);
    entry.endpoint?.release();
    entry.endpoint = null;
    entry.listed = false;
    entry.enumerable = null;
  }

  private async deviceCall(capability: 'deviceVolume' | 'deviceMute', call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (isUnsupported(error)) {
        this.capabilities[capability] = false;
        throw new BackendError('not-supported', `the platform does not implement this (${describe(error)})`);
      }
      if (isInvalidated(error)) throw new BackendError('disconnected', 'the device is gone');
      throw this.osError(error, 'set the device');
    }
  }

  // ---- internals: sessions -------------------------------------------------------------

  private sessionManager(device: DeviceEntry): SessionManager {
    const endpoint = this.endpointOf(device);
    return this.osCall(() => endpoint.sessionManager(), 'open the session manager');
  }

  private async startSessionNotifications(device: DeviceEntry, manager: SessionManager): Promise<void> {
    try {
      device.sessionWatch = await manager.watchSessions((control) => void this.onSessionCreated(device, control));
    } catch (error) {
      if (!isUnsupported(error)) this.warnOnce('session watch', `new-session notifications failed: ${describe(error)}`);
    }
    if (!this.capabilities.ducking) return;
    try {
      device.duckWatch = await manager.watchDucking({
        duck: (instance, count) => this.onDuck(device, instance, count),
        unduck: (instance) => this.onDuck(device, instance, null),
      });
    } catch (error) {
      if (isUnsupported(error)) this.capabilities.ducking = false;
      else this.warnOnce('duck watch', `ducking notifications failed: ${describe(error)}`);
    }
  }

  private async reconcile(device: DeviceEntry, manager: SessionManager): Promise<void> {
    let controls: SessionControl[] | null = null;
    if (device.enumerable !== false) {
      try {
        controls = manager.listSessions();
        device.enumerable = true;
      } catch (error) {
        if (isUnsupported(error)) device.enumerable = false;
        else if (isInvalidated(error)) return this.dropSessionsOf(device.info.id, 'device-removed');
        else throw this.osError(error, 'enumerate the sessions');
      }
    }
    const seen = new Set<string>();
    const adopted = new Set<SessionEntry>();
    if (controls) {
      for (const control of controls) {
        const identity = this.identify(device, control);
        const id = identity && sessionIdOf(identity);
        if (!identity || !id || seen.has(id)) {
          control.release();
          continue;
        }
        seen.add(id);
        // A disconnected session keeps its record (R25) until the device stops listing it.
        if (this.sessions.has(id)) {
          control.release();
          continue;
        }
        adopted.add(await this.adoptSession(device, control, { tracked: false, announce: false, identity }));
      }
    }
    const windowTitles = this.windowTitlesFor(this.sessionsOf(device.info.id));
    for (const entry of this.sessionsOf(device.info.id)) {
      if (controls && !entry.tracked && !seen.has(entry.record.id)) {
        // Gone from the device; if only because the device went away, say so first (R25).
        await this.removeSession(entry, this.isInvalidatedNow(entry) ? 'device-removed' : null);
        continue;
      }
      if (!adopted.has(entry)) this.refresh(entry, windowTitles);
    }
  }

  private isInvalidatedNow(entry: SessionEntry): boolean {
    try {
      entry.control.state();
      return false;
    } catch (error) {
      return isInvalidated(error);
    }
  }

  private identify(device: DeviceEntry, control: SessionControl): SessionIdentity | null {
    try {
      return identityOf({
        owner: control.owner(),
        openedGuid: control.openedGuid,
        sessionIdentifier: this.optionalRead('sessionIdentifier', () => control.sessionIdentifier(), null),
        deviceId: device.info.id,
        flow: device.info.flow,
      });
    } catch (error) {
      if (!isInvalidated(error))
        this.warnOnce(`identify ${device.info.id}`, `a session could not be identified: ${describe(error)}`);
      return null;
    }
  }

  /** Takes ownership of a session control: a new session, or released when already known. */
  private async adoptSession(
    device: DeviceEntry,
    control: SessionControl,
    how: { tracked: boolean; announce: boolean; identity?: SessionIdentity },
  ): Promise<SessionEntry> {
    const identity = how.identity ?? this.identify(device, control);
    if (!identity) {
      control.release();
      throw new BackendError('os-error', 'the session could not be identified');
    }
    const id = sessionIdOf(identity);
    const known = this.sessions.get(id);
    if (known && !(how.tracked && known.record.disconnected)) {
      control.release();
      known.tracked ||= how.tracked;
      return known;
    }
    // Tracking again a session that was disconnected: follow the new one.
    if (known) await this.removeSession(known);
    const entry = this.newSessionEntry(id, identity, control, how.tracked);
    this.sessions.set(id, entry);
    this.refresh(entry, this.windowTitlesFor([entry]));
    entry.watch = await this.watchSession(entry);
    if (how.announce && this.sessions.get(id) === entry) this.emit({ type: 'session-created', session: { ...entry.record } });
    return entry;
  }

  private newSessionEntry(id: string, identity: SessionIdentity, control: SessionControl, tracked: boolean): SessionEntry {
    const read = <T>(what: string, fn: () => T, fallback: T): T => {
      try {
        return fn();
      } catch (error) {
        if (!isUnsupported(error) && !isInvalidated(error))
          this.warnOnce(`${what} ${id}`, `reading ${what} failed: ${describe(error)}`);
        return fallback;
      }
    };
    const isSystemSounds = read('System Sounds', () => control.isSystemSounds(), false);
    return {
      record: newSessionRecord({
        id,
        sessionGuid: identity.sessionGuid,
        crossProcess: identity.crossProcess,
        pid: identity.pid,
        processName: null,
        deviceId: identity.deviceId,
        flow: identity.flow,
        isSystemSounds,
        sessionIdentifier: this.optionalRead('sessionIdentifier', () => control.sessionIdentifier(), ''),
        sessionInstanceIdentifier: this.optionalRead('sessionInstanceIdentifier', () => control.sessionInstanceIdentifier(), ''),
      }),
      control,
      watch: null,
      tracked,
      clientName: '',
      executablePath: undefined,
      missing: new Set(),
    };
  }

  /** Re-reads a session's state and levels, its name and icon (drift from missed notifications). */
  private refresh(entry: SessionEntry, windowTitles: Map<number, string>): void {
    if (entry.record.disconnected) return;
    const { control, record } = entry;
    try {
      record.state = control.state();
      if (!entry.missing.has('volume')) {
        const levels = this.sessionRead(entry, 'volume', () => control.volume(), null);
        if (levels) ({ volume: record.volume, muted: record.muted } = levels);
      }
      if (!entry.missing.has('channels'))
        record.channelVolumes = this.sessionRead(entry, 'channels', () => control.channelVolumes(), []);
      record.groupingParam = this.optionalRead('groupingParam', () => control.groupingParam(), record.groupingParam);
      entry.clientName = this.clientName(this.optionalRead('displayName', () => control.displayName(), entry.clientName));
      Object.assign(record, this.nameOf(entry, windowTitles));
      const iconPath = this.optionalRead('iconPath', () => control.iconPath(), record.iconPath);
      if (iconPath !== record.iconPath || record.icon === null) {
        record.iconPath = iconPath;
        record.icon = this.iconOf(entry);
      }
      record.processName ??= entry.record.crossProcess ? null : this.processNameOf(entry);
    } catch (error) {
      if (isInvalidated(error)) this.markDisconnected(entry, 'device-removed');
      else if (!(error instanceof BackendError && error.code === 'disconnected'))
        this.warnOnce(`refresh ${record.id}`, `refreshing session ${record.displayName || record.id} failed: ${describe(error)}`);
    }
  }

  private async watchSession(entry: SessionEntry): Promise<Watch | null> {
    const id = entry.record.id;
    const live = (): SessionEntry | null => {
      const current = this.sessions.get(id);
      return !this.closed && current === entry ? current : null;
    };
    try {
      return await entry.control.watch({
        displayNameChanged: (name) => {
          if (!live()) return;
          entry.clientName = this.clientName(name);
          const resolved = this.nameOf(entry, this.windowTitlesFor([entry]));
          Object.assign(entry.record, resolved);
          this.emit({ type: 'display-name-changed', sessionId: id, ...resolved });
        },
        iconPathChanged: (iconPath) => {
          if (!live()) return;
          entry.record.iconPath = iconPath;
          entry.record.icon = this.iconOf(entry);
          this.emit({ type: 'icon-changed', sessionId: id, iconPath, icon: entry.record.icon });
        },
        volumeChanged: (notified, muted, context) => {
          if (!live()) return;
          // A float argument that did not survive the callback (see CallbackArgType): read it back.
          const volume = isUnitLevel(notified)
            ? notified
            : this.sessionRead(entry, 'volume', () => entry.control.volume(), null)?.volume;
          if (volume === undefined) return;
          Object.assign(entry.record, { volume, muted });
          this.emit({ type: 'volume-changed', sessionId: id, volume, muted, eventContext: this.contextSpelling(context) });
        },
        channelVolumeChanged: (channelVolumes, changedChannel, context) => {
          if (!live()) return;
          entry.record.channelVolumes = [...channelVolumes];
          this.emit({
            type: 'channel-volume-changed',
            sessionId: id,
            channelVolumes,
            changedChannel,
            eventContext: this.contextSpelling(context),
          });
        },
        groupingParamChanged: (groupingParam, context) => {
          if (!live()) return;
          entry.record.groupingParam = groupingParam;
          this.emit({ type: 'grouping-changed', sessionId: id, groupingParam, eventContext: this.contextSpelling(context) });
        },
        stateChanged: (state) => {
          if (!live() || entry.record.state === state) return;
          entry.record.state = state;
          this.emit({ type: 'state-changed', sessionId: id, state, terminated: false });
        },
        disconnected: (reason) => {
          if (live()) this.markDisconnected(entry, disconnectReasonOf(reason));
        },
      });
    } catch (error) {
      if (isUnsupported(error)) entry.missing.add('events');
      else if (isInvalidated(error)) this.markDisconnected(entry, 'device-removed');
      else this.warnOnce(`watch ${id}`, `session notifications failed: ${describe(error)}`);
      return null;
    }
  }

  private async onSessionCreated(device: DeviceEntry, control: SessionControl): Promise<void> {
    if (this.closed || this.devices.get(device.info.id) !== device || !device.listed) {
      control.release();
      return;
    }
    try {
      await this.adoptSession(device, control, { tracked: false, announce: true });
    } catch (error) {
      this.warnOnce(`created ${device.info.id}`, `a new session could not be read: ${describe(error)}`);
    }
  }

  private onDuck(device: DeviceEntry, instanceIdentifier: string, communicationSessions: number | null): void {
    if (this.closed) return;
    // Our id when we know the session; else the instance identifier Windows gave.
    const sessionId =
      [...this.sessions.values()].find((entry) => entry.record.sessionInstanceIdentifier === instanceIdentifier)?.record.id ??
      instanceIdentifier;
    if (communicationSessions === null) this.emit({ type: 'unduck', deviceId: device.info.id, sessionId });
    else this.emit({ type: 'duck', deviceId: device.info.id, sessionId, communicationSessions });
  }

  private markDisconnected(entry: SessionEntry, reason: DisconnectReason): void {
    if (entry.record.disconnected) return;
    entry.record.disconnected = reason;
    this.emit({ type: 'disconnected', sessionId: entry.record.id, reason });
  }

  /** Stops listening to a session and releases it; `reason` marks it disconnected first. */
  private async removeSession(entry: SessionEntry, reason: DisconnectReason | null = null): Promise<void> {
    if (this.sessions.get(entry.record.id) !== entry) return;
    if (reason) this.markDisconnected(entry, reason);
    this.sessions.delete(entry.record.id);
    const watch = entry.watch;
    entry.watch = null;
    await this.stopWatch(watch);
    entry.control.release();
  }

  private async dropSessionsOf(deviceId: string, reason: DisconnectReason | null): Promise<void> {
    for (const entry of this.sessionsOf(deviceId)) await this.removeSession(entry, reason);
  }

  private sessionsOf(deviceId: string): SessionEntry[] {
    return [...this.sessions.values()].filter((entry) => entry.record.deviceId === deviceId);
  }

  private controllableSession(sessionId: string, feature: SessionFeature): SessionEntry {
    const entry = this.sessions.get(sessionId);
    if (!entry) throw new BackendError('not-found', `no session ${sessionId}`);
    if (entry.record.disconnected)
      throw new BackendError(
        'disconnected',
        `session ${entry.record.displayName} is disconnected (${entry.record.disconnected})`,
      );
    if (entry.missing.has(feature))
      throw new BackendError('not-supported', `session ${entry.record.displayName} offers no ${feature} control here`);
    return entry;
  }

  private hostContext(eventContext: string): string {
    if (typeof eventContext !== 'string' || !isGuidText(eventContext)) {
      throw new BackendError('invalid-argument', `eventContext must be a GUID, got ${JSON.stringify(eventContext)}`);
    }
    const canonical = canonicalGuid(eventContext);
    this.contextSpellings.set(canonical, eventContext);
    return canonical;
  }

  private contextSpelling(context: string): string {
    if (!context || !isGuidText(context)) return context || GUID_NULL;
    const canonical = canonicalGuid(context);
    return this.contextSpellings.get(canonical) ?? canonical;
  }

  /** A read of a per-session interface: unsupported marks the feature missing for this session. */
  private sessionRead<T>(entry: SessionEntry, feature: SessionFeature, read: () => T, fallback?: T): T {
    try {
      return read();
    } catch (error) {
      if (isUnsupported(error)) {
        entry.missing.add(feature);
        if (fallback !== undefined) return fallback;
        throw new BackendError('not-supported', `session ${entry.record.displayName} offers no ${feature} control here`);
      }
      if (isInvalidated(error)) {
        this.markDisconnected(entry, 'device-removed');
        throw new BackendError('disconnected', `session ${entry.record.displayName} is disconnected (device-removed)`);
      }
      throw error;
    }
  }

  private async sessionCall(entry: SessionEntry, feature: SessionFeature, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (isUnsupported(error)) {
        entry.missing.add(feature);
        throw new BackendError('not-supported', `session ${entry.record.displayName} offers no ${feature} control here`);
      }
      if (isInvalidated(error)) {
        this.markDisconnected(entry, 'device-removed');
        throw new BackendError('disconnected', `session ${entry.record.displayName} is disconnected (device-removed)`);
      }
      throw this.osError(error, `control session ${entry.record.displayName}`);
    }
  }

  /** A read every session shares: once not implemented (Wine stubs), never tried again. */
  private optionalRead<T>(what: OptionalRead, read: () => T, fallback: T): T {
    if (this.unsupportedReads.has(what)) return fallback;
    try {
      return read();
    } catch (error) {
      if (isComError(error, E_NOTIMPL)) {
        this.unsupportedReads.add(what);
        return fallback;
      }
      throw error;
    }
  }

  // ---- internals: names and icons --------------------------------------------------------

  private clientName(name: string): string {
    const trimmed = name.trim();
    if (!trimmed.startsWith('@')) return trimmed;
    // "@%SystemRoot%\System32\AudioSrv.Dll,-202": a resource string.
    return this.system.resolveIndirectString(trimmed)?.trim() ?? '';
  }

  private nameOf(entry: SessionEntry, windowTitles: Map<number, string>): ResolvedName {
    const { record } = entry;
    return resolveDisplayName(
      {
        clientName: entry.clientName,
        isSystemSounds: record.isSystemSounds,
        crossProcess: record.crossProcess,
        pid: record.pid,
        sessionGuid: record.sessionGuid,
      },
      {
        windowTitle: () => windowTitles.get(record.pid) ?? null,
        fileDescription: () => {
          const path = this.executablePathOf(entry);
          if (!path) return null;
          if (!this.fileDescriptions.has(path)) this.fileDescriptions.set(path, this.system.fileDescription(path));
          return this.fileDescriptions.get(path) ?? null;
        },
        executablePath: () => this.executablePathOf(entry),
      },
    );
  }

  private windowTitlesFor(entries: readonly SessionEntry[]): Map<number, string> {
    const pids = [
      ...new Set(
        entries
          .filter((entry) => !entry.record.crossProcess && !entry.clientName && !entry.record.isSystemSounds)
          .map((entry) => entry.record.pid),
      ),
    ];
    if (pids.length === 0) return new Map();
    try {
      return this.system.mainWindowTitles(pids);
    } catch (error) {
      this.warnOnce('window titles', `reading window titles failed: ${describe(error)}`);
      return new Map();
    }
  }

  private executablePathOf(entry: SessionEntry): string | null {
    if (entry.record.crossProcess) return null;
    if (entry.executablePath === undefined) {
      try {
        entry.executablePath = this.system.processDetails(entry.record.pid).executablePath;
      } catch (error) {
        this.warnOnce(`process ${entry.record.pid}`, `reading process ${entry.record.pid} failed: ${describe(error)}`);
        entry.executablePath = null;
      }
    }
    return entry.executablePath;
  }

  private processNameOf(entry: SessionEntry): string | null {
    const path = this.executablePathOf(entry);
    return path ? fileNameOf(path) : null;
  }

  /** The client's icon, else (process-specific sessions) the executable's; cached by source. */
  private iconOf(entry: SessionEntry): string | null {
    const sources = [entry.record.iconPath.trim(), entry.record.crossProcess ? null : this.executablePathOf(entry)];
    for (const source of sources) {
      if (!source) continue;
      if (!this.icons.has(source)) {
        let icon: string | null = null;
        try {
          icon = this.system.renderIcon(source);
        } catch (error) {
          this.warnOnce(`icon ${source}`, `rendering the icon ${source} failed: ${describe(error)}`);
        }
        this.icons.set(source, icon);
      }
      const icon = this.icons.get(source);
      if (icon) return icon;
    }
    return null;
  }

  // ---- internals: plumbing ---------------------------------------------------------------

  private emit(event: BackendEvent): void {
    if (this.closed) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.warnOnce(`listener ${event.type}`, `a listener failed on ${event.type}: ${describe(error)}`);
      }
    }
  }

  private async stopWatch(watch: Watch | null): Promise<void> {
    if (!watch) return;
    try {
      await watch.stop();
    } catch (error) {
      if (!isInvalidated(error)) this.warnOnce('unregister', `unregistering a notification failed: ${describe(error)}`);
    }
  }

  private osCall<T>(call: () => T, what: string): T {
    try {
      return call();
    } catch (error) {
      if (error instanceof BackendError) throw error;
      if (isInvalidated(error)) throw new BackendError('disconnected', `could not ${what}: the device is gone`);
      if (isComError(error, E_NOTFOUND)) throw new BackendError('not-found', `could not ${what}: not found`);
      if (isUnsupported(error)) throw new BackendError('not-supported', `could not ${what}: ${describe(error)}`);
      throw this.osError(error, what);
    }
  }

  private osError(error: unknown, what: string): BackendError {
    if (error instanceof BackendError) return error;
    const detail = error instanceof ComError ? error.message : describe(error);
    return new BackendError('os-error', `could not ${what}: ${detail}`);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }
}
