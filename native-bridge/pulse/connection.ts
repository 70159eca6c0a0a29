// One connection to a PulseAudio (or pipewire-pulse) server over its native protocol,
// through pulseaudio.js, with the library's rough edges filed off:
// - its errors (connection lost, unparsable packet) arrive as one "lost" notification;
//   after that the connection is dead and a new one must be opened;
// - it subscribes to events on its own when a listener is added (without awaiting the
//   request); here the subscription is an explicit, awaited request instead;
// - its loosely typed records become the checked types of server-records.ts.
import type { RecordStream } from 'pulseaudio.js';
import { PA_ERR, PA_SAMPLE_FORMAT, PulseAudio } from 'pulseaudio.js';
import { GetClientsList, PA_COMMAND, SelectByIndex } from 'pulseaudio.js/dist/command.js';
import { BackendError } from '../types';
import type { DeviceKind, PaClient, PaDevice, PaServerInfo, PaStream, StreamKind } from './server-records';
import { toClient, toDevice, toServerInfo, toStream } from './server-records';
import type { ServerAddress } from './server-address';
import { describeAddress } from './server-address';

export type EventFacility = 'sink' | 'source' | 'sink_input' | 'source_output' | 'client' | 'server';
export type EventOperation = 'new' | 'change' | 'remove';

export interface ServerEvent {
  facility: EventFacility;
  operation: EventOperation;
  index: number;
}

/** PA_SUBSCRIPTION_MASK_SINK | SOURCE | SINK_INPUT | SOURCE_OUTPUT | CLIENT | SERVER */
const SUBSCRIPTION_MASK = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x80;
const FACILITIES: ReadonlySet<string> = new Set<EventFacility>(['sink', 'source', 'sink_input', 'source_output', 'client', 'server']);
const CLOSE_TIMEOUT_MS = 1000;
/** Never matches: keeps pulseaudio.js from (un)subscribing by itself when listeners come and go. */
const NO_AUTO_SUBSCRIBE = /(?!)/;

export interface ConnectOptions {
  /** Tried in order (see server-address.ts). */
  addresses: readonly ServerAddress[];
  cookie: Buffer;
  timeoutMs: number;
  /** application.* properties SndMix's own client shows in other mixers. */
  clientName: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The server's "No such entity" answer: the object an event named is already gone (a short
 * sound ended before its info was fetched), which is news, not a broken connection.
 * Checked by code, not `instanceof PulseError`: pulseaudio.js's ES5 build subclasses Error in
 * a way that returns a plain Error, so `instanceof PulseError` is always false.
 */
export function isNoSuchEntity(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === PA_ERR.NOENTITY;
}

export class PulseConnection {
  private lost = false;
  private sent = 0;
  private closing = false;
  private readonly lostListeners = new Set<(reason: string) => void>();
  private readonly eventListeners = new Set<(event: ServerEvent) => void>();
  /** Requests not answered yet, oldest first: one watchdog timer bounds them all (request()). */
  private readonly inFlight = new Set<InFlight>();
  private watchdog: NodeJS.Timeout | null = null;

  private constructor(
    private readonly client: PulseAudio,
    /** The server's address as PULSE_SERVER spells it ("unix:/run/user/1000/pulse/native"). */
    readonly address: string,
    readonly clientIndex: number,
    private readonly timeoutMs: number,
  ) {}

  /** Tries each address in turn; rejects with BackendError('unavailable') naming what failed. */
  static async open(options: ConnectOptions): Promise<PulseConnection> {
    const failures: string[] = [];
    for (const address of options.addresses) {
      try {
        return await PulseConnection.openOne(address, options);
      } catch (error) {
        failures.push(`${describeAddress(address)}: ${describe(error)}`);
      }
    }
    throw new BackendError(
      'unavailable',
      `no PulseAudio server reachable (is pulseaudio or pipewire-pulse running?); tried ${failures.join('; ')}`,
    );
  }

