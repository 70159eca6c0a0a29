// The engine host: owns one backend and keeps one store of its devices and sessions, fed
// by the backend's events (and, where the backend asks for it, a reconcile poll:
// reconcile.ts). It runs commands from untrusted senders (each checked first:
// command-checks.ts; errors as command-errors.ts words them), logs every backend event
// (event-log.ts), keeps its own state beside the records (host-state.ts: notes,
// preferences, profiles, recently heard) and applies re-apply rules (mixer-commands.ts).
// Clients (one per IPC window or WebSocket) get a snapshot on subscribe, then patches of
// what changed (pending-diff.ts) and the logged events, sent when flush-schedule.ts says,
// each session's icon once per client (icon-table.ts);
// meters go out by meter-feed.ts. Guarantees:
// - a command is checked before the backend is touched: a refused one changes nothing;
//   handle() and execute() never throw, and answer every command;
// - a change SndMix made that the backend accepted is in the store (and the next patch)
//   even where the platform never notifies the changer;
// - every subscribed client receives every patch and event batch, in the order the store
//   changed; a snapshot after losing or regaining the audio system follows what was pending;
// - nothing is sent, polled or read after close().
import type {
  AudioBackend,
  BackendEvent,
  DeviceRecord,
  SessionRecord,
} from '../native-bridge/types';
import type { KnownRecords } from '../native-bridge/session-events';
import { applyEvent, patchSession, upsertDevice } from '../native-bridge/session-events';
import type {
  BackendInfo,
  Command,
  CommandError,
  CommandResult,
  LoggedEvent,
  ServerMessage,
  SessionChange,
} from './contract';
import { PROTOCOL_VERSION, parseCommand } from './contract';
import { EventLog } from './event-log';
import type { ClientKind } from './change-origin';
import { mintEventContext } from './change-origin';
import { HostStateKeeper } from './host-state';
import { IconTableWriter } from './icon-table';
import { balanceCommands, entryCommands, profileCommands, profileFromSessions, undoCommands } from './mixer-commands';
import { appKeyOf } from './app-identity';
import { knownSessions, refusalOf } from './command-checks';
import { CommandRefused, messageOf, toCommandError } from './command-errors';
import { FlushSchedule } from './flush-schedule';
import type { MeterClient } from './meter-feed';
import { MeterFeed } from './meter-feed';
import { emptyPatch, PendingDiff } from './pending-diff';
import { Reconciler } from './reconcile';

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


/** What the host keeps of one connected client (or of itself, running rules). */
interface ClientState extends MeterClient {
  /** This client's event context (core/change-origin.ts): how its changes are told from others'. */
  context: string;
  /** The icons sent to this client since its last snapshot. */
  icons: IconTableWriter;
  /** It takes the state: a snapshot, then patches and events. */
  subscribed: boolean;
}

function newClient(send: (message: ServerMessage) => boolean, context: string): ClientState {
  return { send, context, icons: new IconTableWriter(), subscribed: false, takesPeaks: false, meters: false, sentPeaks: null, sentDevicePeaks: null };
}

const FRAME_MS = 16;
const METER_MS = 50;

export class EngineHost {
  /** The event context of commands run through execute() (the CLI); each connected client mints its own. */
  readonly eventContext = mintEventContext('cli');
  /** Who the host's own changes (re-apply rules) come from: a change of this mixer, sent to no one. */
  private readonly asRule = newClient(() => true, mintEventContext('mixer'));
  readonly backendInfo: BackendInfo;
  readonly events: EventLog;

