// The engine host: one session store fed by a backend's events (and, where the backend
// asks for it, a reconcile poll), commands validated before they reach the backend, an
// event log, and per-client diffs: a lone change goes out at once, a burst is coalesced
// into one message per frame.
import type {
  AudioBackend,
  BackendEvent,
  DeviceRecord,
  SessionRecord,
} from '../native-bridge/types';
import { BackendError } from '../native-bridge/types';
import type { KnownRecords, RecordChange } from '../native-bridge/session-events';
import { applyEvent, changedSessionFields, patchSession, sameDevice, upsertDevice } from '../native-bridge/session-events';
import type {
  BackendInfo,
  Command,
  CommandError,
  CommandResult,
  LoggedEvent,
  ServerMessage,
  SessionChange,
} from './contract';
import { PROTOCOL_VERSION, OUTSIDE_ORIGINS, parseCommand, peakStep } from './contract';
import { EventLog } from './event-log';
import type { ClientKind } from './change-origin';
import { mintEventContext } from './change-origin';
import { HostStateKeeper } from './host-state';
import { balanceCommands, entryCommands, profileCommands, profileFromSessions, undoCommands } from './mixer-commands';
import { appKeyOf } from './app-identity';

export interface EngineHostOptions {
  /** Shown to the user, e.g. why the default backend fell back to sim. */
  notice?: string | null;
  /** Ring size of the event log. */
  eventLogSize?: number;
  /** Diffs go out at most once per this window (one frame); a change after a quiet window goes at once. */
  flushIntervalMs?: number;
  /** How often peaks are read while a client shows meters. */
  meterIntervalMs?: number;
  /** Overrides the backend's own reconcile-poll interval (null: no poll). */
  pollIntervalMs?: number | null;
  onError?: (message: string) => void;
  /** Where preferences and profiles are kept (core/preferences.ts, core/profiles.ts); null or absent: in memory only. */
  stateDir?: string | null;
  now?: () => number;
}

/** A transport's view of the host: one per IPC window or WebSocket. */
export interface HostClient {
  /** Runs an untrusted command; never throws. */
  handle(input: unknown): Promise<CommandResult>;
  close(): void;
}

interface ClientState {
  /** False when the transport did not deliver the message (a congested client). */
  send: (message: ServerMessage) => boolean;
  /** This client's event context (core/change-origin.ts): how its changes are told from others'. */
  context: string;
  subscribed: boolean;
  meters: boolean;
  /** The quantised peak levels this client holds (absent: 0); null when unknown (the next message is full). */
  sentPeaks: Map<string, number> | null;
  /** The same for device levels; both are null together after a snapshot or a dropped message. */
  sentDevicePeaks: Map<string, number> | null;
}

const FRAME_MS = 16;
const METER_MS = 50;

export class EngineHost {
  /** The event context of commands run through execute() (the CLI); each connected client mints its own. */
  readonly eventContext = mintEventContext('cli');
  /** The context of what the host does by itself (re-apply rules): a change of this mixer. */
  private readonly ruleContext = mintEventContext('mixer');
  readonly backendInfo: BackendInfo;
  readonly events: EventLog;

