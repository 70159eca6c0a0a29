// The 'sim' AudioBackend: SndMix's view of the SimEngine, reached the way a Windows
// mixer reaches Core Audio: per device, activate IAudioSessionManager2, enumerate the
// sessions, then listen (R22); per session, listen to its events (R21).
//
// Session ids are engine.sessionIdFor(identity): "s" + 16 hex digits of a SHA-256 over
// (flow, device id, pid or "cross-process", session GUID). The same identity gives the
// same id in every run, so the demo's sessions keep their ids across restarts; a new
// instance of an app (new pid) is a new session with a new id (R1, R2).
import type {
  AudioBackend,
  BackendEvent,
  BackendListener,
  Capabilities,
  DeviceRecord,
  DisconnectReason,
  DisplayNameSource,
  SessionRecord,
  SessionState,
} from '../types';
import { newSessionRecord } from '../session-events';
import { BackendError } from '../types';
import type { SimClock } from './clock';
import { realClock } from './clock';
import type { SimDemo } from './demo';
import { loadDemoScenario } from './demo';
import type { EndpointNotificationSink, SimDeviceInfo, SimProcessInfo } from './engine';
import { SimEngine } from './engine';
import type {
  DuckNotificationSink,
  SessionNotificationSink,
  SimSessionControl,
  SimSessionEnumerator,
  SimSessionIdentityInfo,
  SimSessionManager2,
} from './facade';
import type { HResult, Out } from './hresult';
import { AUDCLNT_E_DEVICE_INVALIDATED, E_INVALIDARG, E_NOTFOUND, S_OK, describeHResult, outParam, succeeded } from './hresult';
import { SYSTEM_SOUNDS_ICON } from './icons';
import { isGuid, sessionIdFor } from './identity';
import { openSessionStore } from './persistence';
import type { SessionEventsSink } from './session';
import { isUnitLevel } from './session';

export type SimScenarioName = 'demo' | 'empty';

export interface SimBackendOptions {
  /** Where render sessions' volume/mute persist (`<stateDir>/sim-sessions.json`); null: not at all. */
  stateDir: string | null;
  /** 'demo': the demo devices and apps (demo.ts); 'empty': nothing, for tests and scenario runs. */
  scenario: SimScenarioName;
  /** Let the demo's streams start and stop over time. */
  live: boolean;
  clock?: SimClock;
  onWarning?: (message: string) => void;
  /** Inactive -> expired (R9); the engine's default otherwise. */
  expireAfterMs?: number;
}

export interface SimBackend extends AudioBackend {
  readonly name: 'sim';
  /** The world behind the backend: tests, e2e and scenario runs drive it. */
  readonly engine: SimEngine;
  /** Handles into the demo scenario; null for 'empty'. */
  readonly demo: SimDemo | null;
}

export const SIM_CAPABILITIES: Capabilities = {
  peakMeters: true,
  channelVolumes: true,
  icons: true,
  deviceVolume: true,
  deviceMute: true,
  ducking: true,
};

export const SYSTEM_SOUNDS_LABEL = 'System Sounds';

export function createSimBackend(options: SimBackendOptions): SimBackend {
  if (options.scenario !== 'demo' && options.scenario !== 'empty') {
    throw new BackendError('invalid-argument', `unknown sim scenario "${String(options.scenario)}" (expected demo or empty)`);
  }
  return new SimAudioBackend(options);
}

/** What the display name rules need to know about a session. */
export interface DisplayNameFacts {
  /** What the client set (IAudioSessionControl::GetDisplayName), "" when nothing. */
  clientName: string;
  sessionGuid: string;
  crossProcess: boolean;
  isSystemSounds: boolean;
  exePath: string | null;
}

/**
 * R18/R19: System Sounds is labelled as such; else the client's name; else, for a
 * process-specific session, the app's main window title, its FileDescription, its
 * executable's name; a cross-process session without a client name gets a generic label.
 */
