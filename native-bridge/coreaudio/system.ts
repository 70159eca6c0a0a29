// The seam between the coreaudio backend's logic and the operating system. The Windows
// implementation (com-system.ts) is a thin layer over the COM interfaces and Win32;
// `--backend sim` and the unit tests drive the logic through the simulated Windows
// (sim/system.ts; coreaudio/testing/stubbed-system.ts adds what the sim does not model).
// Failures are thrown as ComError with the HRESULT Windows gave (E_NOTIMPL,
// AUDCLNT_E_DEVICE_INVALIDATED, E_NOTFOUND...), so the logic decides what they mean.
import type { PropertyKey } from '../com/interface';
import type { DeviceRole, DeviceState, Flow, SessionState } from '../types';

export interface EndpointInfo {
  id: string;
  name: string;
  flow: Flow;
  state: DeviceState;
}

export interface EndpointVolumeReading {
  volume: number;
  muted: boolean;
}

/** IAudioEndpointVolume::GetVolumeRange: the endpoint's volume in dB at 0 and 100 %, and its step. */
export interface EndpointVolumeRange {
  minDb: number;
  maxDb: number;
  incrementDb: number;
}

/**
 * The per-app default endpoint Windows keeps for each app (what its own volume mixer's
 * "Output" list and EarTrumpet set): the undocumented IAudioPolicyConfigFactory.
 * Windows moves the app's streams that follow the default to that endpoint.
 */
export interface AppEndpointPolicy {
  /** The app's own endpoint for the flow (role multimedia), or null when it follows the system default. */
  persistedEndpoint(pid: number, flow: Flow): string | null;
  /** Sets it for the console and multimedia roles; null: back to following the system default. */
  setPersistedEndpoint(pid: number, flow: Flow, deviceId: string | null): Promise<void>;
}

/** Why this Windows has no per-app default endpoint (no such class, neither interface answers). */
export interface AppEndpointPolicyAbsent {
  unsupported: string;
}

/** A registration with Core Audio; stop() unregisters (off the main thread) and releases. */
export interface Watch {
  stop(): Promise<void>;
}

export interface EndpointEvents {
  deviceAdded(deviceId: string): void;
  deviceRemoved(deviceId: string): void;
  stateChanged(deviceId: string, state: DeviceState): void;
  defaultChanged(flow: Flow, role: DeviceRole, deviceId: string | null): void;
  propertyChanged(deviceId: string, key: PropertyKey): void;
}

export interface EndpointVolumeEvent {
  volume: number;
  muted: boolean;
  eventContext: string;
}

export interface SessionEvents {
  displayNameChanged(displayName: string, eventContext: string): void;
  iconPathChanged(iconPath: string, eventContext: string): void;
  volumeChanged(volume: number, muted: boolean, eventContext: string): void;
  channelVolumeChanged(channelVolumes: number[], changedChannel: number, eventContext: string): void;
  groupingParamChanged(groupingParam: string, eventContext: string): void;
  stateChanged(state: SessionState): void;
  disconnected(reason: number): void;
}

export interface DuckEvents {
  duck(sessionInstanceIdentifier: string, communicationSessions: number): void;
  unduck(sessionInstanceIdentifier: string): void;
}

export interface ProcessOwner {
  /** 0 for a cross-process session. */
  pid: number;
  crossProcess: boolean;
}

export interface SessionControl {
  /** The GUID the session was opened by, when it was opened by GUID (not enumerated). */
  readonly openedGuid: string | null;
  state(): SessionState;
  owner(): ProcessOwner;
  isSystemSounds(): boolean;
  displayName(): string;
  iconPath(): string;
  groupingParam(): string;
  sessionIdentifier(): string;
  sessionInstanceIdentifier(): string;
  volume(): { volume: number; muted: boolean };
  channelVolumes(): number[];
  /** Current peak 0..1 (IAudioMeterInformation). */
  peak(): number;
  setVolume(volume: number, eventContext: string): Promise<void>;
  setMute(muted: boolean, eventContext: string): Promise<void>;
  setChannelVolume(channel: number, volume: number, eventContext: string): Promise<void>;
  watch(events: SessionEvents): Promise<Watch>;
  release(): void;
}

export interface SessionManager {
  /** Every session of the device (IAudioSessionEnumerator); the caller releases each. */
  listSessions(): SessionControl[];
  /** This process's session with that GUID on the device (created if it does not exist). */
  openSession(sessionGuid: string, crossProcess: boolean): SessionControl;
  watchSessions(created: (control: SessionControl) => void): Promise<Watch>;
  watchDucking(events: DuckEvents): Promise<Watch>;
  release(): void;
}

export interface Endpoint {
  readonly id: string;
  volume(): EndpointVolumeReading;
  setVolume(volume: number, eventContext: string): Promise<void>;
  setMute(muted: boolean, eventContext: string): Promise<void>;
  watchVolume(changed: (event: EndpointVolumeEvent) => void): Promise<Watch>;
  sessionManager(): SessionManager;
  /** Whether the endpoint offers peak meters (IAudioMeterInformation activates). */
  hasMeter(): boolean;
  /** The endpoint's current peak 0..1 (its own IAudioMeterInformation: everything it plays, mixed). */
  peak(): number;
  /** IAudioEndpointVolume::GetVolumeRange. */
  volumeRange(): EndpointVolumeRange;
  release(): void;
}

export interface ProcessDetails {
  /**
   * The executable's full path; only its file name where the OS tells no more (a process
   * that cannot be opened, on a system without SystemProcessIdInformation); null when unknown.
   */
  executablePath: string | null;
  /** A packaged (Store / MSIX) app's package full name (GetPackageFullName); null for other processes. */
  packageFullName: string | null;
  /** Its application user model id, "<package family>!<application id>" (GetApplicationUserModelId). */
  appUserModelId: string | null;
}

export interface AudioSystem {
  /** Render and capture endpoints, in every state. */
  listEndpoints(): EndpointInfo[];
  endpointInfo(deviceId: string): EndpointInfo;
  defaultEndpointId(flow: Flow, role: DeviceRole): string | null;
  openEndpoint(deviceId: string): Endpoint;
  watchEndpoints(events: EndpointEvents): Promise<Watch>;
  /** The per-app default endpoint, or why there is none on this Windows (asked once, at start). */
  appEndpointPolicy(): AppEndpointPolicy | AppEndpointPolicyAbsent;

  /**
   * Whether apps here can run from packages (Store / MSIX): the package lookups (app-package.ts,
   * with its XML parser) load at start only where they can find something.
   */
  readonly runsPackagedApps: boolean;
  processDetails(pid: number): ProcessDetails;
  /** Visible, unowned top-level window titles of the given processes (one window walk for all). */
  mainWindowTitles(pids: readonly number[]): Map<number, string>;
  /** Where a package is installed (GetPackagePathByFullName); null when the OS does not say. */
  packageInstallPath(packageFullName: string): string | null;
  /** A native image path ("\\Device\\HarddiskVolume3\\...", as session identifiers give it) as a drive path; null when no drive maps it. */
  win32Path(nativePath: string): string | null;
  /** The FileDescription of an executable's version resource. */
  fileDescription(executablePath: string): string | null;
  /** An "@dll,-id" indirect string resolved (SHLoadIndirectString); null when it does not resolve. */
  resolveIndirectString(text: string): string | null;
  /** A PNG data URL of an icon: "file,-resourceId", "file,index", an .ico file, or an executable. */
  renderIcon(iconPath: string): string | null;

  /** Live COM references and sinks (exact accounting: both return to 0 after close). */
  liveReferences(): number;
  close(): Promise<void>;
}
