// The one interface every audio backend implements (coreaudio, pulse, sim).
// Platform-neutral: knows nothing of Electron, React or transports.

export type BackendName = 'coreaudio' | 'pulse' | 'sim';
export const BACKEND_NAMES: readonly BackendName[] = ['coreaudio', 'pulse', 'sim'];

export type Flow = 'render' | 'capture';
export type SessionState = 'active' | 'inactive' | 'expired';
export type DeviceState = 'active' | 'disabled' | 'notpresent' | 'unplugged';
/** ERole in Core Audio: console, multimedia, communications. */
export type DeviceRole = 'console' | 'multimedia' | 'communications';
export const DEVICE_ROLES: readonly DeviceRole[] = ['console', 'multimedia', 'communications'];

/** AudioSessionDisconnectReason by name, in the order of the enum's values (DisconnectReasonDeviceRemoval = 0, ...). */
export const DISCONNECT_REASONS = [
  'device-removed',
  'server-shutdown',
  'format-changed',
  'session-logoff',
  'session-disconnected',
  'exclusive-mode-override',
] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** The null GUID: a session GUID of a process's default session (R5), a grouping param meaning none (R20). */
export const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';

/** Where a session's display name came from (R17..R19), so QA can see why it reads as it does. */
/** Where a session's display name came from ('package': a packaged app's manifest). */
export const DISPLAY_NAME_SOURCES = ['client', 'package', 'window-title', 'file-description', 'executable', 'system-sounds', 'generic'] as const;
export type DisplayNameSource = (typeof DISPLAY_NAME_SOURCES)[number];

export interface SessionRecord {
  /** Stable key derived from the session's identity (R1). */
  id: string;
  sessionGuid: string;
  crossProcess: boolean;
  /** 0 for cross-process sessions. */
  pid: number;
  processName: string | null;
  deviceId: string;
  flow: Flow;
  state: SessionState;
  displayName: string;
  displayNameSource: DisplayNameSource;
  /** The icon path exactly as the client gave it ("" when none). */
  iconPath: string;
  /** The resolved icon as a data URL, when known. */
  icon: string | null;
  volume: number;
  muted: boolean;
  channelVolumes: number[];
  isSystemSounds: boolean;
  groupingParam: string;
  sessionIdentifier: string;
  sessionInstanceIdentifier: string;
  /** Set once the session was disconnected (R21, R25); the record stays until removed. */
  disconnected: DisconnectReason | null;
  /**
   * What the session's streams say they play, one title per stream that gives one
   * (PulseAudio's media.name); empty where the platform has no such thing (Core Audio).
   */
  mediaTitles: string[];
  /**
   * How many streams the session has now (a count that only grows is a leak QA looks for);
   * null where the platform does not say (Core Audio lists no streams per session).
   */
  streamCount: number | null;
  /**
   * Where the session's app sends this flow, where the backend can send an app to a device
   * (capabilities.outputDevice): the flow's default device, or a device it is pinned to (the
   * user's or the app's choice). null where that is not known: no such capability, or a
   * session of no one app (System Sounds, shared sessions).
   */
  outputRoute: OutputRoute | null;
}

/** An app following the default device of its flow, or pinned to one device. */
export type OutputRoute = { kind: 'follows-default' } | { kind: 'pinned'; deviceId: string };

export interface DeviceRecord {
  id: string;
  name: string;
  flow: Flow;
  state: DeviceState;
  /** The roles this device is the default endpoint for. */
  defaultFor: DeviceRole[];
  /** Endpoint master volume and mute; null where the backend cannot read them. */
  volume: number | null;
  muted: boolean | null;
  /**
   * The endpoint volume's range in dB where the platform tells it (Core Audio's
   * IAudioEndpointVolume::GetVolumeRange; PulseAudio's cubic volume curve for sinks with
   * dB volume); absent or null where unknown. The percent<->dB mapping is core/volume-scale.ts.
   */
  volumeRangeDb?: VolumeRangeDb | null;
}

/**
 * How a 0..1 volume scalar maps to dB (core/volume-scale.ts does the arithmetic):
 * - 'cubic': PulseAudio's software volume, dB = 60 log10(scalar) (pa_sw_volume_to_dB);
 * - 'amplitude': a linear amplitude factor, dB = 20 log10(scalar) (Core Audio session volumes);
 * - 'linear-db': the scalar spans the range's minDb..maxDb evenly in dB.
 */
export type VolumeCurve = 'cubic' | 'amplitude' | 'linear-db';

/** An endpoint volume's range: the device's 0 and 100 % in dB, its step (0 when continuous), and its curve. */
export interface VolumeRangeDb {
  minDb: number;
  maxDb: number;
  stepDb: number;
  curve: VolumeCurve;
}

