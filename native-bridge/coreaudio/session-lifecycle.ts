// The coreaudio backend's sessions from creation to end: per device, register for new
// sessions, then enumerate once so notifications start (R22); per session, its
// IAudioSessionEvents (R21). Every listing is a reconcile: sessions whose notifications
// were missed are found, and those gone from the device are reported terminated (R10).
// The list is enumeration plus notifications: an enumerator is a snapshot that may not hold
// a session OnSessionCreated reported, so such a session ends only when Windows says so.
// A session Windows reports expired is looked for on its device: still listed, it expired
// (R9) and keeps its record, but its control and sink are let go of (a held control keeps a
// session alive); a live control of it (a listing, OnSessionCreated) is followed again under
// the same record. Gone, it terminated. A disconnected session (R25) is released at once
// (control, sink) and keeps its record, marked, until its device stops listing it or a live
// control of the same identity replaces it. Sessions OnSessionCreated reports while the
// first listing runs are merged into it. When the audio service stops, every session is
// disconnected (server shutdown) and every registration of that run let go of; once a
// session manager activates again, the listings follow the new run (audio-service.ts).
// Each record carries its app's output route (app-output.ts: read as a session appears,
// after SndMix sets it, and again once the app's last read is old); a change a listing
// finds is told as output-route-changed, as SndMix's own is.
import { newSessionRecord, sameValue } from '../session-events';
import type { DisconnectReason, OutputRoute, SessionRecord } from '../types';
import { BackendError } from '../types';
import { disconnectReasonOf } from '../windows-rules/disconnect-reasons';
import { identityOf, sessionIdFor, type SessionIdentity } from '../windows-rules/session-identity';
import type { RouteRead } from './app-output';
import type { AudioServiceState } from './audio-service';
import type { BackendContext } from './backend-context';
import { isUnitLevel } from '../windows-rules/volume-level';
import type { DeviceEntry, DeviceRegistry } from './device-registry';
import { backendErrorOf, comOutcome, describe, isInvalidated, isServiceStopped, isUnsupported } from './hresult-outcome';
import { SessionNames, type NamedSession } from './session-names';
import type { SessionControl, SessionManager, Watch } from './system';

/** A session field read that the system may not implement (Wine stubs several). */
type OptionalRead = 'displayName' | 'iconPath' | 'groupingParam' | 'sessionIdentifier' | 'sessionInstanceIdentifier';
/** Per-session interfaces Windows may not expose for a given session. */
export type SessionFeature = 'volume' | 'channels' | 'peak' | 'events';

export interface SessionEntry extends NamedSession {
  record: SessionRecord;
  control: SessionControl;
  watch: Watch | null;
  /** Opened by GUID through trackSession: kept even where enumeration cannot see it. */
  tracked: boolean;
  /** Seen in an enumeration: missing from a later one, it ended. Known only from a notification, it waits for Windows to end it. */
  enumerated: boolean;
  /** Its control and sink being let go of (disconnected, expired, or gone); a disconnected or expired record stays until it goes. */
  released: Promise<void> | null;
  missing: Set<SessionFeature>;
  /** The session's calls, one after the other in the order they were made: a drag ends on its last value. */
  calls: Promise<unknown>;
}

export class SessionLifecycle {
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly unsupportedReads = new Set<OptionalRead>();
  private readonly names: SessionNames;

  constructor(
    private readonly context: BackendContext,
    private readonly devices: DeviceRegistry,
    /** The event context a notification carries, spelled as the host spelled it. */
    private readonly contextSpelling: (context: string) => string,
    private readonly service: AudioServiceState,
    /** The apps' output routes (AppOutput). */
    private readonly routes: {
      routeOf(record: SessionRecord, read: RouteRead): OutputRoute | null;
      keepRoutesOf(records: Iterable<SessionRecord>): void;
    },
  ) {
    this.names = new SessionNames(context.system, context.warnOnce, context.packages);
  }