  private readonly sessionsById = new Map<string, SessionRecord>();
  private readonly devicesById = new Map<string, DeviceRecord>();
  private readonly known: KnownRecords = { sessions: this.sessionsById, devices: this.devicesById };
  private readonly clients = new Set<ClientState>();
  private readonly eventListeners = new Set<(event: LoggedEvent) => void>();
  private readonly pending = new PendingDiff();
  private pendingEvents: LoggedEvent[] = [];
  /** Cancels the scheduled flush; null when none is scheduled. */
  private cancelFlush: (() => void) | null = null;
  private lastFlushAt = -Infinity;
  private pollTimer: NodeJS.Timeout | null = null;
  private meterTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;
  private unsubscribe: () => void = () => undefined;
  private readonly flushIntervalMs: number;
  private readonly meterIntervalMs: number;
  private readonly onError: (message: string) => void;
  private readonly state: HostStateKeeper;
  private heardTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  private constructor(
    readonly backend: AudioBackend,
    options: EngineHostOptions,
  ) {
    this.backendInfo = { name: backend.name, capabilities: backend.capabilities, notice: options.notice ?? null, disconnected: null };
    this.events = new EventLog(options.eventLogSize ?? 10_000);
    this.flushIntervalMs = options.flushIntervalMs ?? FRAME_MS;
    this.meterIntervalMs = options.meterIntervalMs ?? METER_MS;
    this.onError = options.onError ?? ((message) => console.error(message));
    this.now = options.now ?? Date.now;
    this.state = new HostStateKeeper({
      stateDir: options.stateDir ?? null,
      foreignEventContexts: backend.capabilities.foreignEventContexts ?? false,
      now: this.now,
    });
    for (const problem of this.state.loadProblems()) this.onError(problem);
  }

  static async start(backend: AudioBackend, options: EngineHostOptions = {}): Promise<EngineHost> {
    const host = new EngineHost(backend, options);
    // Subscribe first so nothing that happens during the first listing is lost; the
    // listing then overwrites with current values.
    const stopEvents = backend.subscribe((event) => host.onBackendEvent(event, 'event'));
    const stopConnection = backend.onConnectionChange?.((disconnected) => host.onBackendConnection(disconnected));
    host.unsubscribe = () => {
      stopEvents();
      stopConnection?.();
    };
    await host.loadAll();
    const pollMs = options.pollIntervalMs === undefined ? backend.pollIntervalMs : options.pollIntervalMs;
    if (pollMs !== null) host.startPolling(pollMs);
    return host;
  }

  sessions(): SessionRecord[] {
    return [...this.sessionsById.values()];
  }

  devices(): DeviceRecord[] {
    return [...this.devicesById.values()];
  }

  session(id: string): SessionRecord | undefined {
    return this.sessionsById.get(id);
  }

