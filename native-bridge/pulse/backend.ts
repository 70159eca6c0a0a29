// The pulse backend: SndMix on a PulseAudio or pipewire-pulse server, through the native
// protocol (pulseaudio.js, no subprocesses, no libpulse). See session-model.ts for how
// streams become sessions and volume.ts for the volume mapping.
//
// Live state comes from the server's change events only (pollIntervalMs null): each event
// fetches the one object it names, the views it can have changed are built again (buildViews)
// and diffed against the old ones into BackendEvents. Event handling is pipelined but applied
// in the order the server sent it.
//
// When the server goes away (stopped, crashed, restarted) every session is reported
// disconnected with reason 'server-shutdown', commands fail with BackendError
// 'disconnected', and the backend reconnects with exponential backoff. Once back, the old
// sessions terminate and the server's current ones are announced afresh.
import type {
  AudioBackend,
  BackendEvent,
  BackendListener,
  Capabilities,
  DeviceRecord,
  SessionRecord,
} from '../types';
import { BackendError } from '../types';
import type { ServerEvent } from './connection';
import { PulseConnection } from './connection';
import type { IconResolverOptions } from './icon-theme';
import { IconResolver } from './icon-theme';
import type { PeakMeterOptions } from './peak-meters';
import { PeakMeters } from './peak-meters';
import type { IconQuery, SessionView } from './session-model';
import { buildDevices, buildSessions, defaultDeviceIdsOf, deviceIdOf, diffDevices, diffSessions, iconQueryKey, rebuildSessions } from './session-model';
import { loadCookie, serverAddresses } from './server-address';
import type { DeviceKind, PaClient, PaDevice, PaServerInfo, PaStream, StreamKind } from './server-records';
import { deviceKey, PA_INVALID_INDEX, streamKey } from './server-records';
import { sameChannelVolumes, scalarToPaVolume, scaleChannelsTo } from './volume';

export interface PulseBackendOptions {
  /** Server address in PULSE_SERVER syntax ("unix:/path", "tcp:host:4713"); default: found as libpulse does (server-address.ts). */
  server?: string;
  /**
   * Show monitor sources ("Monitor of ...") as capture devices (default true): whoever
   * records what a sink plays (a screen recorder, parec of a monitor) is a recording
   * session there. False hides them and their recorders, as Sndvol hides Stereo Mix.
   */
  includeMonitorSources?: boolean;
  icons?: IconResolverOptions;
  /** Bound on connecting and on every request; a server silent for longer counts as gone. */
  timeoutMs?: number;
  /** Reconnect backoff: first delay, doubled after each failed attempt up to max. */
  reconnectDelayMs?: { initial?: number; max?: number };
  /**
   * How long a volume/mute change SndMix made is attributed to the eventContext it passed
   * (the server's change events carry no context): events for that session within this
   * window, until the streams reach the requested values, carry it; others read 'external'.
   */
  ownChangeWindowMs?: number;
  peakMeters?: PeakMeterOptions;
  /** Connection lost / restored, reconnect failures: for the user's log. */
  onWarning?: (message: string) => void;
}

export type PulseConnectionState = 'connected' | 'reconnecting' | 'closed';

const CAPABILITIES: Capabilities = {
  peakMeters: true,
  channelVolumes: true,
  icons: true,
  deviceVolume: true,
  deviceMute: true,
  // PulseAudio's module-role-ducking exists but exposes nothing a client can observe or drive.
  ducking: false,
  outputDevice: true,
  devicePeakMeters: true,
  // The server does not say which client changed a stream: others' changes are "outside".
  foreignEventContexts: false,
  sessionVolumeCurve: 'cubic',
};

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RECONNECT_INITIAL_MS = 250;
const DEFAULT_RECONNECT_MAX_MS = 5000;
const DEFAULT_OWN_CHANGE_WINDOW_MS = 1000;

interface StreamTarget {
  volumes?: number[];
  muted?: boolean;
}

interface PendingTarget extends StreamTarget {
  /** The connection's request count once the write was sent (PulseConnection.requestsSent). */
  sentAs: number;
}

interface OwnChange {
  eventContext: string;
  expiresAt: number;
  /** What each stream (by streamKey) was asked to become; reached targets end the attribution early. */
  targets: Map<string, PendingTarget>;
}

