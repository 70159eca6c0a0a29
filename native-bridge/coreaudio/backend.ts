// The 'coreaudio' AudioBackend: SndMix's view of Windows Core Audio. The logic talks to an
// AudioSystem (system.ts): on Windows the COM layer (com-system.ts); under `--backend sim`
// and in the tests, the simulated Windows (sim/system.ts). It never touches FFI itself.
//
// This file is the AudioBackend face: arguments checked, commands passed on. The jobs
// behind it: device-registry.ts (endpoints and device notifications), session-lifecycle.ts
// (sessions from creation to end, R21/R22/R25), session-names.ts (names and icons,
// R17..R19), hresult-outcome.ts (what a failed call means), audio-service.ts (the audio
// service stopping and coming back, told as onConnectionChange). A method Windows (or Wine)
// does not implement (E_NOTIMPL, E_NOINTERFACE) makes that capability "not supported"
// and is not called again.
import { canonicalGuid, GUID_NULL, isGuidText, newGuid } from '../com/guid';
import type {
  AudioBackend,
  BackendEvent,
  BackendListener,
  BackendName,
  Capabilities,
  DeviceRecord,
  Flow,
  SessionRecord,
} from '../types';
import { BackendError } from '../types';
import { AudioServiceState } from './audio-service';
import type { BackendContext } from './backend-context';
import { isUnitLevel } from '../windows-rules/volume-level';
import { DeviceRegistry } from './device-registry';
import { describe } from './hresult-outcome';
import { AppOutput } from './app-output';
import { SessionLifecycle } from './session-lifecycle';
import type { AudioSystem } from './system';

export const DEFAULT_POLL_INTERVAL_MS = 2000;

export interface CoreAudioBackendOptions {
  /** Reconcile-poll interval the host should run (default 2000 ms); null: rely on notifications alone. */
  pollIntervalMs?: number | null;
  /** The OS layer. Default: Core Audio through COM (Windows only); the sim passes its simulated Windows. */
  system?: AudioSystem;
  /** What the backend calls itself: 'coreaudio', or 'sim' when the system is the simulated Windows. */
  name?: BackendName;
  platform?: NodeJS.Platform;
  onWarning?: (message: string) => void;
}