  private static async openOne(address: ServerAddress, options: ConnectOptions): Promise<PulseConnection> {
    const appProps = { name: options.clientName, id: 'sndmix', process: { id: String(process.pid), binary: 'sndmix' } };
    // pulseaudio.js hands its socket argument to net.createConnection, which takes a path or {host, port}.
    const target = address.kind === 'unix' ? address.path : ({ host: address.host, port: address.port } as unknown as string);
    const client = new PulseAudio(appProps, options.cookie, target);
    client.eventName = NO_AUTO_SUBSCRIBE;
    let connection: PulseConnection | null = null;
    // pulseaudio.js reports a dropped socket as an 'error' event; without a listener it would crash the process.
    client.on('error', (error: unknown) => connection?.drop(describe(error)));
    try {
      const clientIndex = await withTimeout(
        (async () => {
          await client.connect();
          return client.setClientProperties({ application: appProps });
        })(),
        options.timeoutMs,
      );
      connection = new PulseConnection(client, describeAddress(address), clientIndex, options.timeoutMs);
      client.on('event', (event: { facility: string; operation: EventOperation; index: number }) => connection?.dispatch(event));
      await withTimeout(client._subscribe(SUBSCRIPTION_MASK), options.timeoutMs);
      return connection;
    } catch (error) {
      connection = null;
      destroySocket(client);
      throw error;
    }
  }

  get isLost(): boolean {
    return this.lost;
  }

  /**
   * How many requests this connection has sent. PulseAudio answers one client's requests in
   * the order they were sent, each after the ones before it took effect: a record a request
   * reads reflects every write with a lower number.
   */
  get requestsSent(): number {
    return this.sent;
  }

  /** Called once when the connection dies (server gone, socket error, protocol error). */
  onLost(listener: (reason: string) => void): void {
    this.lostListeners.add(listener);
  }

  onEvent(listener: (event: ServerEvent) => void): void {
    this.eventListeners.add(listener);
  }

  private dispatch(event: { facility: string; operation: EventOperation; index: number }): void {
    if (this.lost || !FACILITIES.has(event.facility)) return;
    const serverEvent: ServerEvent = { facility: event.facility as EventFacility, operation: event.operation, index: event.index };
    for (const listener of this.eventListeners) listener(serverEvent);
  }

