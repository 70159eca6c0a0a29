// One audio session's state and the per-session notifications (IAudioSessionEvents, R21).
// Mutations are shared by the mixer (sim/system.ts) and by the client app (which the
// engine checks for R16 first); each returns the HRESULT the Core Audio call would.
// Event contexts are passed on exactly as the caller spelled them.
import { canonicalGuid, isGuidText } from '../com/guid';
import type { HResult } from '../com/hresult';
import { AUDCLNT_E_DEVICE_INVALIDATED, E_INVALIDARG, E_UNEXPECTED, S_OK } from '../com/hresult';
import type { SessionEvents } from '../coreaudio/system';
import type { DeviceRole, DisconnectReason, SessionState } from '../types';
import { disconnectReasonCode } from '../windows-rules/disconnect-reasons';
import type { SessionIdentity } from '../windows-rules/session-identity';
import { isUnitLevel } from '../windows-rules/volume-level';
import type { TimerHandle } from './clock';
import { tellEach } from './listeners';

export interface StreamCore {
  readonly id: number;
  /** 0 for the system's own stream of the System Sounds session. */
  readonly pid: number;
  /** Fixed for the stream's lifetime (R7). */
  readonly session: SessionCore;
  readonly communications: boolean;
  readonly loopback: boolean;
  /**
   * Opened on the default device for `role` (no device named): Windows reroutes such a
   * stream when its app's own default endpoint changes (R26) and, while the app has none,
   * when the system default for `role` moves (R27); see streams.ts.
   */
  readonly followsDefault: boolean;
  readonly role: DeviceRole;
  running: boolean;
  /** Its device went away or its session was disconnected: every call but release fails (R25). */
  invalidated: boolean;
  /** Started as a communications stream on the default communications device (R23). */
  ducking: boolean;
}

export interface SessionHooks {
  /** Volume or mute changed: the engine persists render sessions' settings (R14). */
  settingsChanged(session: SessionCore): void;
  /** A listener threw; the session goes on notifying the others. */
  sinkFailed(error: unknown): void;
}

export interface SessionInit {
  id: string;
  identity: SessionIdentity;
  /** The owning app's executable for a process-specific session, else null. */
  exePath: string | null;
  isSystemSounds: boolean;
  sessionIdentifier: string;
  sessionInstanceIdentifier: string;
  volume: number;
  muted: boolean;
  channelCount: number;
  displayName: string;
  iconPath: string;
  groupingParam: string;
}

export class SessionCore {
  readonly id: string;
  readonly identity: SessionIdentity;
  readonly exePath: string | null;
  readonly isSystemSounds: boolean;
  readonly sessionIdentifier: string;
  readonly sessionInstanceIdentifier: string;
  state: SessionState = 'inactive';
  terminated = false;
  disconnected: DisconnectReason | null = null;
  volume: number;
  muted: boolean;
  channelVolumes: number[];
  displayName: string;
  iconPath: string;
  groupingParam: string;
  readonly streams = new Set<StreamCore>();
  /** Session controls handed out and not released: an expired session nothing holds is let go of by Windows (R9). */
  heldControls = 0;
  expiryTimer: TimerHandle | null = null;
  private readonly sinks = new Set<SessionEvents>();

  constructor(
    init: SessionInit,
    private readonly hooks: SessionHooks,
  ) {
    this.id = init.id;
    this.identity = init.identity;
    this.exePath = init.exePath;
    this.isSystemSounds = init.isSystemSounds;
    this.sessionIdentifier = init.sessionIdentifier;
    this.sessionInstanceIdentifier = init.sessionInstanceIdentifier;
    this.volume = init.volume;
    this.muted = init.muted;
    this.channelVolumes = Array.from({ length: init.channelCount }, () => 1);
    this.displayName = init.displayName;
    this.iconPath = init.iconPath;
    this.groupingParam = init.groupingParam;
  }

  /** Why a call on this session cannot be served, or null when it can. */
  unavailable(): HResult | null {
    if (this.disconnected) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (this.terminated) return E_UNEXPECTED;
    return null;
  }

  /** Disconnected or terminated first (R25), then the arguments. */
  private refusal(argumentsValid: boolean): HResult | null {
    return this.unavailable() ?? (argumentsValid ? null : E_INVALIDARG);
  }

  addSink(sink: SessionEvents): void {
    this.sinks.add(sink);
  }

  removeSink(sink: SessionEvents): void {
    this.sinks.delete(sink);
  }

  clearSinks(): void {
    this.sinks.clear();
  }

  setVolume(volume: number, eventContext: string): HResult {
    const refused = this.refusal(isUnitLevel(volume) && isGuidText(eventContext));
    if (refused !== null) return refused;
    this.volume = volume;
    this.notify((sink) => sink.volumeChanged(this.volume, this.muted, eventContext));
    this.hooks.settingsChanged(this);
    return S_OK;
  }

  setMute(muted: boolean, eventContext: string): HResult {
    const refused = this.refusal(typeof muted === 'boolean' && isGuidText(eventContext));
    if (refused !== null) return refused;
    this.muted = muted;
    this.notify((sink) => sink.volumeChanged(this.volume, this.muted, eventContext));
    this.hooks.settingsChanged(this);
    return S_OK;
  }

  setChannelVolume(channel: number, level: number, eventContext: string): HResult {
    const valid =
      Number.isInteger(channel) && channel >= 0 && channel < this.channelVolumes.length && isUnitLevel(level) && isGuidText(eventContext);
    const refused = this.refusal(valid);
    if (refused !== null) return refused;
    this.channelVolumes[channel] = level;
    const snapshot = [...this.channelVolumes];
    this.notify((sink) => sink.channelVolumeChanged(snapshot, channel, eventContext));
    return S_OK;
  }

  setDisplayName(displayName: string, eventContext: string): HResult {
    const refused = this.refusal(typeof displayName === 'string' && isGuidText(eventContext));
    if (refused !== null) return refused;
    this.displayName = displayName;
    this.notify((sink) => sink.displayNameChanged(displayName, eventContext));
    return S_OK;
  }

  setIconPath(iconPath: string, eventContext: string): HResult {
    const refused = this.refusal(typeof iconPath === 'string' && isGuidText(eventContext));
    if (refused !== null) return refused;
    this.iconPath = iconPath;
    this.notify((sink) => sink.iconPathChanged(iconPath, eventContext));
    return S_OK;
  }

  setGroupingParam(groupingParam: string, eventContext: string): HResult {
    // Canonical so that one app's "{abc..}" and another's "ABC.." group together (R20).
    const refused = this.refusal(isGuidText(groupingParam) && isGuidText(eventContext));
    if (refused !== null) return refused;
    this.groupingParam = canonicalGuid(groupingParam);
    this.notify((sink) => sink.groupingParamChanged(this.groupingParam, eventContext));
    return S_OK;
  }

  /**
   * Engine-driven: activity (R9) and termination (R10). Windows tells a terminated
   * session's listeners AudioSessionStateExpired, as it does after inactivity; the
   * session is then gone from its device's enumeration.
   */
  changeState(state: SessionState, terminated: boolean): void {
    this.state = state;
    this.terminated = terminated;
    this.notify((sink) => sink.stateChanged(state));
  }

  /** Engine-driven (R21, R25): the last notification this session sends. */
  disconnect(reason: DisconnectReason): void {
    this.disconnected = reason;
    this.notify((sink) => sink.disconnected(disconnectReasonCode(reason)));
  }

  private notify(deliver: (sink: SessionEvents) => void): void {
    tellEach(this.sinks, deliver, (error) => this.hooks.sinkFailed(error));
  }
}