/** Opens the backend: Core Audio through COM on Windows, or the given system. */
export async function createCoreAudioBackend(options: CoreAudioBackendOptions = {}): Promise<CoreAudioBackend> {
  const pollIntervalMs = options.pollIntervalMs === undefined ? DEFAULT_POLL_INTERVAL_MS : options.pollIntervalMs;
  if (pollIntervalMs !== null && (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0)) {
    throw new BackendError('invalid-argument', `pollIntervalMs must be a positive number or null, got ${pollIntervalMs}`);
  }
  const name = options.name ?? 'coreaudio';
  const warn = options.onWarning ?? ((message: string) => console.warn(`sndmix ${name}: ${message}`));
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
  // Only where there can be packages: their XML parser is a third of what the CLI loads for the sim.
  const packages = system.runsPackagedApps ? await import('./app-package') : null;
  const backend = new CoreAudioBackend(system, { name, pollIntervalMs, warn, packages });
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

export class CoreAudioBackend implements AudioBackend {
  readonly name: BackendName;
  readonly pollIntervalMs: number | null;
  readonly capabilities: Capabilities = {
    peakMeters: false,
    channelVolumes: true,
    icons: true,
    deviceVolume: true,
    deviceMute: true,
    ducking: true,
    // Proven at start: whether this Windows has the per-app default endpoint (app-output.ts).
    outputDevice: false,
    // Endpoint meters come with the session meters (the device probe sets both).
    devicePeakMeters: false,
    // Volume notifications carry the changer's own event context.
    foreignEventContexts: true,
    // A session's level is one of the factors the engine multiplies each sample by
    // (ISimpleAudioVolume: 0.0 silence .. 1.0 no attenuation): an amplitude factor.
    sessionVolumeCurve: 'amplitude',
  };
  /** SndMix's own event context for changes the AudioBackend interface gives none (device volume). */
  readonly eventContext = newGuid();

  private readonly listeners = new Set<BackendListener>();
  /** Event contexts as the host spelled them, by canonical GUID, so echoes come back the same. */
  private readonly contextSpellings = new Map<string, string>();
  private readonly warned = new Set<string>();
  private readonly appOutput: AppOutput;
  private readonly warnOnce: (key: string, message: string) => void;
  private readonly devices: DeviceRegistry;
  private readonly sessions: SessionLifecycle;
  private readonly service = new AudioServiceState();
  private closed = false;

  constructor(
    private readonly system: AudioSystem,
    options: { name: BackendName; pollIntervalMs: number | null; warn: (message: string) => void; packages: BackendContext['packages'] },
  ) {
    this.name = options.name;
    this.pollIntervalMs = options.pollIntervalMs;
    this.warnOnce = (key, message) => {
      if (this.warned.has(key)) return;
      this.warned.add(key);
      options.warn(message);
    };
    const context: BackendContext = {
      system,
      packages: options.packages,
      capabilities: this.capabilities,
      eventContext: this.eventContext,
      isClosed: () => this.closed,
      emit: (event) => this.emit(event),
      warnOnce: this.warnOnce,
    };
    this.appOutput = new AppOutput(context);
    this.devices = new DeviceRegistry(context, (deviceId, reason) => this.sessions.dropSessionsOf(deviceId, reason));
    this.sessions = new SessionLifecycle(context, this.devices, (eventContext) => this.contextSpelling(eventContext), this.service, this.appOutput);
  }

  /** Capabilities the platform proves at start, and the device notifications. */
  async start(): Promise<void> {
    this.appOutput.start();
    await this.devices.start();
  }

  /** Live COM references and sinks behind this backend's system (0 once closed). */
  liveReferences(): number {
    return this.system.liveReferences();
  }

  subscribe(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The Windows audio service stopping (with why) and coming back (null). */
  onConnectionChange(listener: (disconnected: string | null) => void): () => void {
    return this.service.onChange(listener);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    this.assertOpen();
    return this.devices.listDevices();
  }

  async setDeviceVolume(deviceId: string, volume: number): Promise<void> {
    this.assertOpen();
    if (!isUnitLevel(volume)) throw new BackendError('invalid-argument', `volume must be within 0..1, got ${volume}`);
    await this.devices.setVolume(deviceId, volume);
  }

  async setDeviceMute(deviceId: string, muted: boolean): Promise<void> {
    this.assertOpen();
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', 'muted must be a boolean');
    await this.devices.setMute(deviceId, muted);
  }

  async listSessions(deviceId: string): Promise<SessionRecord[]> {
    this.assertOpen();
    return this.sessions.list(deviceId);
  }

  /**
   * Opens this process's session with a GUID on a device and follows it like an
   * enumerated one: how sessions are reached where enumeration is not implemented (Wine's
   * GetSessionEnumerator), and how tests reach the sessions of their own streams.
   */
  async trackSession(deviceId: string, sessionGuid: string, crossProcess = false): Promise<SessionRecord> {
    this.assertOpen();
    if (!isGuidText(sessionGuid)) throw new BackendError('invalid-argument', `not a GUID: ${JSON.stringify(sessionGuid)}`);
    return this.sessions.track(deviceId, canonicalGuid(sessionGuid), crossProcess);
  }

  async setSessionVolume(sessionId: string, volume: number, eventContext: string): Promise<void> {
    this.assertOpen();
    const entry = this.sessions.controllable(sessionId, 'volume');
    if (!isUnitLevel(volume)) throw new BackendError('invalid-argument', `volume must be within 0..1, got ${volume}`);
    const context = this.hostContext(eventContext);
    await this.sessions.call(entry, 'volume', () => entry.control.setVolume(volume, context));
    entry.record.volume = volume;
  }

  async setSessionMute(sessionId: string, muted: boolean, eventContext: string): Promise<void> {
    this.assertOpen();
    const entry = this.sessions.controllable(sessionId, 'volume');
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', 'muted must be a boolean');
    const context = this.hostContext(eventContext);
    await this.sessions.call(entry, 'volume', () => entry.control.setMute(muted, context));
    entry.record.muted = muted;
  }

  async setChannelVolume(sessionId: string, channel: number, volume: number, eventContext: string): Promise<void> {
    this.assertOpen();
    const entry = this.sessions.controllable(sessionId, 'channels');
    if (!isUnitLevel(volume)) throw new BackendError('invalid-argument', `volume must be within 0..1, got ${volume}`);
    const context = this.hostContext(eventContext);
    const channels = this.sessions.read(entry, 'channels', () => entry.control.channelVolumes());
    if (!Number.isInteger(channel) || channel < 0 || channel >= channels.length) {
      throw new BackendError('invalid-argument', `channel ${channel} is out of range: the session has ${channels.length} channels`);
    }
    await this.sessions.call(entry, 'channels', () => entry.control.setChannelVolume(channel, volume, context));
    entry.record.channelVolumes = channels.map((level, index) => (index === channel ? volume : level));
  }

  /**
   * Sets the app's per-app default endpoint (null: follow the default again). Windows moves
   * its streams: the session ends on its device and the app's session appears on the new one.
   */
  async setOutputDevice(sessionId: string, deviceId: string | null): Promise<void> {
    this.assertOpen();
    if (deviceId !== null && typeof deviceId !== 'string') throw new BackendError('invalid-argument', 'deviceId must be a string or null');
    const { record } = this.sessions.controllable(sessionId);
    await this.appOutput.set(record, deviceId);
    this.sessions.rereadRoute(record);
  }

  /** The app's own output device (its persisted default endpoint) for the flow; null when it follows the default. */
  appOutputDevice(pid: number, flow: Flow): string | null {
    this.assertOpen();
    return this.appOutput.persistedDevice(pid, flow);
  }

  async getPeaks(sessionIds: readonly string[]): Promise<Record<string, number>> {
    this.assertOpen();
    if (!this.capabilities.peakMeters) throw new BackendError('not-supported', 'peak meters are not available here');
    return this.sessions.peaks(sessionIds);
  }

  async getDevicePeaks(deviceIds: readonly string[]): Promise<Record<string, number>> {
    this.assertOpen();
    if (!this.capabilities.devicePeakMeters) throw new BackendError('not-supported', 'endpoint peak meters are not available here');
    return this.devices.peaks(deviceIds);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.devices.close();
    this.listeners.clear();
    this.service.clear();
    await this.system.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new BackendError('unavailable', `the ${this.name} backend is closed`);
  }

  private hostContext(eventContext: string): string {
    if (!isGuidText(eventContext)) {
      throw new BackendError('invalid-argument', `eventContext must be a GUID, got ${JSON.stringify(eventContext)}`);
    }
    const canonical = canonicalGuid(eventContext);
    this.contextSpellings.set(canonical, eventContext);
    return canonical;
  }

  private contextSpelling(context: string): string {
    if (!isGuidText(context)) return context || GUID_NULL;
    const canonical = canonicalGuid(context);
    return this.contextSpellings.get(canonical) ?? canonical;
  }

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
}
