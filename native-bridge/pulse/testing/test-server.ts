// A private PulseAudio server for tests and benchmarks: its own runtime dir, socket,
// home and state in a temp dir, so it never meets a server someone else runs (a Wine
// test, the desktop's own). Plus helpers to play and record named streams on it with
// pacat, and a stream of our own that can be corked (pacat cannot).
//
// Needs the `pulseaudio` and `pactl`/`pacat` binaries (Debian: apt-get install -y
// pulseaudio pulseaudio-utils). Works as root (PulseAudio warns, and runs).
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PA_SAMPLE_FORMAT, PulseAudio } from 'pulseaudio.js';
import type { PlaybackStream } from 'pulseaudio.js';
import { PA_COMMAND, SelectByIndex } from 'pulseaudio.js/dist/command.js';

export const PULSE_TEST_PACKAGES = ['pulseaudio', 'pulseaudio-utils'] as const;
const REQUIRED_BINARIES = ['pulseaudio', 'pactl', 'pacat'] as const;
const START_TIMEOUT_MS = 10_000;
const STREAM_TIMEOUT_MS = 5_000;

export interface PulseTestSupport {
  available: boolean;
  /** Why not, with the fix, when unavailable. */
  reason: string | null;
}

/** Whether this machine can run a test server. */
export function pulseTestSupport(): PulseTestSupport {
  const missing = REQUIRED_BINARIES.filter((binary) => spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0);
  if (missing.length === 0) return { available: true, reason: null };
  return {
    available: false,
    reason: `${missing.join(', ')} not installed (Debian: apt-get install -y ${PULSE_TEST_PACKAGES.join(' ')})`,
  };
}

/**
 * Test suites that need a server: skipped where PulseAudio is missing, except in CI
 * (CI=true), where a missing server must fail the suite rather than hide it.
 */
export function shouldSkipPulseTests(): boolean {
  return !pulseTestSupport().available && process.env.CI !== 'true';
}

export interface TestDevice {
  name: string;
  description: string;
}

export interface PulseTestServerOptions {
  /** Null sinks to create; the first is the default. */
  sinks?: TestDevice[];
  /** Null sources to create (real capture devices, unlike monitors); the first is the default. */
  sources?: TestDevice[];
}

export interface StreamIdentity {
  /** application.name */
  appName?: string;
  /** application.process.id (pacat's own pid when omitted). */
  pid?: number;
  /** application.process.binary */
  binary?: string;
  /** application.icon_name */
  iconName?: string;
  /** Any further stream properties. */
  properties?: Record<string, string>;
}

export interface PlayOptions extends StreamIdentity {
  /** Sink name; the default sink when omitted. */
  sink?: string;
  /** 'silence' (from /dev/zero) or a 440 Hz sine at half scale (peak 0.5), for peak meters. */
  signal?: 'silence' | 'sine';
}

export interface RecordOptions extends StreamIdentity {
  /** Source name; the default source when omitted. */
  source?: string;
}

export interface TestStream {
  /** The sink-input (play) or source-output (record) index on the server. */
  index: number;
  /** The pacat process. */
  processId: number;
  /** Ends the stream (kills pacat) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface CorkableStream {
  index: number;
  cork(corked: boolean): Promise<void>;
  close(): Promise<void>;
}

interface PactlEntry {
  index: number;
  properties?: Record<string, string>;
}

export class PulseTestServer {
  readonly socketPath: string;
  /** For PULSE_SERVER or PulseBackendOptions.server. */
  readonly server: string;
  /** Environment for client tools (pactl, pacat): they reach only this server. */
  readonly clientEnv: NodeJS.ProcessEnv;
  private daemon: ChildProcess | null = null;
  private readonly children = new Set<ChildProcess>();
  private readonly clients = new Set<PulseAudio>();
  private readonly logPath: string;
  private readonly killOnExit = () => this.killEverything();

  private constructor(
    readonly dir: string,
    private readonly options: Required<PulseTestServerOptions>,
  ) {
    this.socketPath = join(dir, 'runtime', 'native');
    this.server = `unix:${this.socketPath}`;
    this.logPath = join(dir, 'pulseaudio.log');
    this.clientEnv = {
      ...process.env,
      PULSE_SERVER: this.server,
      PULSE_RUNTIME_PATH: join(dir, 'client-runtime'),
      PULSE_COOKIE: join(dir, 'no-cookie'),
    };
  }