  /** The device's sessions after a reconcile; starts its notifications on the first call. */
  async list(deviceId: string): Promise<SessionRecord[]> {
    const device = this.devices.refreshedDevice(deviceId);
    if (device.info.state !== 'active') {
      await this.dropSessionsOf(deviceId, null);
      return [];
    }
    try {
      const manager = this.devices.sessionManager(device);
      this.service.back();
      device.listening ??= this.startSessionNotifications(device, manager);
      await device.listening;
      await this.reconcile(device, manager);
      // Sessions announced while this first listing ran, merged in (the known ones are released).
      for (let control = device.createdWhileListing.shift(); control; control = device.createdWhileListing.shift())
        await this.adopt(device, control, { tracked: false, announce: false });
      device.listed = true;
      this.routes.keepRoutesOf([...this.sessions.values()].map((entry) => entry.record));
    } catch (error) {
      if (!isServiceStopped(error)) throw error;
      await this.serviceStopped();
      // What the device's sessions were of the dead run: told, and let go of.
      await Promise.all(this.sessionsOf(deviceId).map((entry) => this.markDisconnected(entry, 'server-shutdown')));
    }
    return this.sessionsOf(deviceId).map((entry) => ({ ...entry.record, channelVolumes: [...entry.record.channelVolumes] }));
  }

  /** Opens this process's session with a GUID and follows it like an enumerated one. */
  async track(deviceId: string, sessionGuid: string, crossProcess: boolean): Promise<SessionRecord> {
    const device = this.devices.device(deviceId);
    const manager = this.devices.sessionManager(device);
    let control: SessionControl;
    try {
      control = manager.openSession(sessionGuid, crossProcess);
    } catch (error) {
      throw backendErrorOf(error, 'open the session');
    }
    const entry = await this.adopt(device, control, { tracked: true, announce: true });
    return { ...entry.record };
  }

  /** A session a command may act on: known, connected, offering the feature. */
  /** A live session's entry; with a feature, one whose interface for it is there. */
  controllable(sessionId: string, feature?: SessionFeature): SessionEntry {
    const entry = this.sessions.get(sessionId);
    if (!entry) throw new BackendError('not-found', `no session ${sessionId}`);
    if (entry.record.disconnected)
      throw new BackendError('disconnected', `session ${entry.record.displayName} is disconnected (${entry.record.disconnected})`);
    if (this.isDormant(entry))
      throw new BackendError('not-found', `session ${entry.record.displayName} has expired; it is followed again once its app plays`);
    if (feature && entry.missing.has(feature))
      throw new BackendError('not-supported', `session ${entry.record.displayName} offers no ${feature} control here`);
    return entry;
  }

