// The mixer side of the sim, shaped like the Core Audio interfaces a Windows mixer
// uses: IAudioSessionManager2 (per device), IAudioSessionEnumerator, and one object per
// session that merges IAudioSessionControl2, ISimpleAudioVolume, IChannelAudioVolume
// and IAudioMeterInformation. Methods return HRESULTs and fill out-params (R24, R25).
// This is the user's control program's view: unlike a client app (engine.client),
// it may change any session, System Sounds included (R16).
import type { SessionState } from '../types';
import type { HResult, Out } from './hresult';
import {
  AUDCLNT_E_DEVICE_INVALIDATED,
  AUDCLNT_S_NO_SINGLE_PROCESS,
  E_INVALIDARG,
  E_POINTER,
  S_FALSE,
  S_OK,
} from './hresult';
import type { SessionIdentity } from './identity';
import type { SessionCore, SessionEventsSink } from './session';

/** IAudioSessionNotification. */
export interface SessionNotificationSink {
  onSessionCreated(session: SimSessionControl): void;
}

/** IAudioVolumeDuckNotification; the session id is the communications session's instance identifier. */
export interface DuckNotificationSink {
  onVolumeDuckNotification(sessionInstanceIdentifier: string, communicationSessions: number): void;
  onVolumeUnduckNotification(sessionInstanceIdentifier: string): void;
}

/** What the facade needs from the engine. */
export interface FacadeHost {
  /** The device's sessions in creation order (expired ones included), or null once it is gone. */
  sessionsOf(deviceId: string): readonly SessionCore[] | null;
  peakOf(session: SessionCore): number;
  sinkFailed(error: unknown): void;
}

/** A session's identity with its app, as the sim reports it (Windows folds these into the identifier strings). */
export interface SimSessionIdentityInfo extends SessionIdentity {
  exePath: string | null;
}

/**
 * Engine-side state of one activated IAudioSessionManager2: its listeners, whether it
 * has enumerated yet (R22), and whether its device went away (R25). Internal to the sim.
 */
export class ManagerCore {
  enumerated = false;
  invalidated = false;
  readonly sessionSinks = new Set<SessionNotificationSink>();
  /** Sink -> the listening session's instance identifier, or null for "any". */
  readonly duckSinks = new Map<DuckNotificationSink, string | null>();

  constructor(
    readonly deviceId: string,
    readonly host: FacadeHost,
  ) {}

  /** R22: new sessions are announced only to a manager that has enumerated once. */
  announceSession(session: SessionCore): void {
    if (!this.enumerated || this.invalidated) return;
    for (const sink of [...this.sessionSinks]) {
      this.deliver(() => sink.onSessionCreated(new SimSessionControl(session, this.host)));
    }
  }

  /** R23. A listener registered for a session is not told about that session's own stream. */
  announceDuck(communicationSession: SessionCore, communicationSessions: number): void {
    for (const [sink, listening] of [...this.duckSinks]) {
      if (this.invalidated || listening === communicationSession.sessionInstanceIdentifier) continue;
      this.deliver(() =>
        sink.onVolumeDuckNotification(communicationSession.sessionInstanceIdentifier, communicationSessions),
      );
    }
  }

  announceUnduck(communicationSession: SessionCore): void {
    for (const [sink, listening] of [...this.duckSinks]) {
      if (this.invalidated || listening === communicationSession.sessionInstanceIdentifier) continue;
      this.deliver(() => sink.onVolumeUnduckNotification(communicationSession.sessionInstanceIdentifier));
    }
  }

  private deliver(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.host.sinkFailed(error);
    }
  }
}

/** IAudioSessionManager2 for one device: obtain it with engine.activateSessionManager. */
export class SimSessionManager2 {
  constructor(private readonly core: ManagerCore) {}

  get deviceId(): string {
    return this.core.deviceId;
  }

  getSessionEnumerator(out: Out<SimSessionEnumerator> | null): HResult {
    if (!out) return E_POINTER;
    const sessions = this.core.invalidated ? null : this.core.host.sessionsOf(this.core.deviceId);
    if (!sessions) return AUDCLNT_E_DEVICE_INVALIDATED;
    this.core.enumerated = true;
    // A snapshot, as Windows' enumerator is: later sessions arrive as notifications.
    out.value = new SimSessionEnumerator(sessions.map((session) => new SimSessionControl(session, this.core.host)));
    return S_OK;
  }

  registerSessionNotification(sink: SessionNotificationSink | null): HResult {
    if (!sink) return E_POINTER;
    if (this.core.invalidated) return AUDCLNT_E_DEVICE_INVALIDATED;
    this.core.sessionSinks.add(sink);
    return S_OK;
  }

  unregisterSessionNotification(sink: SessionNotificationSink | null): HResult {
    if (!sink) return E_POINTER;
    this.core.sessionSinks.delete(sink);
    return S_OK;
  }

  /**
   * Duck notifications for communications streams on this device (R23). With a session
   * instance identifier, the listener speaks for that session and is not told about its
   * own communications stream; null listens to all.
   */
  registerDuckNotification(sessionInstanceIdentifier: string | null, sink: DuckNotificationSink | null): HResult {
    if (!sink) return E_POINTER;
    if (this.core.invalidated) return AUDCLNT_E_DEVICE_INVALIDATED;
    this.core.duckSinks.set(sink, sessionInstanceIdentifier);
    return S_OK;
  }