export function resolveDisplayName(
  facts: DisplayNameFacts,
  process: SimProcessInfo | undefined,
): { displayName: string; displayNameSource: DisplayNameSource } {
  if (facts.isSystemSounds) return { displayName: SYSTEM_SOUNDS_LABEL, displayNameSource: 'system-sounds' };
  if (facts.clientName.trim() !== '') return { displayName: facts.clientName, displayNameSource: 'client' };
  if (!facts.crossProcess) {
    if (process?.windowTitle.trim()) return { displayName: process.windowTitle, displayNameSource: 'window-title' };
    if (process?.fileDescription.trim()) return { displayName: process.fileDescription, displayNameSource: 'file-description' };
    const exePath = process?.exePath ?? facts.exePath;
    if (exePath) return { displayName: fileName(exePath), displayNameSource: 'executable' };
  }
  return {
    displayName: `Shared audio session ${facts.sessionGuid.slice(1, 9).toLowerCase()}`,
    displayNameSource: 'generic',
  };
}

/** R17..R19: System Sounds' own icon; a client icon given as a data URL; else the app's icon (process-specific only). */
export function resolveIcon(
  facts: { iconPath: string; crossProcess: boolean; isSystemSounds: boolean },
  process: SimProcessInfo | undefined,
): string | null {
  if (facts.isSystemSounds) return SYSTEM_SOUNDS_ICON;
  if (facts.iconPath.startsWith('data:')) return facts.iconPath;
  if (facts.crossProcess) return null;
  return process?.icon ?? null;
}

interface TrackedSession {
  id: string;
  deviceId: string;
  control: SimSessionControl;
  identity: SimSessionIdentityInfo;
  instanceIdentifier: string;
  isSystemSounds: boolean;
  events: SessionEventsSink;
  disconnected: DisconnectReason | null;
}

interface DeviceListening {
  manager: SimSessionManager2;
  created: SessionNotificationSink;
  duck: DuckNotificationSink;
}

class SimAudioBackend implements SimBackend {
  readonly name = 'sim' as const;
  readonly capabilities = SIM_CAPABILITIES;
  readonly pollIntervalMs = null;
  readonly engine: SimEngine;
  readonly demo: SimDemo | null;

  private readonly warn: (message: string) => void;
  private readonly devices = new Map<string, DeviceListening>();
  private readonly sessions = new Map<string, TrackedSession>();
  private readonly listeners = new Set<BackendListener>();
  private readonly endpointSink: EndpointNotificationSink;
  private closed = false;

  constructor(options: SimBackendOptions) {
    this.warn = options.onWarning ?? ((message) => console.warn(`sndmix sim: ${message}`));
    const clock = options.clock ?? realClock;
    this.engine = new SimEngine({
      clock,
      expireAfterMs: options.expireAfterMs,
      onWarning: this.warn,
      settingsStore: openSessionStore({ stateDir: options.stateDir, clock, onWarning: this.warn }),
    });
    this.demo = options.scenario === 'demo' ? loadDemoScenario(this.engine, { live: options.live }) : null;
    this.endpointSink = {
      onDeviceAdded: (device) => this.emit({ type: 'device-added', device: toDeviceRecord(device) }),
      onDeviceRemoved: (deviceId) => {
        this.stopListening(deviceId);
        this.emit({ type: 'device-removed', deviceId });
      },
      onDeviceChanged: (device) => this.emit({ type: 'device-changed', device: toDeviceRecord(device) }),
      onDefaultDeviceChanged: (flow, role, deviceId) => this.emit({ type: 'default-device-changed', flow, role, deviceId }),
    };
    this.engine.registerEndpointNotificationCallback(this.endpointSink);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    this.assertOpen();
    return this.engine.listDevices().map(toDeviceRecord);
  }

  async listSessions(deviceId: string): Promise<SessionRecord[]> {
    this.assertOpen();
    const manager = this.listenTo(deviceId);
    const enumerator = call<SimSessionEnumerator>('enumerate sessions', (out) => manager.getSessionEnumerator(out));
    const count = call<number>('count sessions', (out) => enumerator.getCount(out));
    const records: SessionRecord[] = [];
    for (let index = 0; index < count; index += 1) {
      const control = call<SimSessionControl>('read a session', (out) => enumerator.getSession(index, out));
      records.push(this.readRecord(this.track(control, deviceId).entry));
    }
    return records;
  }