  /** Ends a connection that can no longer be trusted; the lost listeners hear `reason`. */
  drop(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    destroySocket(this.client);
    if (this.closing) return;
    for (const listener of this.lostListeners) listener(reason);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!this.lost) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.client.disconnect().catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    }
    this.lost = true;
    destroySocket(this.client);
  }

  /** Every request is bounded: a server that stops answering (SIGSTOP, hung) counts as lost. */
  private async request<T>(run: () => Promise<T>): Promise<T> {
    if (this.lost) throw new BackendError('disconnected', 'the connection to the PulseAudio server is closed');
    this.sent += 1;
    try {
      return await this.bounded(run());
    } catch (error) {
      if (error instanceof TimeoutError) this.drop(`the PulseAudio server did not answer within ${this.timeoutMs} ms`);
      throw error;
    }
  }

  /**
   * The answer, or a TimeoutError once it is timeoutMs late. One timer watches every request
   * in flight instead of a timer each: setting and clearing one per request (withTimeout) cost
   * about 0.04 ms of each server event's CPU.
   */
  private bounded<T>(answer: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const request: InFlight = { sentAt: performance.now(), fail: reject };
      this.inFlight.add(request);
      this.watchInFlight();
      answer.then(
        (value) => {
          this.inFlight.delete(request);
          resolve(value);
        },
        (error: unknown) => {
          this.inFlight.delete(request);
          reject(error);
        },
      );
    });
  }

  /** Arms the watchdog for the oldest request in flight. Unref'd: the socket is what keeps the process running. */
  private watchInFlight(): void {
    const [oldest] = this.inFlight;
    if (this.watchdog || !oldest) return;
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      const now = performance.now();
      // Oldest first: the first one still in time ends the look.
      for (const request of this.inFlight) {
        if (now - request.sentAt < this.timeoutMs) break;
        this.inFlight.delete(request);
        request.fail(new TimeoutError(`no answer within ${this.timeoutMs} ms`));
      }
      this.watchInFlight();
    }, Math.max(0, oldest.sentAt + this.timeoutMs - performance.now())).unref();
  }

  async serverInfo(): Promise<PaServerInfo> {
    return toServerInfo(await this.request(() => this.client.getServerInfo()));
  }

  async listDevices(kind: DeviceKind): Promise<PaDevice[]> {
    const raw = await this.request(() => (kind === 'sink' ? this.client.getAllSinks() : this.client.getAllSources()));
    return raw.map((record) => toDevice(kind, record));
  }

  async listStreams(kind: StreamKind): Promise<PaStream[]> {
    const raw = await this.request(() => (kind === 'sink-input' ? this.client.getSinkInputList() : this.client.getSourceOutputList()));
    return raw.map((record) => toStream(kind, record));
  }

  async listClients(): Promise<PaClient[]> {
    const raw = await this.request(() => this.client.getClients());
    return raw.map(toClient);
  }

  /** One client, or null when it no longer exists (pulseaudio.js has no single-client request: GET_CLIENT_INFO by hand). */
  async clientInfo(index: number): Promise<PaClient | null> {
    try {
      const reply = await this.request(() => this.client._invoke(new SelectByIndex(PA_COMMAND.GET_CLIENT_INFO, index)));
      // The reply is one entry of the list's format.
      const [raw] = GetClientsList.prototype.processResponse.call(null, reply) as unknown[];
      return toClient(raw);
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
  }

  /** One device, or null when it no longer exists. */
  async device(kind: DeviceKind, index: number): Promise<PaDevice | null> {
    try {
      const raw: unknown = await this.request(() => (kind === 'sink' ? this.client.getSinkInfo(index) : this.client.getSourceInfo(index)));
      return toDevice(kind, raw);
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
  }

  /** One stream, or null when it no longer exists. */
  async stream(kind: StreamKind, index: number): Promise<PaStream | null> {
    try {
      const raw: unknown = await this.request<unknown>(() =>
        kind === 'sink-input' ? this.client.getSinkInputInfo(index) : this.client.getSourceOutputInfo(index),
      );
      return toStream(kind, raw);
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
  }

  /** Sets a stream's channel volumes; false when the stream is already gone. */
  async setStreamVolume(kind: StreamKind, index: number, volumes: number[]): Promise<boolean> {
    return this.ignoreMissing(() =>
      kind === 'sink-input' ? this.client.setSinkInputVolume(index, volumes) : this.client.setSourceOutputVolume(index, volumes),
    );
  }

  async setStreamMute(kind: StreamKind, index: number, muted: boolean): Promise<boolean> {
    return this.ignoreMissing(() =>
      kind === 'sink-input' ? this.client.setSinkInputMute(index, muted) : this.client.setSourceOutputMute(index, muted),
    );
  }

  async setDeviceVolume(kind: DeviceKind, index: number, volumes: number[]): Promise<boolean> {
    return this.ignoreMissing(() => (kind === 'sink' ? this.client.setSinkVolume(volumes, index) : this.client.setSourceVolume(volumes, index)));
  }

  async setDeviceMute(kind: DeviceKind, index: number, muted: boolean): Promise<boolean> {
    return this.ignoreMissing(() => (kind === 'sink' ? this.client.setSinkMute(muted, index) : this.client.setSourceMute(muted, index)));
  }

  /** Moves a stream to another sink (sink-input) or source (source-output); false when the stream is already gone. */
  async moveStream(kind: StreamKind, index: number, deviceName: string): Promise<boolean> {
    return this.ignoreMissing(() => (kind === 'sink-input' ? this.client.moveSinkInput(index, deviceName) : this.client.moveSourceOutput(index, deviceName)));
  }

  /**
   * A peak-detecting record stream, as pavucontrol's meters use: 25 mono float samples a
   * second, each the peak of the last 40 ms. With `sinkInputIndex` it hears only that
   * playback stream (on its sink's monitor source, after the stream's volume); without,
   * the whole source.
   */
  openPeakStream(sourceIndex: number, sinkInputIndex: number | null): Promise<RecordStream> {
    return this.request(() => this.client.createRecordStream({
      sampleSpec: { format: PA_SAMPLE_FORMAT.FLOAT32LE, channels: 1, rate: 25 },
      index: sourceIndex,
      fragmentSize: 4,
      peakDetect: true,
      adjustLatency: true,
      noMove: true,
      dontInhibitAutoSuspend: true,
      ...(sinkInputIndex === null ? {} : { directOnInputIndex: sinkInputIndex }),
      properties: { application: { name: 'SndMix peak meter' }, media: { role: 'abstract' } },
    }));
  }

  private async ignoreMissing(run: () => Promise<void>): Promise<boolean> {
    try {
      await this.request(run);
      return true;
    } catch (error) {
      if (isNoSuchEntity(error)) return false;
      throw error;
    }
  }
}

class TimeoutError extends Error {}

interface InFlight {
  sentAt: number;
  fail(error: TimeoutError): void;
}

/** Rejects after `ms`; the raced promise's own late failure is swallowed (the caller already gave up on it). */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function destroySocket(client: PulseAudio): void {
  const socket: unknown = client.sock;
  if (socket && typeof (socket as { destroy?: unknown }).destroy === 'function') (socket as { destroy(): void }).destroy();
}