  private readonly sessionsById = new Map<string, SessionRecord>();
  private readonly devicesById = new Map<string, DeviceRecord>();
  private readonly known: KnownRecords = { sessions: this.sessionsById, devices: this.devicesById };
  private readonly clients = new Set<ClientState>();
  private readonly eventListeners = new Set<(event: LoggedEvent) => void>();
  private readonly pending = new PendingDiff();
  private pendingEvents: LoggedEvent[] = [];
  private readonly flushes: FlushSchedule;
  private readonly meters: MeterFeed;
  private readonly reconciler: Reconciler;
  private closed = false;
  private unsubscribe: () => void = () => undefined;
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
    this.onError = options.onError ?? ((message) => console.error(message));
    this.now = options.now ?? Date.now;
    this.flushes = new FlushSchedule(options.flushIntervalMs ?? FRAME_MS, () => this.flush());
    this.meters = new MeterFeed({
      backend,
      capabilities: this.backendInfo.capabilities,
      known: this.known,
      clients: this.clients,
      intervalMs: options.meterIntervalMs ?? METER_MS,
      onError: this.onError,
    });
    this.reconciler = new Reconciler(
      backend,
      {
        known: this.known,
        onPolledEvent: (event) => this.onBackendEvent(event, 'poll'),
        correct: (listed, changes) => {
          this.sessionsById.set(listed.id, listed);
          this.pending.change(listed.id, changes);
          this.scheduleFlush();
        },
      },
      this.onError,
    );
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
    if (pollMs !== null) host.reconciler.startPolling(pollMs);
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
    const client = newClient(send, mintEventContext(kind));
    this.clients.add(client);
    return {
      handle: (input) => this.handle(client, input),
      close: () => {
        this.clients.delete(client);
        this.meters.update();
      },
    };
  }

  /** Runs a command on behalf of the CLI or a transport; never throws. */
  async execute(input: unknown): Promise<CommandResult> {
    return this.handle(null, input);
  }

  /** Re-reads everything from the backend and reconciles the store with it. */
  async reconcile(): Promise<void> {
    await this.reconciler.reconcile();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flushes.cancel();
    this.reconciler.stop();
    this.meters.stop();
    if (this.heardTimer) clearTimeout(this.heardTimer);
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
    if (event.type === 'device-added' && source === 'event') void this.reconciler.listDeviceSessions(event.device.id);
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
    this.pending.record(upsertDevice(this.known, { ...known, ...fields }));
    this.scheduleFlush();
  }

  /** The backend lost or regained its audio system: what is pending goes out first, then a snapshot saying so. */
  private onBackendConnection(disconnected: string | null): void {
    if (this.closed || this.backendInfo.disconnected === disconnected) return;
    this.backendInfo.disconnected = disconnected;
    this.flushes.flushNow();
    for (const client of this.clients) {
      if (client.subscribed) this.sendSnapshot(client);
    }
  }

  private sendSnapshot(client: ClientState): void {
    this.meters.startOver(client);
    client.send(
      client.icons.encode({
        type: 'snapshot',
        protocol: PROTOCOL_VERSION,
        backend: { ...this.backendInfo },
        devices: this.devices(),
        sessions: this.sessions(),
        ...this.state.snapshot(this.sessions()),
      }),
    );
  }

  /** A change is pending: flush-schedule.ts decides when it goes out. */
  private scheduleFlush(): void {
    if (!this.closed) this.flushes.schedule();
  }

  /** Sends every subscribed client what changed since the last flush: one patch, then the logged events. */
  private flush(): void {
    const records = this.pending.take();
    const hostPart = this.state.take(this.sessionsById);
    const patch = records || hostPart ? { ...(records ?? emptyPatch()), ...hostPart } : null;
    const events = this.pendingEvents;
    this.pendingEvents = [];
    for (const client of this.clients) {
      if (!client.subscribed) continue;
      if (patch) client.send(client.icons.encode(patch));
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

  private refuse(command: Command): CommandError | null {
    return refusalOf(command, { backend: this.backend, capabilities: this.backendInfo.capabilities, known: this.known, state: this.state });
  }

  private async run(client: ClientState | null, command: Command): Promise<void> {
    const context = client?.context ?? this.eventContext;
    switch (command.type) {
      case 'subscribe': {
        if (!client) return;
        const messages = command.messages ?? 'all';
        client.takesPeaks = messages !== 'state';
        client.subscribed = messages !== 'peaks';
        if (client.subscribed) this.sendSnapshot(client);
        // Peaks alone: the next peaks message is full, as after a snapshot.
        else this.meters.startOver(client);
        return;
      }
      case 'set-meters':
        if (!client) return;
        this.meters.setMeters(client, command.enabled);
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
        return this.runAll(client, balanceCommands(knownSessions(this.known, command.sessionIds), command.balance));
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
    this.runAll(this.asRule, commands).catch((error: unknown) => {
      this.onError(`re-applying profile ${rule} to ${session.displayName} failed: ${messageOf(error)}`);
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
}