  /**
   * A call on a per-session interface, after the session's earlier calls (they run off the
   * main thread, on a pool, and would otherwise land in any order): unsupported marks the
   * feature missing, invalidated disconnects.
   */
  call<T>(entry: SessionEntry, feature: SessionFeature, call: () => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        throw backendErrorOf(error, `control session ${entry.record.displayName}`, this.reactions(entry, feature));
      }
    };
    const result = entry.calls.then(run, run);
    entry.calls = result.catch(() => undefined);
    return result;
  }

  /** The synchronous form of call, with a fallback for an unsupported read. */
  read<T>(entry: SessionEntry, feature: SessionFeature, read: () => T, fallback?: T): T {
    try {
      return read();
    } catch (error) {
      if (isUnsupported(error) && fallback !== undefined) {
        entry.missing.add(feature);
        return fallback;
      }
      throw backendErrorOf(error, `read session ${entry.record.displayName}`, this.reactions(entry, feature));
    }
  }

  /** Peaks of the known, connected sessions among the ids; others are left out. */
  peaks(sessionIds: readonly string[]): Record<string, number> {
    const peaks: Record<string, number> = {};
    for (const id of sessionIds) {
      const entry = this.sessions.get(id);
      if (!entry || entry.released || entry.missing.has('peak')) continue;
      try {
        peaks[id] = entry.control.peak();
      } catch (error) {
        const outcome = comOutcome(error);
        if (outcome === 'unsupported') entry.missing.add('peak');
        else if (outcome === 'invalidated') void this.markDisconnected(entry, 'device-removed');
        else if (outcome === 'service-stopped') void this.serviceStopped();
        else this.context.warnOnce(`peak of ${id}`, `reading a peak failed: ${describe(error)}`);
      }
    }
    return peaks;
  }

  async dropSessionsOf(deviceId: string, reason: DisconnectReason | null): Promise<void> {
    for (const entry of this.sessionsOf(deviceId)) await this.removeSession(entry, reason);
  }

  // ---- internals -------------------------------------------------------------------------

  private reactions(entry: SessionEntry, feature: SessionFeature) {
    return {
      unsupported: () => entry.missing.add(feature),
      invalidated: () => void this.markDisconnected(entry, 'device-removed'),
      serviceStopped: () => void this.serviceStopped(),
    };
  }

  private sessionsOf(deviceId: string): SessionEntry[] {
    return [...this.sessions.values()].filter((entry) => entry.record.deviceId === deviceId);
  }

  private async startSessionNotifications(device: DeviceEntry, manager: SessionManager): Promise<void> {
    try {
      device.sessionWatch = await manager.watchSessions((control) => void this.onSessionCreated(device, control));
    } catch (error) {
      if (!isUnsupported(error)) this.context.warnOnce('session watch', `new-session notifications failed: ${describe(error)}`);
    }
    if (!this.context.capabilities.ducking) return;
    try {
      device.duckWatch = await manager.watchDucking({
        duck: (instance, count) => this.onDuck(device, instance, count),
        unduck: (instance) => this.onDuck(device, instance, null),
      });
    } catch (error) {
      if (isUnsupported(error)) this.context.capabilities.ducking = false;
      else this.context.warnOnce('duck watch', `ducking notifications failed: ${describe(error)}`);
    }
  }

  /** The device's enumeration now, by session id; null where enumeration is not implemented. */
  private enumerate(device: DeviceEntry, manager: SessionManager): Map<string, SessionControl> | null {
    if (device.enumerable === false) return null;
    let controls: SessionControl[];
    try {
      controls = manager.listSessions();
      device.enumerable = true;
    } catch (error) {
      if (isUnsupported(error)) {
        device.enumerable = false;
        return null;
      }
      throw backendErrorOf(error, 'enumerate the sessions');
    }
    const listed = new Map<string, SessionControl>();
    for (const control of controls) {
      const identity = this.shown(device, control) ? this.identify(device, control) : null;
      const id = identity && sessionIdFor(identity);
      if (!id || listed.has(id)) control.release();
      else listed.set(id, control);
    }
    return listed;
  }

  private async reconcile(device: DeviceEntry, manager: SessionManager): Promise<void> {
    let listed: Map<string, SessionControl> | null;
    try {
      listed = this.enumerate(device, manager);
    } catch (error) {
      if (error instanceof BackendError && error.code === 'disconnected') return this.dropSessionsOf(device.info.id, 'device-removed');
      throw error;
    }
    const adopted = new Set<SessionEntry>();
    for (const [id, control] of listed ?? []) {
      const known = this.sessions.get(id);
      if (known && !this.revives(known, control) && !this.replaces(known, control)) control.release();
      // Announced only when it replaces one the host knows; a new one arrives in this listing.
      else adopted.add(await this.adopt(device, control, { tracked: false, announce: known !== undefined }));
      const entry = this.sessions.get(id);
      if (entry) entry.enumerated = true;
    }
    const windowTitles = this.names.windowTitlesFor(this.sessionsOf(device.info.id));
    for (const entry of this.sessionsOf(device.info.id)) {
      if (listed && !entry.tracked && (entry.enumerated || entry.record.disconnected) && !listed.has(entry.record.id)) {
        await this.endSession(entry);
        continue;
      }
      if (!adopted.has(entry)) this.refresh(entry, windowTitles);
    }
  }

  /**
   * A session no longer listed: terminated (R10), told at once; unless its device went
   * away, which disconnects it (R25). A disconnected one just goes (its record said so).
   */
  private endSession(entry: SessionEntry): Promise<void> {
    if (entry.record.disconnected) return this.removeSession(entry);
    if (!entry.released && this.isInvalidatedNow(entry)) return this.removeSession(entry, 'device-removed');
    const removal = this.removeSession(entry);
    this.context.emit({ type: 'state-changed', sessionId: entry.record.id, state: 'expired', terminated: true });
    return removal;
  }

  /** Expired: its record kept, its control and sink let go of. */
  private isDormant(entry: SessionEntry): boolean {
    return entry.released !== null && entry.record.disconnected === null;
  }

  /** Whether a control is an expired record's session back in use (the same instance, no longer expired). */
  private revives(known: SessionEntry, control: SessionControl): boolean {
    if (!this.isDormant(known) || this.isNewInstance(known, control)) return false;
    try {
      return control.state() !== 'expired';
    } catch {
      return false;
    }
  }

  /** An expired record follows its session again, through a new control: state re-read and told, events watched. */
  private async revive(entry: SessionEntry, control: SessionControl): Promise<void> {
    // Taken over at once, so a second live control (a listing and OnSessionCreated racing) is just released.
    const releasing = entry.released;
    entry.control = control;
    entry.released = null;
    await releasing;
    const state = entry.record.state;
    // Back after a while: where its app plays may have changed meanwhile.
    this.routes.routeOf(entry.record, 'now');
    this.refresh(entry, this.names.windowTitlesFor([entry]));
    if (entry.record.state !== state)
      this.context.emit({ type: 'state-changed', sessionId: entry.record.id, state: entry.record.state, terminated: false });
    const watch = await this.watchSession(entry);
    if (entry.released) await this.devices.stopWatch(watch);
    else entry.watch = watch;
  }

  private isInvalidatedNow(entry: SessionEntry): boolean {
    try {
      entry.control.state();
      return false;
    } catch (error) {
      return isInvalidated(error);
    }
  }

  /**
   * Whether a control of a known identity takes the record over: another instance (R6), or
   * a live control where the record's is dead (disconnected: the app opened its session again).
   */
  private replaces(known: SessionEntry, control: SessionControl): boolean {
    return (known.record.disconnected !== null && this.isLive(control)) || this.isNewInstance(known, control);
  }

  private isLive(control: SessionControl): boolean {
    try {
      control.state();
      return true;
    } catch {
      return false;
    }
  }

  /** Same identity, another instance (R6): the one we follow has ended. */
  private isNewInstance(known: SessionEntry, control: SessionControl): boolean {
    const instance = this.optionalRead('sessionInstanceIdentifier', () => control.sessionInstanceIdentifier(), '');
    return instance !== '' && known.record.sessionInstanceIdentifier !== '' && instance !== known.record.sessionInstanceIdentifier;
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
      if (isServiceStopped(error)) void this.serviceStopped();
      else if (!isInvalidated(error))
        this.context.warnOnce(`identify ${device.info.id}`, `a session could not be identified: ${describe(error)}`);
      return null;
    }
  }

  /**
   * Takes ownership of a session control: a new session (announced when asked), or
   * released when it is one already followed. A new instance of a followed identity, or a
   * live control of a disconnected one, replaces the old record, which has ended.
   */
  private async adopt(
    device: DeviceEntry,
    control: SessionControl,
    how: { tracked: boolean; announce: boolean },
  ): Promise<SessionEntry> {
    const identity = this.identify(device, control);
    if (!identity) {
      control.release();
      throw new BackendError('os-error', 'the session could not be identified');
    }
    const id = sessionIdFor(identity);
    const known = this.sessions.get(id);
    if (known && this.revives(known, control)) {
      await this.revive(known, control);
      known.tracked ||= how.tracked;
      return known;
    }
    if (known && !this.replaces(known, control)) {
      control.release();
      known.tracked ||= how.tracked;
      return known;
    }
    if (known) await this.endSession(known);
    const entry = this.newEntry(id, identity, control, how.tracked);
    // Read fresh: the app may have been pinned here by another program a moment ago.
    entry.record.outputRoute = this.routes.routeOf(entry.record, 'now');
    this.sessions.set(id, entry);
    this.refresh(entry, this.names.windowTitlesFor([entry]));
    // Registered before it is announced, so no change falls between the two.
    const watching = this.watchSession(entry);
    if (how.announce && this.sessions.get(id) === entry)
      this.context.emit({ type: 'session-created', session: { ...entry.record, channelVolumes: [...entry.record.channelVolumes] } });
    const watch = await watching;
    // Let go of while registering (disconnected, removed): the new registration goes too.
    if (entry.released) await this.devices.stopWatch(watch);
    else entry.watch = watch;
    return entry;
  }

  private newEntry(id: string, identity: SessionIdentity, control: SessionControl, tracked: boolean): SessionEntry {
    let isSystemSounds = false;
    try {
      isSystemSounds = control.isSystemSounds();
    } catch (error) {
      if (!isUnsupported(error) && !isInvalidated(error))
        this.context.warnOnce(`System Sounds ${id}`, `reading System Sounds failed: ${describe(error)}`);
    }
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
      enumerated: false,
      released: null,
      clientName: '',
      executablePath: undefined,
      missing: new Set(),
      calls: Promise.resolve(),
    };
  }

  /** Re-reads the route of the session's app after SndMix set it (Windows notifies no such change); its sessions follow. */
  rereadRoute(record: SessionRecord): void {
    this.routes.routeOf(record, 'now');
    for (const entry of this.sessions.values())
      if (!entry.released && entry.record.pid === record.pid && entry.record.flow === record.flow) this.followRoute(entry);
  }

  /** The record takes its app's route as last read (read again when that is old); a change is told. */
  private followRoute(entry: SessionEntry): void {
    const outputRoute = this.routes.routeOf(entry.record, 'recent');
    if (sameValue(outputRoute, entry.record.outputRoute)) return;
    entry.record.outputRoute = outputRoute;
    this.context.emit({ type: 'output-route-changed', sessionId: entry.record.id, outputRoute });
  }

  /** Re-reads a session's state and levels, its name and icon (drift from missed notifications). */
  private refresh(entry: SessionEntry, windowTitles: Map<number, string>): void {
    if (entry.released) return;
    const { control, record } = entry;
    try {
      record.state = control.state();
      if (!entry.missing.has('volume')) {
        const levels = this.read(entry, 'volume', () => control.volume(), null);
        if (levels) ({ volume: record.volume, muted: record.muted } = levels);
      }
      if (!entry.missing.has('channels')) record.channelVolumes = this.read(entry, 'channels', () => control.channelVolumes(), []);
      record.groupingParam = this.optionalRead('groupingParam', () => control.groupingParam(), record.groupingParam);
      entry.clientName = this.names.clientName(this.optionalRead('displayName', () => control.displayName(), entry.clientName));
      Object.assign(record, this.names.nameOf(entry, windowTitles));
      const iconPath = this.optionalRead('iconPath', () => control.iconPath(), record.iconPath);
      if (iconPath !== record.iconPath || record.icon === null) {
        record.iconPath = iconPath;
        record.icon = this.names.iconOf(entry);
      }
      record.processName ??= record.crossProcess ? null : this.names.processNameOf(entry);
      this.followRoute(entry);
      // Expired while its notification was missed: let go of it as the notification would.
      if (record.state === 'expired' && !entry.tracked) void this.letGo(entry);
    } catch (error) {
      if (isInvalidated(error)) void this.markDisconnected(entry, 'device-removed');
      else if (isServiceStopped(error)) void this.serviceStopped();
      else if (!(error instanceof BackendError && error.code === 'disconnected'))
        this.context.warnOnce(`refresh ${record.id}`, `refreshing session ${record.displayName || record.id} failed: ${describe(error)}`);
    }
  }

  private async watchSession(entry: SessionEntry): Promise<Watch | null> {
    const id = entry.record.id;
    const live = (): boolean => !this.context.isClosed() && this.sessions.get(id) === entry;
    const emit = this.context.emit;
    try {
      return await entry.control.watch({
        displayNameChanged: (name) => {
          if (!live()) return;
          entry.clientName = this.names.clientName(name);
          const resolved = this.names.nameOf(entry, this.names.windowTitlesFor([entry]));
          Object.assign(entry.record, resolved);
          emit({ type: 'display-name-changed', sessionId: id, ...resolved });
        },
        iconPathChanged: (iconPath) => {
          if (!live()) return;
          entry.record.iconPath = iconPath;
          entry.record.icon = this.names.iconOf(entry);
          emit({ type: 'icon-changed', sessionId: id, iconPath, icon: entry.record.icon });
        },
        volumeChanged: (notified, muted, context) => {
          if (!live()) return;
          // A float argument that did not survive the callback (see CallbackArgType): read it back.
          const volume = isUnitLevel(notified) ? notified : this.read(entry, 'volume', () => entry.control.volume(), null)?.volume;
          if (volume === undefined) return;
          Object.assign(entry.record, { volume, muted });
          emit({ type: 'volume-changed', sessionId: id, volume, muted, eventContext: this.contextSpelling(context) });
        },
        channelVolumeChanged: (channelVolumes, changedChannel, context) => {
          if (!live()) return;
          entry.record.channelVolumes = [...channelVolumes];
          emit({
            type: 'channel-volume-changed',
            sessionId: id,
            channelVolumes: [...channelVolumes],
            changedChannel,
            eventContext: this.contextSpelling(context),
          });
        },
        groupingParamChanged: (groupingParam, context) => {
          if (!live()) return;
          entry.record.groupingParam = groupingParam;
          emit({ type: 'grouping-changed', sessionId: id, groupingParam, eventContext: this.contextSpelling(context) });
        },
        stateChanged: (state) => {
          if (!live()) return;
          // Windows says "expired" for a session that ended too (R10): gone from its device, it terminated.
          if (state === 'expired' && !entry.tracked && !this.stillListed(entry)) {
            void this.endSession(entry);
            return;
          }
          if (entry.record.state !== state) {
            entry.record.state = state;
            emit({ type: 'state-changed', sessionId: id, state, terminated: false });
          }
          // Held, an expired session never goes: keep the record, let go of the control and sink.
          if (state === 'expired' && !entry.tracked) void this.letGo(entry);
        },
        disconnected: (reason) => {
          if (live()) void this.markDisconnected(entry, disconnectReasonOf(reason));
        },
      });
    } catch (error) {
      if (isUnsupported(error)) entry.missing.add('events');
      else if (isInvalidated(error)) void this.markDisconnected(entry, 'device-removed');
      else if (isServiceStopped(error)) void this.serviceStopped();
      else this.context.warnOnce(`watch ${id}`, `session notifications failed: ${describe(error)}`);
      return null;
    }
  }

  /** Whether the session's device still lists it; true when that cannot be told (no enumeration). */
  private stillListed(entry: SessionEntry): boolean {
    try {
      const device = this.devices.device(entry.record.deviceId);
      const listed = this.enumerate(device, this.devices.sessionManager(device));
      if (!listed) return true;
      for (const control of listed.values()) control.release();
      return listed.has(entry.record.id);
    } catch {
      return true;
    }
  }

  /** System Sounds is a render session: Sndvol shows none on a capture device. */
  private shown(device: DeviceEntry, control: SessionControl): boolean {
    if (device.info.flow !== 'capture') return true;
    try {
      return !control.isSystemSounds();
    } catch {
      return true;
    }
  }

  private async onSessionCreated(device: DeviceEntry, control: SessionControl): Promise<void> {
    if (!this.devices.isCurrent(device) || device.listening === null || !this.shown(device, control)) {
      control.release();
      return;
    }
    // The first listing is still running (its enumerator may not hold this session): it merges it.
    if (!device.listed) {
      device.createdWhileListing.push(control);
      return;
    }
    try {
      await this.adopt(device, control, { tracked: false, announce: true });
    } catch (error) {
      this.context.warnOnce(`created ${device.info.id}`, `a new session could not be read: ${describe(error)}`);
    }
  }

  private onDuck(device: DeviceEntry, instanceIdentifier: string, communicationSessions: number | null): void {
    if (this.context.isClosed()) return;
    // Our id when we know the session; else the instance identifier Windows gave.
    const sessionId =
      [...this.sessions.values()].find((entry) => entry.record.sessionInstanceIdentifier === instanceIdentifier)?.record.id ??
      instanceIdentifier;
    if (communicationSessions === null) this.context.emit({ type: 'unduck', deviceId: device.info.id, sessionId });
    else this.context.emit({ type: 'duck', deviceId: device.info.id, sessionId, communicationSessions });
  }

  /** The record says disconnected; the dead control and its sink are let go of now. */
  private markDisconnected(entry: SessionEntry, reason: DisconnectReason): Promise<void> {
    if (!entry.record.disconnected) {
      entry.record.disconnected = reason;
      this.context.emit({ type: 'disconnected', sessionId: entry.record.id, reason });
    }
    return this.letGo(entry);
  }

  private letGo(entry: SessionEntry): Promise<void> {
    entry.released ??= (async () => {
      const { watch, control } = entry;
      entry.watch = null;
      await this.devices.stopWatch(watch);
      control.release();
    })();
    return entry.released;
  }

  /**
   * The audio service stopped (a call answered AUDCLNT_E_SERVICE_NOT_RUNNING): told once, and
   * every device's registration and object of the dead run is let go of. Sessions are marked
   * by their own ServerShutdown, or by their device's next listing. A ServerShutdown alone
   * does not begin the outage (the next listing's calls tell). Listings try again each poll:
   * the first session manager that activates ends the outage.
   */
  private async serviceStopped(): Promise<void> {
    if (this.context.isClosed() || !this.service.lost()) return;
    await this.devices.releaseServiceObjects();
  }

  /** Stops listening to a session and releases it; `reason` marks it disconnected first. */
  private async removeSession(entry: SessionEntry, reason: DisconnectReason | null = null): Promise<void> {
    if (this.sessions.get(entry.record.id) !== entry) return;
    const letGo = reason ? this.markDisconnected(entry, reason) : this.letGo(entry);
    this.sessions.delete(entry.record.id);
    await letGo;
  }

  /** A read every session shares: once not implemented (Wine stubs), never tried again. */
  private optionalRead<T>(what: OptionalRead, read: () => T, fallback: T): T {
    if (this.unsupportedReads.has(what)) return fallback;
    try {
      return read();
    } catch (error) {
      if (isUnsupported(error)) {
        this.unsupportedReads.add(what);
        return fallback;
      }
      throw error;
    }
  }
}