  /** Starts a server on a fresh private socket; rejects with the reason (and server log) if it cannot. */
  static async start(options: PulseTestServerOptions = {}): Promise<PulseTestServer> {
    const support = pulseTestSupport();
    if (!support.available) throw new Error(`cannot start a PulseAudio test server: ${support.reason}`);
    const dir = mkdtempSync(join(tmpdir(), 'sndmix-pulse-'));
    for (const sub of ['runtime', 'client-runtime', 'home', 'config', 'state', 'xdg']) mkdirSync(join(dir, sub), { mode: 0o700 });
    const server = new PulseTestServer(dir, {
      sinks: options.sinks ?? [{ name: 'sndmix_test_sink', description: 'SndMix Test Output' }],
      sources: options.sources ?? [{ name: 'sndmix_test_source', description: 'SndMix Test Input' }],
    });
    process.once('exit', server.killOnExit);
    try {
      await server.startDaemon();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get running(): boolean {
    return this.daemon !== null;
  }

  /** (Re)starts the daemon on the same socket, e.g. after kill(). */
  async startDaemon(): Promise<void> {
    if (this.daemon) return;
    const modules = [
      `module-native-protocol-unix socket=${this.socketPath} auth-anonymous=1`,
      ...this.options.sinks.map(
        (sink) => `module-null-sink sink_name=${sink.name} sink_properties='device.description="${sink.description}"'`,
      ),
      ...this.options.sources.map(
        // module-null-source takes a plain description (it has no source_properties).
        (source) => `module-null-source source_name=${source.name} description='${source.description}'`,
      ),
    ];
    const args = [
      '--daemonize=no',
      '--use-pid-file=no',
      '--exit-idle-time=-1',
      '--realtime=no',
      '--high-priority=no',
      '--disable-shm=yes',
      '--log-target=stderr',
      '-n',
      ...modules.map((module) => `--load=${module}`),
    ];
    const log = createWriteStream(this.logPath, { flags: 'a' });
    const daemon = spawn('pulseaudio', args, {
      env: {
        ...process.env,
        HOME: join(this.dir, 'home'),
        XDG_CONFIG_HOME: join(this.dir, 'config'),
        XDG_RUNTIME_DIR: join(this.dir, 'xdg'),
        PULSE_RUNTIME_PATH: join(this.dir, 'runtime'),
        PULSE_STATE_PATH: join(this.dir, 'state'),
        DBUS_SESSION_BUS_ADDRESS: 'disabled:',
        DISPLAY: '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    daemon.stderr?.pipe(log);
    this.daemon = daemon;
    daemon.once('exit', () => {
      if (this.daemon === daemon) this.daemon = null;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.daemon !== daemon) break;
      if (await this.pactl(['info']).then(() => true, () => false)) {
        await this.setDefaults();
        return;
      }
      await delay(50);
    }
    const logText = await readFile(this.logPath, 'utf8').catch(() => '');
    await this.kill();
    throw new Error(`the PulseAudio test server did not start within ${START_TIMEOUT_MS} ms:\n${logText.slice(-2000)}`);
  }

  private async setDefaults(): Promise<void> {
    const [sink] = this.options.sinks;
    const [source] = this.options.sources;
    if (sink) await this.pactl(['set-default-sink', sink.name]);
    if (source) await this.pactl(['set-default-source', source.name]);
  }

  /** Ends the daemon like a crash (SIGKILL by default) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const daemon = this.daemon;
    if (!daemon) return;
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill(signal);
    await exited;
    this.daemon = null;
  }

  /** Kills (crash) and starts again on the same socket: every client and stream is gone. */
  async restart(): Promise<void> {
    await this.kill();
    await this.startDaemon();
  }

  async pactl(args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('pactl', [...args], { env: this.clientEnv, timeout: 5000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`pactl ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      });
    });
  }

  /** `pactl -f json list <what>`, e.g. 'sink-inputs'. */
  async list<T = Record<string, unknown>>(what: string): Promise<T[]> {
    return JSON.parse(await this.pactl(['-f', 'json', 'list', what])) as T[];
  }

  /** Plays a stream with pacat carrying the given identity; resolves once the server lists it. */
  async play(options: PlayOptions = {}): Promise<TestStream> {
    const signal = options.signal ?? 'silence';
    const args = ['--playback', ...(options.sink ? [`--device=${options.sink}`] : [])];
    return this.runPacat(args, options, 'sink-inputs', signal === 'sine' ? 'sine' : '/dev/zero');
  }

  /** Records with pacat (a capture session); resolves once the server lists the source-output. */
  async record(options: RecordOptions = {}): Promise<TestStream> {
    const args = ['--record', ...(options.source ? [`--device=${options.source}`] : [])];
    return this.runPacat(args, options, 'source-outputs', null);
  }

  private async runPacat(
    args: string[],
    identity: StreamIdentity,
    listName: 'sink-inputs' | 'source-outputs',
    input: '/dev/zero' | 'sine' | null,
  ): Promise<TestStream> {
    const marker = randomUUID();
    const properties: Record<string, string> = { ...identity.properties, 'sndmix.test.marker': marker };
    if (identity.appName !== undefined) properties['application.name'] = identity.appName;
    if (identity.pid !== undefined) properties['application.process.id'] = String(identity.pid);
    if (identity.binary !== undefined) properties['application.process.binary'] = identity.binary;
    if (identity.iconName !== undefined) properties['application.icon_name'] = identity.iconName;
    const fullArgs = [
      ...args,
      ...Object.entries(properties).map(([key, value]) => `--property=${key}=${value}`),
      ...(input === '/dev/zero' ? ['/dev/zero'] : []),
    ];
    const child = spawn('pacat', fullArgs, {
      env: this.clientEnv,
      stdio: [input === 'sine' ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    this.children.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void exited.then(() => this.children.delete(child));
    if (input === 'sine' && child.stdin) feedSine(child.stdin);

    const deadline = Date.now() + STREAM_TIMEOUT_MS;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      const entry = (await this.list<PactlEntry>(listName).catch(() => [])).find(
        (candidate) => candidate.properties?.['sndmix.test.marker'] === marker,
      );
      if (entry) {
        return {
          index: entry.index,
          processId: child.pid ?? 0,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        };
      }
      await delay(25);
    }
    child.kill('SIGKILL');
    await exited;
    throw new Error(`pacat ${fullArgs.join(' ')} did not show up as a ${listName.slice(0, -1)}: ${stderr.trim() || 'no error output'}`);
  }

  /**
   * A playback stream of our own (pulseaudio.js), which can be corked and uncorked:
   * pacat cannot. It sends no audio; uncorked it just underruns, which PulseAudio still
   * reports as a running (not corked) stream.
   */
  async openCorkableStream(identity: StreamIdentity & { corked?: boolean } = {}): Promise<CorkableStream> {
    const application: Record<string, string | Record<string, string>> = {
      name: identity.appName ?? 'SndMix corkable test stream',
      process: { id: String(identity.pid ?? process.pid), ...(identity.binary ? { binary: identity.binary } : {}) },
      ...(identity.iconName ? { icon_name: identity.iconName } : {}),
    };
    const client = new PulseAudio({ ...application }, Buffer.alloc(256), this.socketPath);
    client.on('error', () => undefined);
    this.clients.add(client);
    await client.connect({ application });
    const stream: PlaybackStream = await client.createPlaybackStream({
      sampleSpec: { format: PA_SAMPLE_FORMAT.S16LE, channels: 2, rate: 44100 },
      corked: identity.corked ?? true,
      properties: { application, ...(identity.properties ? unflatten(identity.properties) : {}) },
    });
    stream.on('error', () => undefined);
    const sinkInput = (stream as unknown as { sinkInput: number }).sinkInput;
    return {
      index: sinkInput,
      cork: async (corked: boolean) => {
        const command = new SelectByIndex(PA_COMMAND.CORK_PLAYBACK_STREAM, stream.index);
        command.addBool(corked);
        await client._invoke(command);
      },
      close: async () => {
        this.clients.delete(client);
        await client.disconnect().catch(() => undefined);
      },
    };
  }

  /** Stops the server, every stream and client started here, and removes the temp dir. */
  async stop(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    await Promise.all([...this.clients].map((client) => client.disconnect().catch(() => undefined)));
    this.clients.clear();
    await Promise.all(
      [...this.children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    await this.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private killEverything(): void {
    for (const child of this.children) child.kill('SIGKILL');
    this.daemon?.kill('SIGKILL');
  }
}

export function startPulseTestServer(options?: PulseTestServerOptions): Promise<PulseTestServer> {
  return PulseTestServer.start(options);
}

/** Writes an endless 440 Hz stereo sine at half scale (s16le, 44.1 kHz: pacat's default raw format). */
function feedSine(stdin: NodeJS.WritableStream): void {
  const frames = 4410;
  const chunk = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const sample = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / 44100));
    chunk.writeInt16LE(sample, i * 4);
    chunk.writeInt16LE(sample, i * 4 + 2);
  }
  stdin.on('error', () => undefined);
  const pump = () => {
    while (stdin.write(chunk)) {
      // keep writing until the pipe is full; pacat drains it in real time
    }
    stdin.once('drain', pump);
  };
  pump();
}

/** "a.b.c" keys as the nested object pulseaudio.js wants. */
function unflatten(flat: Record<string, string>): Record<string, string | Record<string, unknown>> {
  const tree: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else node = node[part] = {};
    }
    node[parts[parts.length - 1] ?? key] = value;
  }
  return tree as Record<string, string | Record<string, unknown>>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