type Update =
  | { kind: 'device'; deviceKind: DeviceKind; index: number; device: PaDevice | null }
  | { kind: 'stream'; streamKind: StreamKind; index: number; stream: PaStream | null; readAfter: number; client: PaClient | null }
  | { kind: 'client'; index: number; client: PaClient | null }
  | { kind: 'server'; info: PaServerInfo };

interface Views {
  deviceRecords: DeviceRecord[];
  sessions: Map<string, SessionView>;
}

/** What an update changed of what the views are built from: the streams it touched (by streamKey), or everything. */
type Changed = ReadonlySet<string> | 'all';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkScalar(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new BackendError('invalid-argument', `${what} must be a number from 0 to 1, not ${String(value)}`);
  }
}

export async function createPulseBackend(options: PulseBackendOptions = {}): Promise<PulseBackend> {
  const backend = new PulseBackend(options);
  await backend.start();
  return backend;
}

export class PulseBackend implements AudioBackend {
  readonly name = 'pulse' as const;
  readonly capabilities = CAPABILITIES;
  readonly pollIntervalMs = null;

  private connection: PulseConnection | null = null;
  /** Bumped on every connect, loss and close: queued work of an older generation is dropped. */
  private generation = 0;
  private work: Promise<void> = Promise.resolve();
  private state: PulseConnectionState = 'reconnecting';
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay: number;
  /** Reconnect failures are reported once per outage; connectionState tells the rest. */
  private reconnectFailureReported = false;