  async setSessionVolume(sessionId: string, volume: number, eventContext: string): Promise<void> {
    const entry = this.usableSession(sessionId);
    requireLevel(volume, 'volume');
    requireEventContext(eventContext);
    check('set the session volume', entry.control.setMasterVolume(volume, eventContext));
  }

  async setSessionMute(sessionId: string, muted: boolean, eventContext: string): Promise<void> {
    const entry = this.usableSession(sessionId);
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', 'muted must be true or false');
    requireEventContext(eventContext);
    check('set the session mute', entry.control.setMute(muted, eventContext));
  }

  async setChannelVolume(sessionId: string, channel: number, volume: number, eventContext: string): Promise<void> {
    const entry = this.usableSession(sessionId);
    requireLevel(volume, 'volume');
    requireEventContext(eventContext);
    const channels = call<number>('count channels', (out) => entry.control.getChannelCount(out));
    if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
      throw new BackendError('invalid-argument', `channel ${channel} is out of range: the session has ${channels} channels`);
    }
    check('set a channel volume', entry.control.setChannelVolume(channel, volume, eventContext));
  }

  async setDeviceVolume(deviceId: string, volume: number): Promise<void> {
    this.assertOpen();
    requireLevel(volume, 'volume');
    this.requireDevice(deviceId);
    this.engine.setDeviceVolume(deviceId, volume);
  }

  async setDeviceMute(deviceId: string, muted: boolean): Promise<void> {
    this.assertOpen();
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', 'muted must be true or false');
    this.requireDevice(deviceId);
    this.engine.setDeviceMute(deviceId, muted);
  }

  /** Peaks of the known, connected sessions among `sessionIds`; others are left out (they may have just gone). */
  async getPeaks(sessionIds: readonly string[]): Promise<Record<string, number>> {
    this.assertOpen();
    const peaks: Record<string, number> = {};
    for (const id of sessionIds) {
      const entry = this.sessions.get(id);
      if (!entry || entry.disconnected) continue;
      const out = outParam<number>();
      if (entry.control.getPeakValue(out) === S_OK && out.value !== undefined) peaks[id] = out.value;
    }
    return peaks;
  }

  subscribe(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.demo?.stop();
    for (const deviceId of [...this.devices.keys()]) this.stopListening(deviceId);
    for (const entry of this.sessions.values()) entry.control.unregisterAudioSessionNotification(entry.events);
    this.sessions.clear();
    this.engine.unregisterEndpointNotificationCallback(this.endpointSink);
    this.listeners.clear();
    await this.engine.close();
  }

  // ---- Internals ---------------------------------------------------------------------

  /** The device's session manager, listening for new sessions and ducking from the first enumeration on. */
  private listenTo(deviceId: string): SimSessionManager2 {
    const known = this.devices.get(deviceId);
    if (known) return known.manager;
    const manager = call<SimSessionManager2>(`open the session manager of device "${deviceId}"`, (out) =>
      this.engine.activateSessionManager(deviceId, out),
    );
    const created: SessionNotificationSink = {
      onSessionCreated: (control) => {
        const { entry, isNew } = this.track(control, deviceId);
        if (isNew) this.emit({ type: 'session-created', session: this.readRecord(entry) });
      },
    };
    const duck: DuckNotificationSink = {
      onVolumeDuckNotification: (instance, communicationSessions) => {
        const sessionId = this.sessionIdOfInstance(instance);
        if (sessionId) this.emit({ type: 'duck', deviceId, sessionId, communicationSessions });
      },
      onVolumeUnduckNotification: (instance) => {
        const sessionId = this.sessionIdOfInstance(instance);
        if (sessionId) this.emit({ type: 'unduck', deviceId, sessionId });
      },
    };
    check('listen for new sessions', manager.registerSessionNotification(created));
    check('listen for ducking', manager.registerDuckNotification(null, duck));
    this.devices.set(deviceId, { manager, created, duck });
    return manager;
  }

  private stopListening(deviceId: string): void {
    const listening = this.devices.get(deviceId);
    if (!listening) return;
    this.devices.delete(deviceId);
    listening.manager.unregisterSessionNotification(listening.created);
    listening.manager.unregisterDuckNotification(listening.duck);
  }

  /** Follows a session's events; a session seen again (re-enumerated) keeps its one listener. */
  private track(control: SimSessionControl, deviceId: string): { entry: TrackedSession; isNew: boolean } {
    const identity = call<SimSessionIdentityInfo>('read the session identity', (out) => control.getSessionIdentity(out));
    const instanceIdentifier = call<string>('read the session instance identifier', (out) => control.getSessionInstanceIdentifier(out));
    const id = sessionIdFor(identity);
    const known = this.sessions.get(id);
    if (known && known.instanceIdentifier === instanceIdentifier) return { entry: known, isNew: false };
    // Same identity, new instance: the old one terminated or was disconnected.
    if (known) known.control.unregisterAudioSessionNotification(known.events);
    const systemSounds = control.isSystemSoundsSession();
    check('ask whether this is System Sounds', systemSounds);
    const entry: TrackedSession = {
      id,
      deviceId,
      control,
      identity,
      instanceIdentifier,
      isSystemSounds: systemSounds === S_OK,
      disconnected: null,
      events: this.sessionEvents(id),
    };
    check('listen to the session', control.registerAudioSessionNotification(entry.events));
    this.sessions.set(id, entry);
    return { entry, isNew: true };
  }

  private sessionEvents(id: string): SessionEventsSink {
    const entry = () => this.sessions.get(id);
    return {
      onDisplayNameChanged: (clientName) => {
        const tracked = entry();
        if (!tracked) return;
        const label = resolveDisplayName(this.displayFacts(tracked, clientName), this.processOf(tracked));
        this.emit({ type: 'display-name-changed', sessionId: id, ...label });
      },
      onIconPathChanged: (iconPath) => {
        const tracked = entry();
        if (!tracked) return;
        const icon = resolveIcon({ iconPath, ...this.iconFacts(tracked) }, this.processOf(tracked));
        this.emit({ type: 'icon-changed', sessionId: id, iconPath, icon });
      },
      onSimpleVolumeChanged: (volume, muted, eventContext) =>
        this.emit({ type: 'volume-changed', sessionId: id, volume, muted, eventContext }),
      onChannelVolumeChanged: (channelVolumes, changedChannel, eventContext) =>
        this.emit({ type: 'channel-volume-changed', sessionId: id, channelVolumes: [...channelVolumes], changedChannel, eventContext }),
      onGroupingParamChanged: (groupingParam, eventContext) =>
        this.emit({ type: 'grouping-changed', sessionId: id, groupingParam, eventContext }),
      onStateChanged: (state, terminated) => {
        if (terminated) {
          const tracked = entry();
          if (tracked) tracked.control.unregisterAudioSessionNotification(tracked.events);
          this.sessions.delete(id);
        }
        this.emit({ type: 'state-changed', sessionId: id, state, terminated });
      },
      onSessionDisconnected: (reason) => {
        const tracked = entry();
        if (tracked) tracked.disconnected = reason;
        this.emit({ type: 'disconnected', sessionId: id, reason });
      },
    };
  }

  private readRecord(entry: TrackedSession): SessionRecord {
    const { control, identity } = entry;
    const clientName = call<string>('read the display name', (out) => control.getDisplayName(out));
    const iconPath = call<string>('read the icon path', (out) => control.getIconPath(out));
    const process = this.processOf(entry);
    return newSessionRecord({
      id: entry.id,
      sessionGuid: identity.sessionGuid,
      crossProcess: identity.crossProcess,
      pid: identity.pid,
      processName: identity.exePath ? fileName(identity.exePath) : null,
      deviceId: identity.deviceId,
      flow: identity.flow,
      state: call<SessionState>('read the state', (out) => control.getState(out)),
      ...resolveDisplayName(this.displayFacts(entry, clientName), process),
      iconPath,
      icon: resolveIcon({ iconPath, ...this.iconFacts(entry) }, process),
      volume: call<number>('read the volume', (out) => control.getMasterVolume(out)),
      muted: call<boolean>('read the mute', (out) => control.getMute(out)),
      channelVolumes: call<number[]>('read the channel volumes', (out) => control.getAllVolumes(out)),
      isSystemSounds: entry.isSystemSounds,
      groupingParam: call<string>('read the grouping param', (out) => control.getGroupingParam(out)),
      sessionIdentifier: call<string>('read the session identifier', (out) => control.getSessionIdentifier(out)),
      sessionInstanceIdentifier: entry.instanceIdentifier,
      disconnected: entry.disconnected,
    });
  }

  private displayFacts(entry: TrackedSession, clientName: string): DisplayNameFacts {
    return {
      clientName,
      sessionGuid: entry.identity.sessionGuid,
      crossProcess: entry.identity.crossProcess,
      isSystemSounds: entry.isSystemSounds,
      exePath: entry.identity.exePath,
    };
  }

  private iconFacts(entry: TrackedSession): { crossProcess: boolean; isSystemSounds: boolean } {
    return { crossProcess: entry.identity.crossProcess, isSystemSounds: entry.isSystemSounds };
  }

  /** The owning process, as the OS would tell (process-specific sessions only). */
  private processOf(entry: TrackedSession): SimProcessInfo | undefined {
    return entry.identity.crossProcess ? undefined : this.engine.getProcess(entry.identity.pid);
  }

  private sessionIdOfInstance(instanceIdentifier: string): string | null {
    for (const entry of this.sessions.values()) {
      if (entry.instanceIdentifier === instanceIdentifier) return entry.id;
    }
    this.warn(`a duck notification named a session the backend does not know: ${instanceIdentifier}`);
    return null;
  }

  private usableSession(sessionId: string): TrackedSession {
    this.assertOpen();
    const entry = this.sessions.get(sessionId);
    if (!entry) throw new BackendError('not-found', `unknown session "${sessionId}"`);
    if (entry.disconnected) throw new BackendError('disconnected', `session "${sessionId}" was disconnected (${entry.disconnected})`);
    return entry;
  }

  private requireDevice(deviceId: string): void {
    if (!this.engine.getDevice(deviceId)) throw new BackendError('not-found', `unknown device "${deviceId}"`);
  }

  private assertOpen(): void {
    if (this.closed) throw new BackendError('unavailable', 'the sim backend is closed');
  }

  private emit(event: BackendEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.warn(`a backend listener threw on ${event.type}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function toDeviceRecord(device: SimDeviceInfo): DeviceRecord {
  return {
    id: device.id,
    name: device.name,
    flow: device.flow,
    state: 'active',
    defaultFor: [...device.defaultFor],
    volume: device.volume,
    muted: device.muted,
  };
}

/** Calls a facade method with an out-param; a failed HRESULT becomes a BackendError. */
function call<T>(what: string, invoke: (out: Out<T>) => HResult): T {
  const out = outParam<T>();
  check(what, invoke(out));
  if (out.value === undefined) throw new BackendError('os-error', `cannot ${what}: no value returned`);
  return out.value;
}

function check(what: string, hr: HResult): void {
  if (succeeded(hr)) return;
  const message = `cannot ${what}: ${describeHResult(hr)}`;
  if (hr === E_NOTFOUND) throw new BackendError('not-found', message);
  if (hr === AUDCLNT_E_DEVICE_INVALIDATED) throw new BackendError('disconnected', message);
  if (hr === E_INVALIDARG) throw new BackendError('invalid-argument', message);
  throw new BackendError('os-error', message);
}

function requireLevel(value: number, what: string): void {
  if (!isUnitLevel(value)) throw new BackendError('invalid-argument', `${what} must be a number from 0 to 1, got ${String(value)}`);
}

function requireEventContext(eventContext: string): void {
  if (!isGuid(eventContext)) throw new BackendError('invalid-argument', `eventContext must be a GUID, got ${JSON.stringify(eventContext)}`);
}

/** The file name of a Windows (or POSIX) path. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