  /** Every logged event as it happens (CLI watch, scenario checks). */
  onEvent(listener: (event: LoggedEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The host's own state (notes, preferences, profiles, recently heard), as a snapshot has it. */
  hostState(): ReturnType<HostStateKeeper['snapshot']> {
    return this.state.snapshot(this.sessions());
  }

  /** `kind` says who the client is, for the origin of its changes: the mixer window (IPC) or a web client. */
  connect(send: (message: ServerMessage) => boolean, kind: ClientKind = 'mixer'): HostClient {
    const client: ClientState = { send, context: mintEventContext(kind), subscribed: false, meters: false, sentPeaks: null, sentDevicePeaks: null };
    this.clients.add(client);
    return {
      handle: (input) => this.handle(client, input),
      close: () => {
        this.clients.delete(client);
        this.updateMeterTimer();
      },
    };
  }

  /** Runs a command on behalf of the CLI or a transport; never throws. */
  async execute(input: unknown): Promise<CommandResult> {
    return this.handle(null, input);
  }

  /** Re-reads everything from the backend and reconciles the store with it. */
  async reconcile(): Promise<void> {
    const devices = await this.backend.listDevices();
    const seenDevices = new Set(devices.map((device) => device.id));
    for (const device of devices) this.upsertDevice(device, 'poll');
    for (const id of [...this.devicesById.keys()]) {
      if (!seenDevices.has(id)) this.onBackendEvent({ type: 'device-removed', deviceId: id }, 'poll');
    }
    const listed = await Promise.all(devices.map((device) => this.backend.listSessions(device.id)));
    const seenSessions = new Set<string>();
    for (const session of listed.flat()) {
      seenSessions.add(session.id);
      this.reconcileSession(session);
    }
    for (const session of [...this.sessionsById.values()]) {
      if (!seenSessions.has(session.id)) {
        this.onBackendEvent({ type: 'state-changed', sessionId: session.id, state: 'expired', terminated: true }, 'poll');
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelFlush?.();
    for (const timer of [this.pollTimer, this.meterTimer, this.heardTimer]) if (timer) clearTimeout(timer);
    this.unsubscribe();
    this.clients.clear();
    this.eventListeners.clear();
    await this.backend.close();
  }

  private async loadAll(): Promise<void> {
    const devices = await this.backend.listDevices();
    for (const device of devices) this.devicesById.set(device.id, device);
    const listed = await Promise.all(devices.map((device) => this.backend.listSessions(device.id)));
    for (const session of listed.flat()) {
      this.sessionsById.set(session.id, session);
      this.applyRule(session);
    }
  }

  private async loadDeviceSessions(deviceId: string): Promise<void> {
    try {
      for (const session of await this.backend.listSessions(deviceId)) this.reconcileSession(session);
    } catch (error) {
      this.onError(`listing the sessions of new device ${deviceId} failed: ${describe(error)}`);
    }
  }

  private startPolling(intervalMs: number): void {
    const tick = async () => {
      if (this.closed) return;
      if (!this.polling) {
        this.polling = true;
        try {
          await this.reconcile();
        } catch (error) {
          this.onError(`reconcile poll failed: ${describe(error)}`);
        } finally {
          this.polling = false;
        }
      }
      if (!this.closed) this.pollTimer = setTimeout(tick, intervalMs).unref();
    };
    this.pollTimer = setTimeout(tick, intervalMs).unref();
  }

  /** A session seen by a poll: new ones and changed fields become events, as if notified. */
  private reconcileSession(listed: SessionRecord): void {
    const known = this.sessionsById.get(listed.id);
    if (!known) {
      this.onBackendEvent({ type: 'session-created', session: listed }, 'poll');
      return;
    }
    const changes = changedSessionFields(known, listed);
    if (!changes) return;
    if (changes.state !== undefined) {
      this.onBackendEvent({ type: 'state-changed', sessionId: listed.id, state: listed.state, terminated: false }, 'poll');
    }
    // Other drift (missed volume or name notifications) is corrected silently in the store.
    this.sessionsById.set(listed.id, listed);
    this.pending.change(listed.id, changes);
    this.scheduleFlush();
  }

  private onBackendEvent(event: BackendEvent, source: LoggedEvent['source']): void {
    if (this.closed) return;
    const sessionId = 'sessionId' in event ? event.sessionId : event.type === 'session-created' ? event.session.id : null;
    const before = sessionId === null ? undefined : this.sessionsById.get(sessionId);
    this.pending.record(applyEvent(this.known, event));
    this.state.onEvent(event, before, sessionId === null ? undefined : this.sessionsById.get(sessionId));
    if (event.type === 'session-created') this.applyRule(event.session);
    this.scheduleHeardExpiry();
    // Listing a new device's sessions is also what starts its session notifications (R22);
    // a poll lists every device's sessions itself.
    if (event.type === 'device-added' && source === 'event') void this.loadDeviceSessions(event.device.id);
    const logged = this.events.append(event, source);
    this.pendingEvents.push(logged);
    for (const listener of this.eventListeners) listener(logged);
    this.scheduleFlush();
  }

  /** A change SndMix made itself (the backend may never notify it): the store and the change's origin. */
  private patchSession(id: string, fields: SessionChange['changes'], context: string): void {
    const before = this.sessionsById.get(id);
    this.pending.record(patchSession(this.known, id, fields));
    const after = this.sessionsById.get(id);
    if (before && after) this.state.recordChange(before, after, context);
  }

  private patchDevice(id: string, fields: Partial<DeviceRecord>): void {
    const known = this.devicesById.get(id);
    if (!known) return;
    this.upsertDevice({ ...known, ...fields }, null);
    this.scheduleFlush();
  }

  /** Devices found by a poll are logged only when new or changed. */
  private upsertDevice(device: DeviceRecord, source: LoggedEvent['source'] | null): void {
    const known = this.devicesById.get(device.id);
    if (known && sameDevice(known, device)) return;
    if (source) {
      this.onBackendEvent(known ? { type: 'device-changed', device } : { type: 'device-added', device }, source);
      return;
    }
    this.pending.record(upsertDevice(this.known, device));
  }

  /** The backend lost or regained its audio system: what is pending goes out first, then a snapshot saying so. */
  private onBackendConnection(disconnected: string | null): void {
    if (this.closed || this.backendInfo.disconnected === disconnected) return;
    this.backendInfo.disconnected = disconnected;
    this.cancelFlush?.();
    this.flush();
    for (const client of this.clients) {
      if (!client.subscribed) continue;
      // A snapshot starts the client's meters over: the next peaks message is full.
      client.sentPeaks = null;
      client.send(this.snapshot());
    }
  }

  private snapshot(): ServerMessage {
    return {
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      backend: { ...this.backendInfo },
      devices: this.devices(),
      sessions: this.sessions(),
      ...this.state.snapshot(this.sessions()),
    };
  }

  /**
   * A change after a quiet frame goes out right after the current turn (what one backend
   * callback or command changes together still travels as one patch); changes within a
   * frame of the last flush wait for the frame's end, so a burst costs one message a frame.
   */
  private scheduleFlush(): void {
    if (this.cancelFlush || this.closed) return;
    const wait = this.lastFlushAt + this.flushIntervalMs - performance.now();
    if (wait <= 0) {
      // Not unref'd: libuv skips the poll phase's wait only for referenced immediates, so an
      // unref'd one waited for the next timer or socket event (up to a meter tick, 50 ms).
      const immediate = setImmediate(() => this.flush());
      this.cancelFlush = () => clearImmediate(immediate);
      return;
    }
    const timer = setTimeout(() => this.flush(), wait).unref();
    this.cancelFlush = () => clearTimeout(timer);
  }

  private flush(): void {
    this.cancelFlush = null;
    this.lastFlushAt = performance.now();
    const records = this.pending.take();
    const hostPart = this.state.take(this.sessionsById);
    const patch = records || hostPart ? { ...(records ?? emptyPatch()), ...hostPart } : null;
    const events = this.pendingEvents;
    this.pendingEvents = [];
    for (const client of this.clients) {
      if (!client.subscribed) continue;
      if (patch) client.send(patch);
      if (events.length > 0) client.send({ type: 'events', events });
    }
  }

  private async handle(client: ClientState | null, input: unknown): Promise<CommandResult> {
    const parsed = parseCommand(input);
    if (!parsed.ok) return parsed;
    try {
      const refused = this.refuse(parsed.command);
      if (refused) return { ok: false, error: refused };
      await this.run(client, parsed.command);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: toCommandError(error) };
    }
  }

  /** Everything checkable before the backend is touched, so a bad command changes nothing. */
  private refuse(command: Command): CommandError | null {
    const { capabilities } = this.backendInfo;
    switch (command.type) {
      case 'subscribe':
      case 'set-app-preference':
      case 'set-device-preference':
      case 'save-profile':
        return null;
      case 'apply-profile':
      case 'delete-profile':
        return this.state.profiles.get(command.name) ? null : { code: 'unknown-profile', message: `no profile named ${command.name}` };
      case 'set-output-device':
        return this.refuseOutputDevice(command.sessionIds, command.deviceId);
      case 'set-balance': {
        if (!capabilities.channelVolumes) return { code: 'not-supported', message: `the ${this.backend.name} backend has no channel volumes, so no balance` };
        const refused = this.refuseSessions(command.sessionIds);
        if (refused) return refused;
        const mono = this.knownSessions(command.sessionIds).find((session) => session.channelVolumes.length < 2);
        return mono ? { code: 'bad-request', message: `session ${mono.id} (${mono.displayName}) has ${mono.channelVolumes.length} channel(s): no balance` } : null;
      }
      case 'undo-outside-change': {
        const refused = this.refuseSessions([command.sessionId]);
        if (refused) return refused;
        const last = this.state.tracker.lastChange(command.sessionId);
        return last && OUTSIDE_ORIGINS.includes(last.origin)
          ? null
          : { code: 'bad-request', message: `the last change of session ${command.sessionId} was ${last ? `made by SndMix (${last.origin})` : 'not seen'}: nothing from outside to undo` };
      }
      case 'set-meters':
        return command.enabled && !capabilities.peakMeters
          ? { code: 'not-supported', message: `the ${this.backend.name} backend has no peak meters` }
          : null;
      case 'set-volume':
      case 'set-mute':
        return this.refuseSessions(command.sessionIds);
      case 'set-channel-volume': {
        if (!capabilities.channelVolumes) {
          return { code: 'not-supported', message: `the ${this.backend.name} backend has no channel volumes` };
        }
        const refused = this.refuseSessions([command.sessionId]);
        if (refused) return refused;
        const channels = this.sessionsById.get(command.sessionId)?.channelVolumes.length ?? 0;
        return command.channel < channels
          ? null
          : { code: 'bad-request', message: `session ${command.sessionId} has ${channels} channels, not ${command.channel + 1}` };
      }
      case 'set-device-volume':
      case 'set-device-mute': {
        const supported = command.type === 'set-device-volume' ? capabilities.deviceVolume : capabilities.deviceMute;
        if (!supported) {
          return { code: 'not-supported', message: `the ${this.backend.name} backend cannot set a device's ${command.type === 'set-device-volume' ? 'volume' : 'mute'}` };
        }
        return this.devicesById.has(command.deviceId)
          ? null
          : { code: 'unknown-device', message: `no device with id ${command.deviceId}` };
      }
    }
  }

  private refuseOutputDevice(ids: readonly string[], deviceId: string | null): CommandError | null {
    if (!this.backendInfo.capabilities.outputDevice || !this.backend.setOutputDevice) {
      return { code: 'not-supported', message: `the ${this.backend.name} backend cannot send an app to another device` };
    }
    const refused = this.refuseSessions(ids);
    if (refused) return refused;
    if (deviceId === null) return null;
    const device = this.devicesById.get(deviceId);
    if (!device) return { code: 'unknown-device', message: `no device with id ${deviceId}` };
    const other = this.knownSessions(ids).find((session) => session.flow !== device.flow);
    return other ? { code: 'bad-request', message: `session ${other.id} is ${other.flow}, device ${deviceId} is ${device.flow}` } : null;
  }

  /** The records of sessions refuseSessions() found. */
  private knownSessions(ids: readonly string[]): SessionRecord[] {
    return ids.flatMap((id) => this.sessionsById.get(id) ?? []);
  }

  private refuseSessions(ids: readonly string[]): CommandError | null {
    for (const id of ids) {
      const session = this.sessionsById.get(id);
      if (!session) return { code: 'unknown-session', message: `session ${id} is gone: it ended or its device went away` };
      if (session.disconnected) {
        return { code: 'disconnected', message: `session ${id} (${session.displayName}) is disconnected: ${session.disconnected}` };
      }
    }
    return null;
  }

  private async run(client: ClientState | null, command: Command): Promise<void> {
    const context = client?.context ?? this.eventContext;
    switch (command.type) {
      case 'subscribe':
        if (!client) return;
        client.subscribed = true;
        // A snapshot starts the client's meters over: the next peaks message is full.
        client.sentPeaks = null;
        client.send(this.snapshot());
        return;
      case 'set-meters':
        if (!client) return;
        // Meters that stop showing fall to silence: what the client holds matches what it was sent.
        if (!command.enabled && client.sentPeaks && client.meters && client.subscribed) {
          const zeros = peakChanges(client.sentPeaks, new Map());
          const deviceZeros = client.sentDevicePeaks ? peakChanges(client.sentDevicePeaks, new Map()) : null;
          if (zeros || deviceZeros) this.sendPeaksTo(client, zeros ?? {}, deviceZeros, false);
        }
        if (command.enabled && !client.meters) client.sentPeaks = null;
        client.meters = command.enabled;
        this.updateMeterTimer();
        return;
      // Some platforms (Wine) never notify the changer: an accepted value is the truth.
      case 'set-volume':
        await Promise.all(command.sessionIds.map((id) => this.backend.setSessionVolume(id, command.volume, context)));
        for (const id of command.sessionIds) this.patchSession(id, { volume: command.volume }, context);
        this.scheduleFlush();
        return;
      case 'set-mute':
        await Promise.all(command.sessionIds.map((id) => this.backend.setSessionMute(id, command.muted, context)));
        for (const id of command.sessionIds) this.patchSession(id, { muted: command.muted }, context);
        this.scheduleFlush();
        return;
      case 'set-channel-volume': {
        await this.backend.setChannelVolume(command.sessionId, command.channel, command.volume, context);
        const channelVolumes = [...(this.sessionsById.get(command.sessionId)?.channelVolumes ?? [])];
        channelVolumes[command.channel] = command.volume;
        this.patchSession(command.sessionId, { channelVolumes }, context);
        this.scheduleFlush();
        return;
      }
      case 'set-device-volume':
        await this.backend.setDeviceVolume(command.deviceId, command.volume);
        this.patchDevice(command.deviceId, { volume: command.volume });
        return;
      case 'set-device-mute':
        await this.backend.setDeviceMute(command.deviceId, command.muted);
        this.patchDevice(command.deviceId, { muted: command.muted });
        return;
      case 'set-output-device':
        // The backend's events tell where the app went (on PulseAudio a new record on that device).
        for (const id of command.sessionIds) await this.backend.setOutputDevice?.(id, command.deviceId);
        return;
      case 'set-balance':
        return this.runAll(client, balanceCommands(this.knownSessions(command.sessionIds), command.balance));
      case 'undo-outside-change': {
        const session = this.sessionsById.get(command.sessionId);
        const last = this.state.tracker.lastChange(command.sessionId);
        // Both were checked by refuse(); nothing to do when they went meanwhile.
        if (!session || !last) return;
        return this.runAll(client, undoCommands(session, last, this.backendInfo.capabilities));
      }
      case 'set-app-preference': {
        const { type: _type, appKey, ...change } = command;
        await this.state.preferences.setApp(appKey, change);
        this.changedState('preferences');
        if (change.reapplyProfile) for (const session of this.sessions()) if (appKeyOf(session) === appKey) this.applyRule(session);
        return;
      }
      case 'set-device-preference': {
        const { type: _type, deviceId, ...change } = command;
        await this.state.preferences.setDevice(deviceId, change);
        this.changedState('preferences');
        return;
      }
      case 'save-profile':
        await this.state.profiles.save(command.name, profileFromSessions(this.sessions(), this.backendInfo.capabilities), this.now());
        this.changedState('profiles');
        return;
      case 'apply-profile': {
        const profile = this.state.profiles.get(command.name);
        if (!profile) return;
        return this.runAll(client, profileCommands(profile, this.sessions(), this.backendInfo.capabilities, new Set(this.devicesById.keys())));
      }
      case 'delete-profile':
        await this.state.profiles.delete(command.name);
        this.changedState('profiles');
        if (await this.state.preferences.dropRulesFor(command.name)) this.changedState('preferences');
        return;
    }
  }

  /** Runs the commands a compound action (balance, profile, undo) comes to, in order, each checked as if sent alone. */
  private async runAll(client: ClientState | null, commands: readonly Command[]): Promise<void> {
    for (const command of commands) {
      const refused = this.refuse(command);
      if (refused) throw new CommandRefused(refused);
      await this.run(client, command);
    }
  }

  private changedState(part: 'preferences' | 'profiles'): void {
    this.state.markChanged(part);
    this.scheduleFlush();
  }

  /** An app with a re-apply rule gets its profile entry when one of its sessions appears. */
  private applyRule(session: SessionRecord): void {
    const rule = this.state.preferences.app(appKeyOf(session)).reapplyProfile;
    const entry = rule ? this.state.profiles.get(rule)?.apps[appKeyOf(session)] : undefined;
    if (!entry || session.state === 'expired' || session.disconnected) return;
    const commands = entryCommands(session, entry, this.backendInfo.capabilities, new Set(this.devicesById.keys()));
    if (commands.length === 0) return;
    const asRule: ClientState = { send: () => true, context: this.ruleContext, subscribed: false, meters: false, sentPeaks: null, sentDevicePeaks: null };
    this.runAll(asRule, commands).catch((error: unknown) => {
      this.onError(`re-applying profile ${rule} to ${session.displayName} failed: ${describe(error)}`);
    });
  }

  /** A patch when the oldest recently heard entry leaves the window. */
  private scheduleHeardExpiry(): void {
    if (this.heardTimer || this.closed) return;
    const next = this.state.pruneHeard();
    if (next === null) return;
    this.heardTimer = setTimeout(() => {
      this.heardTimer = null;
      this.state.pruneHeard();
      this.scheduleFlush();
      this.scheduleHeardExpiry();
    }, Math.max(0, next - this.now()) + 10);
    this.heardTimer.unref();
  }

  private updateMeterTimer(): void {
    const wanted = this.backendInfo.capabilities.peakMeters && [...this.clients].some((client) => client.meters);
    if (wanted && !this.meterTimer && !this.closed) {
      const tick = async () => {
        await this.sendPeaks();
        if (this.meterTimer) this.meterTimer = setTimeout(tick, this.meterIntervalMs).unref();
      };
      this.meterTimer = setTimeout(tick, this.meterIntervalMs).unref();
    } else if (!wanted && this.meterTimer) {
      clearTimeout(this.meterTimer);
      this.meterTimer = null;
    }
  }

  private async sendPeaks(): Promise<void> {
    const ids = this.sessions()
      .filter((session) => session.state === 'active' && !session.disconnected)
      .map((session) => session.id);
    const deviceIds = this.backendInfo.capabilities.devicePeakMeters && this.backend.getDevicePeaks
      ? this.devices().filter((device) => device.state === 'active').map((device) => device.id)
      : [];
    let read: Record<string, number>;
    let readDevices: Record<string, number>;
    try {
      [read, readDevices] = await Promise.all([
        ids.length > 0 ? this.backend.getPeaks(ids) : {},
        deviceIds.length > 0 ? (this.backend.getDevicePeaks?.(deviceIds) ?? {}) : {},
      ]);
    } catch (error) {
      this.onError(`reading peaks failed: ${describe(error)}`);
      return;
    }
    const steps = peakSteps(read);
    const deviceSteps = peakSteps(readDevices);
    for (const client of this.clients) {
      if (!client.meters || !client.subscribed) continue;
      if (!client.sentPeaks || !client.sentDevicePeaks) {
        client.sentPeaks = new Map(steps);
        client.sentDevicePeaks = new Map(deviceSteps);
        this.sendPeaksTo(client, Object.fromEntries(steps), deviceSteps.size > 0 ? Object.fromEntries(deviceSteps) : null, true);
        continue;
      }
      const changed = peakChanges(client.sentPeaks, steps);
      const changedDevices = peakChanges(client.sentDevicePeaks, deviceSteps);
      if (changed || changedDevices) this.sendPeaksTo(client, changed ?? {}, changedDevices, false);
    }
  }

  /** A peaks message the transport dropped leaves the client's levels unknown: the next one is full. */
  private sendPeaksTo(client: ClientState, peaks: Record<string, number>, devicePeaks: Record<string, number> | null, full: boolean): void {
    const message: ServerMessage = { type: 'peaks', peaks, ...(devicePeaks ? { devicePeaks } : {}), ...(full ? { full } : {}) };
    if (!client.send(message)) client.sentPeaks = null;
  }
}

/** Readings as the whole steps the peaks message carries; silent ones left out (absent: 0). */
function peakSteps(read: Record<string, number>): Map<string, number> {
  const steps = new Map<string, number>();
  for (const [id, peak] of Object.entries(read)) {
    const step = peakStep(peak);
    if (step > 0) steps.set(id, step);
  }
  return steps;
}

/**
 * What a client must be told to go from the levels it was sent to `now` (absent: 0), or
 * null when nothing changed; `sent` becomes `now`.
 */
function peakChanges(sent: Map<string, number>, now: ReadonlyMap<string, number>): Record<string, number> | null {
  let changed: Record<string, number> | null = null;
  for (const [id, step] of now) {
    if (sent.get(id) === step) continue;
    (changed ??= {})[id] = step;
    sent.set(id, step);
  }
  for (const id of sent.keys()) {
    if (now.has(id)) continue;
    (changed ??= {})[id] = 0;
    sent.delete(id);
  }
  return changed;
}

/** Accumulates store changes between two flushes and turns them into one patch. */
class PendingDiff {
  private added = new Map<string, SessionRecord>();
  private changed = new Map<string, SessionChange['changes']>();
  private removed = new Set<string>();
  private devices = new Map<string, DeviceRecord>();
  private removedDevices = new Set<string>();

  /** Takes in what changed in the store. */
  record(changes: readonly RecordChange[]): void {
    for (const change of changes) {
      switch (change.kind) {
        case 'session-added':
          this.add(change.session);
          break;
        case 'session-changed':
          this.change(change.id, change.changes);
          break;
        case 'session-removed':
          this.remove(change.id);
          break;
        case 'device-upserted':
          this.upsertDevice(change.device);
          break;
        case 'device-removed':
          this.removeDevice(change.id);
          break;
      }
    }
  }

  add(session: SessionRecord): void {
    this.removed.delete(session.id);
    this.changed.delete(session.id);
    this.added.set(session.id, session);
  }

  change(id: string, changes: SessionChange['changes']): void {
    const added = this.added.get(id);
    if (added) {
      this.added.set(id, { ...added, ...changes });
      return;
    }
    this.changed.set(id, { ...this.changed.get(id), ...changes });
  }

  remove(id: string): void {
    this.changed.delete(id);
    // A session born and gone within one frame never reaches the clients.
    if (!this.added.delete(id)) this.removed.add(id);
  }

  upsertDevice(device: DeviceRecord): void {
    this.removedDevices.delete(device.id);
    this.devices.set(device.id, device);
  }

  removeDevice(id: string): void {
    this.devices.delete(id);
    this.removedDevices.add(id);
  }

  take(): Extract<ServerMessage, { type: 'patch' }> | null {
    const empty =
      this.added.size + this.changed.size + this.removed.size + this.devices.size + this.removedDevices.size === 0;
    if (empty) return null;
    const patch: Extract<ServerMessage, { type: 'patch' }> = {
      type: 'patch',
      devices: { upserted: [...this.devices.values()], removed: [...this.removedDevices] },
      sessions: {
        added: [...this.added.values()],
        changed: [...this.changed.entries()].map(([id, changes]) => ({ id, changes })),
        removed: [...this.removed],
      },
    };
    this.added = new Map();
    this.changed = new Map();
    this.removed = new Set();
    this.devices = new Map();
    this.removedDevices = new Set();
    return patch;
  }
}

/** A step of a compound action the host's checks refused: its error is the action's. */
class CommandRefused extends Error {
  constructor(readonly error: CommandError) {
    super(error.message);
  }
}

function emptyPatch(): Extract<ServerMessage, { type: 'patch' }> {
  return { type: 'patch', devices: { upserted: [], removed: [] }, sessions: { added: [], changed: [], removed: [] } };
}

function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandRefused) return error.error;
  if (error instanceof BackendError) {
    const code = {
      'not-found': 'unknown-session',
      'not-supported': 'not-supported',
      disconnected: 'disconnected',
      unavailable: 'backend-error',
      'invalid-argument': 'bad-request',
      'os-error': 'backend-error',
    } as const;
    return { code: code[error.code], message: error.message };
  }
  return { code: 'backend-error', message: describe(error) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