  private server: PaServerInfo = { name: '', version: '', defaultSinkName: null, defaultSourceName: null };
  private readonly devices = new Map<string, PaDevice>();
  /** Each stream's last record, and how many requests had been sent when it was asked for. */
  private readonly streams = new Map<string, { stream: PaStream; readAfter: number }>();
  private readonly clients = new Map<number, PaClient>();
  /**
   * The clients SndMix follows on this connection (the snapshot's, and each one read with
   * its first stream), by index: their reads, done or on their way. Others' events (pactl's
   * own client, connected for one command) cost no request.
   */
  private clientReads = new Map<number, Promise<PaClient | null>>();
  private deviceRecords: DeviceRecord[] = [];
  private sessions = new Map<string, SessionView>();
  /** Devices whose sessions were listed once: only their sessions produce events (R22). */
  private readonly enumerated = new Set<string>();
  /** Sessions the listeners know of, through listSessions or session-created. */
  private readonly announced = new Set<string>();
  private readonly ownChanges = new Map<string, OwnChange>();
  /** SndMix's own client on the server (its peak-meter streams are not sessions). */
  private ownClientIndex = -1;
  private readonly listeners = new Set<BackendListener>();
  private readonly connectionListeners = new Set<(disconnected: string | null) => void>();
  private readonly icons: IconResolver;
  /** Resolved icons by iconQueryKey. */
  private readonly iconData = new Map<string, string | null>();
  private readonly peaks: PeakMeters;
  private readonly timeoutMs: number;
  private readonly reconnectInitialMs: number;
  private readonly reconnectMaxMs: number;
  private readonly ownChangeWindowMs: number;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: PulseBackendOptions = {}) {
    this.icons = new IconResolver(options.icons);
    this.peaks = new PeakMeters(options.peakMeters);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.reconnectInitialMs = options.reconnectDelayMs?.initial ?? DEFAULT_RECONNECT_INITIAL_MS;
    this.reconnectMaxMs = options.reconnectDelayMs?.max ?? DEFAULT_RECONNECT_MAX_MS;
    this.reconnectDelay = this.reconnectInitialMs;
    this.ownChangeWindowMs = options.ownChangeWindowMs ?? DEFAULT_OWN_CHANGE_WINDOW_MS;
    this.warn = options.onWarning ?? (() => undefined);
  }

  get connectionState(): PulseConnectionState {
    return this.state;
  }

  /** "PulseAudio 16.1 on unix:/run/user/1000/pulse/native", or null while disconnected. */
  get serverDescription(): string | null {
    if (!this.connection) return null;
    return `${this.server.name} ${this.server.version} on ${this.connection.address}`;
  }

  /** Requests sent to the server on the current connection (0 while disconnected): what following it costs. */
  get serverRequests(): number {
    return this.connection?.requestsSent ?? 0;
  }

  /** A method, not a property check: TypeScript would keep a narrowed state across awaits. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  /** First connection: no server is an error (BackendError 'unavailable'), not a reason to retry. */
  async start(): Promise<void> {
    await this.connect(false);
  }

  // ---- AudioBackend --------------------------------------------------------------------

  async listDevices(): Promise<DeviceRecord[]> {
    await this.work;
    return this.deviceRecords.map((device) => ({ ...device, defaultFor: [...device.defaultFor] }));
  }

  async listSessions(deviceId: string): Promise<SessionRecord[]> {
    // Wait for events already received, so the list and the events that follow it agree.
    await this.work;
    if (!this.deviceRecords.some((device) => device.id === deviceId)) {
      throw new BackendError('not-found', `no PulseAudio device with id ${deviceId}`);
    }
    this.enumerated.add(deviceId);
    const records: SessionRecord[] = [];
    for (const view of this.sessions.values()) {
      if (view.record.deviceId !== deviceId) continue;
      this.announced.add(view.record.id);
      records.push(copySession(view.record));
    }
    return records;
  }

  async setSessionVolume(sessionId: string, volume: number, eventContext: string): Promise<void> {
    checkScalar(volume, 'volume');
    const { connection, view } = this.sessionForCommand(sessionId);
    const writes = view.streams
      .filter((stream) => stream.hasVolume && stream.writableVolume && stream.channelVolumes.length > 0)
      .map((stream) => ({ stream, target: { volumes: scaleChannelsTo(this.volumesAfterOwnWrites(view, stream), scalarToPaVolume(volume)) } }));
    if (writes.length === 0) throw this.noWritableVolume(view);
    const requests = writes.map(({ stream, target }) => connection.setStreamVolume(stream.kind, stream.index, target.volumes));
    this.rememberOwnChange(view, eventContext, writes, connection.requestsSent);
    await this.run(requests);
  }

  async setSessionMute(sessionId: string, muted: boolean, eventContext: string): Promise<void> {
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', `muted must be true or false, not ${String(muted)}`);
    const { connection, view } = this.sessionForCommand(sessionId);
    const writes = view.streams.map((stream) => ({ stream, target: { muted } }));
    const requests = writes.map(({ stream }) => connection.setStreamMute(stream.kind, stream.index, muted));
    this.rememberOwnChange(view, eventContext, writes, connection.requestsSent);
    await this.run(requests);
  }

  async setChannelVolume(sessionId: string, channel: number, volume: number, eventContext: string): Promise<void> {
    checkScalar(volume, 'volume');
    const { connection, view } = this.sessionForCommand(sessionId);
    const channels = view.record.channelVolumes.length;
    if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
      throw new BackendError('invalid-argument', `session ${sessionId} has ${channels} channels; there is no channel ${String(channel)}`);
    }
    const writes = view.streams
      .filter((stream) => stream.hasVolume && stream.writableVolume && stream.channelVolumes.length > channel)
      .map((stream) => {
        const volumes = [...this.volumesAfterOwnWrites(view, stream)];
        volumes[channel] = scalarToPaVolume(volume);
        return { stream, target: { volumes } };
      });
    if (writes.length === 0) throw this.noWritableVolume(view);
    const requests = writes.map(({ stream, target }) => connection.setStreamVolume(stream.kind, stream.index, target.volumes));
    this.rememberOwnChange(view, eventContext, writes, connection.requestsSent);
    await this.run(requests);
  }

  async setDeviceVolume(deviceId: string, volume: number): Promise<void> {
    checkScalar(volume, 'volume');
    const { connection, device } = this.deviceForCommand(deviceId);
    const volumes = scaleChannelsTo(device.channelVolumes, scalarToPaVolume(volume));
    await this.run([connection.setDeviceVolume(device.kind, device.index, volumes)]);
  }

  async setDeviceMute(deviceId: string, muted: boolean): Promise<void> {
    if (typeof muted !== 'boolean') throw new BackendError('invalid-argument', `muted must be true or false, not ${String(muted)}`);
    const { connection, device } = this.deviceForCommand(deviceId);
    await this.run([connection.setDeviceMute(device.kind, device.index, muted)]);
  }

  async getPeaks(sessionIds: readonly string[]): Promise<Record<string, number>> {
    const peaks: Record<string, number> = {};
    for (const id of sessionIds) {
      const view = this.sessions.get(id);
      if (!view) continue;
      peaks[id] = this.connection ? Math.max(0, ...view.streams.map((stream) => this.peaks.peakOf(stream, this.devices))) : 0;
    }
    return peaks;
  }

  async getDevicePeaks(deviceIds: readonly string[]): Promise<Record<string, number>> {
    const peaks: Record<string, number> = {};
    for (const id of deviceIds) {
      const device = [...this.devices.values()].find((candidate) => deviceIdOf(candidate.kind, candidate.name) === id);
      if (device) peaks[id] = this.connection ? this.peaks.devicePeakOf(device) : 0;
    }
    return peaks;
  }

  /**
   * Moves every stream of the session to the device (pactl move-sink-input /
   * move-source-output); null moves them to the server's default device. The session then
   * ends on its old device and appears on the new one (its id includes the device).
   */
  async setOutputDevice(sessionId: string, deviceId: string | null): Promise<void> {
    const { connection, view } = this.sessionForCommand(sessionId);
    const kind = view.record.flow === 'render' ? 'sink' : 'source';
    let name: string | null;
    if (deviceId === null) {
      name = kind === 'sink' ? this.server.defaultSinkName : this.server.defaultSourceName;
      if (name === null) throw new BackendError('not-found', `the PulseAudio server has no default ${kind}`);
    } else {
      const { device } = this.deviceForCommand(deviceId);
      if (device.kind !== kind) throw new BackendError('invalid-argument', `session ${sessionId} plays to a ${kind}; ${deviceId} is a ${device.kind}`);
      name = device.name;
    }
    const target = name;
    await this.run(view.streams.map((stream) => connection.moveStream(stream.kind, stream.index, target)));
  }

  subscribe(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  onConnectionChange(listener: (disconnected: string | null) => void): () => void {
    this.connectionListeners.add(listener);
    return () => {
      this.connectionListeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.generation++;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.peaks.detach();
    const connection = this.connection;
    this.connection = null;
    this.listeners.clear();
    this.connectionListeners.clear();
    await connection?.close();
  }

  // ---- connection lifecycle ------------------------------------------------------------

  private async connect(afterLoss: boolean): Promise<void> {
    const connection = await PulseConnection.open({
      addresses: serverAddresses(this.options.server),
      cookie: await loadCookie(),
      timeoutMs: this.timeoutMs,
      clientName: 'SndMix',
    });
    if (this.isClosed()) {
      await connection.close();
      return;
    }
    const generation = ++this.generation;
    // Indexes are the server's: a new connection (maybe to a restarted server) knows no client yet.
    this.clientReads = new Map();
    connection.onLost((reason) => this.onLost(generation, reason));
    connection.onEvent((event) => this.onServerEvent(generation, connection, event));
    // Events that arrive while the snapshot loads queue up behind it.
    const loading = this.loadSnapshot(connection, afterLoss);
    this.work = loading.catch(() => undefined);
    try {
      await loading;
    } catch (error) {
      this.generation++;
      await connection.close();
      if (error instanceof BackendError) throw error;
      throw new BackendError('unavailable', `the PulseAudio server at ${connection.address} answered unexpectedly: ${describe(error)}`);
    }
    if (this.isClosed() || connection.isLost || generation !== this.generation) {
      await connection.close();
      throw new BackendError('unavailable', `the PulseAudio server at ${connection.address} went away while SndMix connected`);
    }
    this.connection = connection;
    this.state = 'connected';
    this.reconnectDelay = this.reconnectInitialMs;
    this.reconnectFailureReported = false;
    this.peaks.attach(connection);
  }

  private async loadSnapshot(connection: PulseConnection, afterLoss: boolean): Promise<void> {
    const readAfter = connection.requestsSent;
    const [server, sinks, sources, sinkInputs, sourceOutputs, clients] = await Promise.all([
      connection.serverInfo(),
      connection.listDevices('sink'),
      connection.listDevices('source'),
      connection.listStreams('sink-input'),
      connection.listStreams('source-output'),
      connection.listClients(),
    ]);
    this.server = server;
    this.devices.clear();
    for (const device of [...sinks, ...sources]) this.devices.set(deviceKey(device.kind, device.index), device);
    this.streams.clear();
    for (const stream of [...sinkInputs, ...sourceOutputs]) this.streams.set(streamKey(stream.kind, stream.index), { stream, readAfter });
    this.clients.clear();
    for (const client of clients) {
      this.clients.set(client.index, client);
      // A read an event started after the list was asked for is the newer one.
      if (!this.clientReads.has(client.index)) this.clientReads.set(client.index, Promise.resolve(client));
    }
    const missing = new Map<string, IconQuery>();
    this.buildViews('all', missing);
    await this.lookUpIcons(missing);
    // Announce nothing from a server that went away while its icons were looked up.
    if (connection.isLost || this.isClosed()) throw new BackendError('unavailable', 'the PulseAudio server went away while SndMix connected');
    if (afterLoss) this.terminateAllSessions();
    this.ownClientIndex = connection.clientIndex;
    this.recompute(this.buildViews('all'));
  }

  private onLost(generation: number, reason: string): void {
    if (generation !== this.generation || this.state === 'closed') return;
    this.generation++;
    const wasConnected = this.connection !== null;
    this.connection = null;
    this.state = 'reconnecting';
    this.peaks.detach();
    this.ownChanges.clear();
    if (!wasConnected) return;
    this.warn(`lost the PulseAudio server (${reason}); reconnecting`);
    for (const listener of this.connectionListeners) listener(`the PulseAudio server went away (${reason}); reconnecting`);
    for (const view of this.sessions.values()) {
      if (view.record.disconnected !== null) continue;
      view.record.disconnected = 'server-shutdown';
      if (this.announced.has(view.record.id)) this.emit({ type: 'disconnected', sessionId: view.record.id, reason: 'server-shutdown' });
    }
    this.scheduleReconnect();
  }

  /** The timer stays referenced: a long-running `watch` must not exit while the server is away. */
  private scheduleReconnect(): void {
    if (this.state === 'closed' || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.reconnectMaxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect(true).then(
        () => {
          if (this.state !== 'connected') return;
          this.warn(`reconnected to ${this.serverDescription ?? 'the PulseAudio server'}`);
          for (const listener of this.connectionListeners) listener(null);
        },
        (error: unknown) => {
          if (this.state === 'closed') return;
          this.state = 'reconnecting';
          if (!this.reconnectFailureReported) {
            this.reconnectFailureReported = true;
            this.warn(`reconnecting to PulseAudio failed (${describe(error)}); retrying every ${this.reconnectMaxMs / 1000} s at most until it is back`);
          }
          this.scheduleReconnect();
        },
      );
    }, delay);
  }

  /** After a reconnect: the old server's sessions are gone with it (R10). */
  private terminateAllSessions(): void {
    for (const id of this.sessions.keys()) {
      if (!this.announced.delete(id)) continue;
      this.emit({ type: 'state-changed', sessionId: id, state: 'expired', terminated: true });
    }
    this.sessions = new Map();
  }

  // ---- live updates ----------------------------------------------------------------------

  private onServerEvent(generation: number, connection: PulseConnection, event: ServerEvent): void {
    // Others' clients (pactl's own, connected for one command: new, change, remove) cost no request and no turn in the work chain.
    if (event.facility === 'client' && (event.operation === 'new' || !this.clientReads.has(event.index))) return;
    // Fetch now (requests pipeline on the socket), apply in arrival order.
    const fetched = this.fetchUpdate(connection, event);
    fetched.catch(() => undefined);
    const task = this.work.then(async () => {
      if (generation !== this.generation) return;
      const changed = this.apply(await fetched);
      // A client no stream belongs to changes no session.
      if (changed !== 'all' && changed.size === 0) return;
      // Built once: again only after looking up icons never seen before.
      const missing = new Map<string, IconQuery>();
      let views = this.buildViews(changed, missing);
      if (missing.size > 0) {
        await this.lookUpIcons(missing);
        if (generation !== this.generation) return;
        views = this.buildViews(changed);
      }
      this.recompute(views);
    });
    this.work = task.catch((error: unknown) => {
      if (generation !== this.generation || connection.isLost) return;
      // Something the server said made no sense: start over from a fresh connection.
      connection.drop(`could not follow a ${event.facility} ${event.operation} event: ${describe(error)}`);
    });
  }

  /** What the event changed, read with one request (two for a stream of a client not followed yet). */
  private async fetchUpdate(connection: PulseConnection, event: ServerEvent): Promise<Update> {
    const removed = event.operation === 'remove';
    switch (event.facility) {
      case 'sink':
      case 'source':
        return {
          kind: 'device',
          deviceKind: event.facility,
          index: event.index,
          device: removed ? null : await connection.device(event.facility, event.index),
        };
      case 'sink_input':
      case 'source_output': {
        const streamKind: StreamKind = event.facility === 'sink_input' ? 'sink-input' : 'source-output';
        const readAfter = connection.requestsSent;
        const stream = removed ? null : await connection.stream(streamKind, event.index);
        return { kind: 'stream', streamKind, index: event.index, stream, readAfter, client: stream && (await this.clientOf(connection, stream)) };
      }
      case 'client': {
        if (removed) {
          this.clientReads.delete(event.index);
          return { kind: 'client', index: event.index, client: null };
        }
        const read = connection.clientInfo(event.index);
        this.clientReads.set(event.index, read);
        return { kind: 'client', index: event.index, client: await read };
      }
      case 'server':
        return { kind: 'server', info: await connection.serverInfo() };
    }
  }

  /** The stream's owning client, read once per connection: with the client's first stream. */
  private clientOf(connection: PulseConnection, stream: PaStream): Promise<PaClient | null> {
    if (stream.clientIndex === PA_INVALID_INDEX) return Promise.resolve(null);
    let read = this.clientReads.get(stream.clientIndex);
    if (!read) {
      read = connection.clientInfo(stream.clientIndex);
      read.catch(() => undefined);
      this.clientReads.set(stream.clientIndex, read);
    }
    return read;
  }

  /** Takes the update in; says which streams it changed for buildViews (a client's change is its streams'). */
  private apply(update: Update): Changed {
    switch (update.kind) {
      case 'device': {
        const key = deviceKey(update.deviceKind, update.index);
        if (update.device) this.devices.set(key, update.device);
        else this.devices.delete(key);
        return 'all';
      }
      case 'stream': {
        const key = streamKey(update.streamKind, update.index);
        if (update.stream) this.streams.set(key, { stream: update.stream, readAfter: update.readAfter });
        else this.streams.delete(key);
        const changed = new Set([key]);
        // A newer read of the client than the one its other streams were built with changes them too.
        if (update.client && this.clients.get(update.client.index) !== update.client) {
          this.clients.set(update.client.index, update.client);
          for (const other of this.streamsOf(update.client.index)) changed.add(other);
        }
        return changed;
      }
      case 'client':
        if (update.client) this.clients.set(update.index, update.client);
        else this.clients.delete(update.index);
        return new Set(this.streamsOf(update.index));
      case 'server':
        this.server = update.info;
        return 'all';
    }
  }

  /** The streamKeys of a client's streams. */
  private streamsOf(clientIndex: number): string[] {
    return [...this.streams].flatMap(([key, { stream }]) => (stream.clientIndex === clientIndex ? [key] : []));
  }

  /** Looks up icons for buildViews, which stays synchronous. */
  private async lookUpIcons(queries: ReadonlyMap<string, IconQuery>): Promise<void> {
    await Promise.all([...queries].map(async ([key, query]) => this.iconData.set(key, await this.icons.resolveApp(query))));
  }

  /**
   * Devices and sessions from the server's objects, with the icons looked up so far; `missing`
   * collects the icons never looked up. Only what `changed` can have changed is built again
   * (the rest are the current views, which were built from the same objects): devices only
   * after device and server updates, sessions only those of the changed streams.
   */
  private buildViews(changed: Changed, missing?: Map<string, IconQuery>): Views {
    const iconFor = (query: IconQuery) => {
      const key = iconQueryKey(query);
      if (!this.iconData.has(key)) missing?.set(key, query);
      return this.iconData.get(key) ?? null;
    };
    const devices = [...this.devices.values()];
    const deviceRecords = changed === 'all' ? buildDevices(devices, this.server, this.options.includeMonitorSources !== false) : this.deviceRecords;
    const input = {
      devices,
      streams: this.streamRecords(),
      clients: this.clients,
      shownDeviceIds: new Set(deviceRecords.map((device) => device.id)),
      ownClientIndex: this.ownClientIndex,
      defaultDeviceIds: defaultDeviceIdsOf(deviceRecords),
      iconFor,
    };
    const sessions = changed === 'all' ? buildSessions(input) : rebuildSessions(this.sessions, input, changed);
    return { deviceRecords, sessions };
  }

  private streamRecords(): PaStream[] {
    return [...this.streams.values()].map(({ stream }) => stream);
  }

  /** Takes the views as the current devices and sessions and tells listeners what changed. */
  private recompute({ deviceRecords, sessions }: Views): void {
    // Views kept from the last build (buildViews) are unchanged: they have no events to give.
    const deviceDiff = deviceRecords === this.deviceRecords ? { leading: [], trailing: [] } : diffDevices(this.deviceRecords, deviceRecords);
    const removedDeviceIds = new Set(deviceDiff.trailing.flatMap((event) => (event.type === 'device-removed' ? [event.deviceId] : [])));
    const sessionEvents = diffSessions(rebuiltRecords(this.sessions, sessions), rebuiltRecords(sessions, this.sessions), (id) => this.contextFor(id), removedDeviceIds);
    this.deviceRecords = deviceRecords;
    this.sessions = sessions;
    this.settleOwnChanges();
    this.peaks.retain(this.streamRecords());
    for (const event of deviceDiff.leading) this.emit(event);
    for (const event of sessionEvents) this.emitSessionEvent(event);
    for (const event of deviceDiff.trailing) this.emit(event);
  }

  /** R22: a device's session events start once its sessions were listed. */
  private emitSessionEvent(event: BackendEvent): void {
    if (event.type === 'session-created') {
      if (!this.enumerated.has(event.session.deviceId)) return;
      this.announced.add(event.session.id);
      this.emit({ ...event, session: copySession(event.session) });
      return;
    }
    if (!('sessionId' in event) || !this.announced.has(event.sessionId)) return;
    if (event.type === 'state-changed' && event.terminated) this.announced.delete(event.sessionId);
    this.emit(event);
  }

  private emit(event: BackendEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.warn(`a pulse backend listener failed on ${event.type}: ${describe(error)}`);
      }
    }
  }

  // ---- own changes vs external ones ----------------------------------------------------

  /** `sentAs`: the connection's request count once the writes were sent. */
  private rememberOwnChange(view: SessionView, eventContext: string, writes: { stream: PaStream; target: StreamTarget }[], sentAs: number): void {
    const own = this.ownChanges.get(view.record.id);
    const targets = own && own.eventContext === eventContext ? own.targets : new Map<string, PendingTarget>();
    // A write that changes nothing makes the server send no event: nothing to attribute,
    // unless an earlier write is still on its way (this one then replaces its target).
    const pending = writes.filter(({ stream, target }) => !reached(stream, target) || targets.has(streamKey(stream.kind, stream.index)));
    if (pending.length === 0) return;
    for (const { stream, target } of pending) {
      const key = streamKey(stream.kind, stream.index);
      const earlier = targets.get(key);
      const merged = { ...earlier, ...target };
      // Repeating what an earlier write asked for changes nothing on the server: the records
      // that show the earlier write also show this one.
      targets.set(key, { ...merged, sentAs: earlier && sameTarget(earlier, merged) ? earlier.sentAs : sentAs });
    }
    this.ownChanges.set(view.record.id, { eventContext, expiresAt: Date.now() + this.ownChangeWindowMs, targets });
  }

  /**
   * A stream's channel volumes as SndMix's writes the server has not reported yet will leave
   * them: the base of the next write. The server acknowledges a write before its change
   * event arrives, so writes made one after another (undo: the volume, then each channel)
   * would otherwise each start from the value before all of them.
   */
  private volumesAfterOwnWrites(view: SessionView, stream: PaStream): readonly number[] {
    const own = this.ownChanges.get(view.record.id);
    const written = own && own.expiresAt >= Date.now() ? own.targets.get(streamKey(stream.kind, stream.index))?.volumes : undefined;
    return written && written.length === stream.channelVolumes.length ? written : stream.channelVolumes;
  }

  private contextFor(sessionId: string): string {
    const own = this.ownChanges.get(sessionId);
    return own && own.expiresAt >= Date.now() ? own.eventContext : 'external';
  }

  /**
   * Forgets own changes once their streams show the requested values, or their time is up.
   * Only a record asked for after the write counts: one read before it may show the value
   * the write returns to (a write back to what the server still reports) while an earlier
   * write's change is still to come.
   */
  private settleOwnChanges(): void {
    const now = Date.now();
    for (const [sessionId, own] of this.ownChanges) {
      const done = [...own.targets].every(([key, target]) => {
        const known = this.streams.get(key);
        return !known || (known.readAfter >= target.sentAs && reached(known.stream, target));
      });
      if (done || own.expiresAt < now) this.ownChanges.delete(sessionId);
    }
  }

  // ---- command helpers -----------------------------------------------------------------

  private liveConnection(): PulseConnection {
    if (!this.connection || this.connection.isLost) {
      throw new BackendError(
        'disconnected',
        this.state === 'closed' ? 'the pulse backend is closed' : 'the PulseAudio server is gone; SndMix is reconnecting',
      );
    }
    return this.connection;
  }

  private sessionForCommand(sessionId: string): { connection: PulseConnection; view: SessionView } {
    const view = this.sessions.get(sessionId);
    if (!view) throw new BackendError('not-found', `no PulseAudio session with id ${sessionId}`);
    if (view.record.disconnected !== null) {
      throw new BackendError('disconnected', `session ${sessionId} (${view.record.displayName}) is disconnected: ${view.record.disconnected}`);
    }
    return { connection: this.liveConnection(), view };
  }

  private deviceForCommand(deviceId: string): { connection: PulseConnection; device: PaDevice } {
    const device = [...this.devices.values()].find((candidate) => deviceIdOf(candidate.kind, candidate.name) === deviceId);
    if (!device || !this.deviceRecords.some((record) => record.id === deviceId)) {
      throw new BackendError('not-found', `no PulseAudio device with id ${deviceId}`);
    }
    return { connection: this.liveConnection(), device };
  }

  private noWritableVolume(view: SessionView): BackendError {
    return new BackendError(
      'not-supported',
      `session ${view.record.id} (${view.record.displayName}) has no stream with a settable volume (passthrough streams have none)`,
    );
  }

  /** Runs a command's requests; a stream that vanished meanwhile is skipped, the session's others still change. */
  private async run(requests: Promise<boolean>[]): Promise<void> {
    const results = await Promise.allSettled(requests);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (!failure) return;
    if (failure.reason instanceof BackendError) throw failure.reason;
    if (!this.connection || this.connection.isLost) {
      throw new BackendError('disconnected', `the PulseAudio server went away: ${describe(failure.reason)}`);
    }
    throw new BackendError('os-error', `the PulseAudio server refused: ${describe(failure.reason)}`);
  }
}

function reached(stream: PaStream, target: StreamTarget): boolean {
  if (target.muted !== undefined && stream.muted !== target.muted) return false;
  if (target.volumes !== undefined && !sameChannelVolumes(stream.channelVolumes, target.volumes)) return false;
  return true;
}

function sameTarget(a: StreamTarget, b: StreamTarget): boolean {
  return a.muted === b.muted && (a.volumes === undefined ? b.volumes === undefined : b.volumes !== undefined && sameChannelVolumes(a.volumes, b.volumes));
}

/** The records of `views` whose view is not also `other`'s. */
function rebuiltRecords(views: ReadonlyMap<string, SessionView>, other: ReadonlyMap<string, SessionView>): Map<string, SessionRecord> {
  const records = new Map<string, SessionRecord>();
  for (const [id, view] of views) if (other.get(id) !== view) records.set(id, view.record);
  return records;
}

function copySession(record: SessionRecord): SessionRecord {
  return { ...record, channelVolumes: [...record.channelVolumes] };
}