/** What a backend can do; the UI hides what it cannot. */
export interface Capabilities {
  peakMeters: boolean;
  channelVolumes: boolean;
  icons: boolean;
  deviceVolume: boolean;
  deviceMute: boolean;
  ducking: boolean;
  /** An app's sessions can be sent to another playback device (setOutputDevice); absent means no. */
  outputDevice?: boolean;
  /** Endpoint peak meters (getDevicePeaks); absent means no. */
  devicePeakMeters?: boolean;
  /**
   * Volume events carry the changer's own event context (Core Audio does); false where the
   * platform only knows SndMix's own changes (PulseAudio), so others' changes are "outside".
   */
  foreignEventContexts?: boolean;
  /** How session volume scalars map to dB, for a dB scale; absent where unknown (percent only). */
  sessionVolumeCurve?: VolumeCurve;
}

export type BackendEvent =
  | { type: 'session-created'; session: SessionRecord }
  | {
      type: 'state-changed';
      sessionId: string;
      state: SessionState;
      /** True when the session ended with its last stream (R10) and is gone from the device. */
      terminated: boolean;
    }
  | { type: 'display-name-changed'; sessionId: string; displayName: string; displayNameSource: DisplayNameSource }
  | { type: 'icon-changed'; sessionId: string; iconPath: string; icon: string | null }
  | { type: 'volume-changed'; sessionId: string; volume: number; muted: boolean; eventContext: string }
  | {
      type: 'channel-volume-changed';
      sessionId: string;
      channelVolumes: number[];
      /** Index of the channel that changed, or -1 when all did. */
      changedChannel: number;
      eventContext: string;
    }
  | { type: 'grouping-changed'; sessionId: string; groupingParam: string; eventContext: string }
  | { type: 'disconnected'; sessionId: string; reason: DisconnectReason }
  /** The session's streams changed: what they say they play (a track change), how many there are. */
  | { type: 'streams-changed'; sessionId: string; mediaTitles: string[]; streamCount: number | null }
  /** The app was pinned to a device or set to follow the default again (SessionRecord.outputRoute). */
  | { type: 'output-route-changed'; sessionId: string; outputRoute: OutputRoute | null }
  | { type: 'device-added'; device: DeviceRecord }
  | { type: 'device-removed'; deviceId: string }
  | { type: 'device-changed'; device: DeviceRecord }
  | { type: 'default-device-changed'; flow: Flow; role: DeviceRole; deviceId: string | null }
  | { type: 'duck'; deviceId: string; sessionId: string; communicationSessions: number }
  | { type: 'unduck'; deviceId: string; sessionId: string };

export type BackendEventType = BackendEvent['type'];

export type BackendListener = (event: BackendEvent) => void;

/** A failure a backend reports on purpose; anything else thrown is a bug. */
export class BackendError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export type BackendErrorCode =
  | 'not-found'
  | 'not-supported'
  | 'disconnected'
  | 'unavailable'
  | 'invalid-argument'
  | 'os-error';

export interface AudioBackend {
  readonly name: BackendName;
  readonly capabilities: Capabilities;
  /** Reconcile-poll interval the host should run, or null when events alone are complete. */
  readonly pollIntervalMs: number | null;

  listDevices(): Promise<DeviceRecord[]>;
  /** Sessions of one device, expired ones included; terminated ones are gone. */
  listSessions(deviceId: string): Promise<SessionRecord[]>;

  setSessionVolume(sessionId: string, volume: number, eventContext: string): Promise<void>;
  setSessionMute(sessionId: string, muted: boolean, eventContext: string): Promise<void>;
  setChannelVolume(sessionId: string, channel: number, volume: number, eventContext: string): Promise<void>;
  setDeviceVolume(deviceId: string, volume: number): Promise<void>;
  setDeviceMute(deviceId: string, muted: boolean): Promise<void>;
  /** Current peak (0..1) per session id; only called when capabilities.peakMeters. */
  getPeaks(sessionIds: readonly string[]): Promise<Record<string, number>>;
  /** Current peak (0..1) per device id; only called when capabilities.devicePeakMeters. */
  getDevicePeaks?(deviceIds: readonly string[]): Promise<Record<string, number>>;
  /**
   * Sends the session's app to a playback device (null: back to following the default).
   * PulseAudio moves the app's streams; Windows sets the app's per-app default endpoint.
   * Only called when capabilities.outputDevice; throws BackendError 'not-supported' with
   * the reason where the platform turns out not to have it.
   */
  setOutputDevice?(sessionId: string, deviceId: string | null): Promise<void>;

  /** Events arrive after the first listSessions of a device (R22). Returns unsubscribe. */
  subscribe(listener: BackendListener): () => void;
  /**
   * For backends that can lose their audio system (a sound server that goes away): called
   * with why when it is lost, with null when it is back. Returns unsubscribe.
   */
  onConnectionChange?(listener: (disconnected: string | null) => void): () => void;
  close(): Promise<void>;
}