  unregisterDuckNotification(sink: DuckNotificationSink | null): HResult {
    if (!sink) return E_POINTER;
    this.core.duckSinks.delete(sink);
    return S_OK;
  }
}

/** IAudioSessionEnumerator: a snapshot of a device's sessions. */
export class SimSessionEnumerator {
  constructor(private readonly sessions: readonly SimSessionControl[]) {}

  getCount(out: Out<number> | null): HResult {
    if (!out) return E_POINTER;
    out.value = this.sessions.length;
    return S_OK;
  }

  getSession(index: number, out: Out<SimSessionControl> | null): HResult {
    if (!out) return E_POINTER;
    const session = Number.isInteger(index) ? this.sessions[index] : undefined;
    if (!session) return E_INVALIDARG;
    out.value = session;
    return S_OK;
  }
}

/**
 * One session as the mixer sees it. Getters keep answering after the session
 * terminated (its final values); everything fails with AUDCLNT_E_DEVICE_INVALIDATED
 * once it was disconnected (R25), except unregistering.
 */
export class SimSessionControl {
  constructor(
    private readonly session: SessionCore,
    private readonly host: FacadeHost,
  ) {}

  // IAudioSessionControl / IAudioSessionControl2

  getState(out: Out<SessionState> | null): HResult {
    return this.read(out, () => this.session.state);
  }

  getDisplayName(out: Out<string> | null): HResult {
    return this.read(out, () => this.session.displayName);
  }

  getIconPath(out: Out<string> | null): HResult {
    return this.read(out, () => this.session.iconPath);
  }

  getGroupingParam(out: Out<string> | null): HResult {
    return this.read(out, () => this.session.groupingParam);
  }

  /** A cross-process session has no single process: 0 and AUDCLNT_S_NO_SINGLE_PROCESS. */
  getProcessId(out: Out<number> | null): HResult {
    const hr = this.read(out, () => this.session.identity.pid);
    return hr === S_OK && this.session.identity.crossProcess ? AUDCLNT_S_NO_SINGLE_PROCESS : hr;
  }

  /** Not unique across instances of an app (R6). */
  getSessionIdentifier(out: Out<string> | null): HResult {
    return this.read(out, () => this.session.sessionIdentifier);
  }

  /** Unique per session instance (R6). */
  getSessionInstanceIdentifier(out: Out<string> | null): HResult {
    return this.read(out, () => this.session.sessionInstanceIdentifier);
  }

  /** S_OK for the System Sounds session, S_FALSE for any other. */
  isSystemSoundsSession(): HResult {
    if (this.session.disconnected) return AUDCLNT_E_DEVICE_INVALIDATED;
    return this.session.isSystemSounds ? S_OK : S_FALSE;
  }

  /** Sim extension: the identity tuple (R1) and the app's executable. */
  getSessionIdentity(out: Out<SimSessionIdentityInfo> | null): HResult {
    return this.read(out, () => ({ ...this.session.identity, exePath: this.session.exePath }));
  }

  registerAudioSessionNotification(sink: SessionEventsSink | null): HResult {
    if (!sink) return E_POINTER;
    if (this.session.disconnected) return AUDCLNT_E_DEVICE_INVALIDATED;
    this.session.addSink(sink);
    return S_OK;
  }

  unregisterAudioSessionNotification(sink: SessionEventsSink | null): HResult {
    if (!sink) return E_POINTER;
    this.session.removeSink(sink);
    return S_OK;
  }

  // ISimpleAudioVolume

  getMasterVolume(out: Out<number> | null): HResult {
    return this.read(out, () => this.session.volume);
  }

  setMasterVolume(level: number, eventContext: string): HResult {
    return this.session.setVolume(level, eventContext);
  }

  getMute(out: Out<boolean> | null): HResult {
    return this.read(out, () => this.session.muted);
  }

  setMute(muted: boolean, eventContext: string): HResult {
    return this.session.setMute(muted, eventContext);
  }

  // IChannelAudioVolume

  getChannelCount(out: Out<number> | null): HResult {
    return this.read(out, () => this.session.channelVolumes.length);
  }

  getChannelVolume(channel: number, out: Out<number> | null): HResult {
    if (!out) return E_POINTER;
    if (this.session.disconnected) return AUDCLNT_E_DEVICE_INVALIDATED;
    const level = Number.isInteger(channel) ? this.session.channelVolumes[channel] : undefined;
    if (level === undefined) return E_INVALIDARG;
    out.value = level;
    return S_OK;
  }

  getAllVolumes(out: Out<number[]> | null): HResult {
    return this.read(out, () => [...this.session.channelVolumes]);
  }

  setChannelVolume(channel: number, level: number, eventContext: string): HResult {
    return this.session.setChannelVolume(channel, level, eventContext);
  }

  // IAudioMeterInformation

  getPeakValue(out: Out<number> | null): HResult {
    return this.read(out, () => this.host.peakOf(this.session));
  }

  private read<T>(out: Out<T> | null, value: () => T): HResult {
    if (!out) return E_POINTER;
    if (this.session.disconnected) return AUDCLNT_E_DEVICE_INVALIDATED;
    out.value = value();
    return S_OK;
  }
}
