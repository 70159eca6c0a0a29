// A private PulseAudio server for tests and benchmarks: its own runtime dir, socket,
// home and state in a temp dir, so it never meets a server someone else runs (a Wine
// test, the desktop's own). Plus helpers to play and record named streams on it with
// pacat, and a stream of our own that can be corked (pacat cannot).
//
// Two flavours: 'pulseaudio' (the pulseaudio daemon) and 'pipewire' (pipewire,
// wireplumber and pipewire-pulse under their own dbus-run-session, as a desktop runs
// them). Both serve the same pulse socket; with 'pipewire', PipeWire-native clients
// (pw-play) reach it too through clientEnv.
//
// Needs the `pulseaudio` and `pactl`/`pacat` binaries (Debian: apt-get install -y
// pulseaudio pulseaudio-utils), and for 'pipewire' also pipewire, pipewire-pulse,
// wireplumber and dbus-run-session. Works as root (PulseAudio warns, and runs).
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PA_SAMPLE_FORMAT, PulseAudio } from 'pulseaudio.js';
import type { PlaybackStream } from 'pulseaudio.js';
import { PA_COMMAND, SelectByIndex } from 'pulseaudio.js/dist/command.js';

export type PulseFlavour = 'pulseaudio' | 'pipewire';
export const PULSE_FLAVOURS: readonly PulseFlavour[] = ['pulseaudio', 'pipewire'];

const FLAVOUR_NEEDS: Record<PulseFlavour, { binaries: readonly string[]; packages: readonly string[] }> = {
  pulseaudio: { binaries: ['pulseaudio', 'pactl', 'pacat'], packages: ['pulseaudio', 'pulseaudio-utils'] },
  pipewire: {
    binaries: ['pipewire', 'pipewire-pulse', 'wireplumber', 'dbus-run-session', 'pactl', 'pacat'],
    packages: ['pipewire', 'pipewire-pulse', 'wireplumber', 'pipewire-bin', 'dbus-user-session', 'pulseaudio-utils'],
  },
};
export const PULSE_TEST_PACKAGES = FLAVOUR_NEEDS.pulseaudio.packages;
const START_TIMEOUT_MS = 10_000;
const STREAM_TIMEOUT_MS = 5_000;

export interface PulseTestSupport {
  available: boolean;
  /** Why not, with the fix, when unavailable. */
  reason: string | null;
}

/** Whether the named programs are on PATH; the missing ones. */
export function missingBinaries(binaries: readonly string[]): string[] {
  return binaries.filter((binary) => spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0);
}

/** Whether this machine can run a test server of the flavour. */
export function pulseTestSupport(flavour: PulseFlavour = 'pulseaudio'): PulseTestSupport {
  const needs = FLAVOUR_NEEDS[flavour];
  const missing = missingBinaries(needs.binaries);
  if (missing.length === 0) return { available: true, reason: null };
  return {
    available: false,
    reason: `${missing.join(', ')} not installed (Debian: apt-get install -y ${needs.packages.join(' ')})`,
  };
}

/**
 * Test suites that need a server: skipped where it is missing, except in CI (CI=true),
 * where a missing server must fail the suite rather than hide it.
 */
export function shouldSkipPulseTests(flavour: PulseFlavour = 'pulseaudio'): boolean {
  return !pulseTestSupport(flavour).available && process.env.CI !== 'true';
}

export interface TestDevice {
  name: string;
  description: string;
}

export interface PulseTestServerOptions {
  /** Which server: the pulseaudio daemon (default) or PipeWire with pipewire-pulse. */
  flavour?: PulseFlavour;
  /** Also listen on TCP 127.0.0.1 at a free port (pulseaudio flavour only): see tcpServer. */
  tcp?: boolean;
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
  /** "tcp:127.0.0.1:<port>" when started with `tcp`, else null. */
  tcpServer: string | null = null;
  /** Environment for client tools (pactl, pacat, aplay, gst-launch, pw-play): they reach only this server. */
  readonly clientEnv: NodeJS.ProcessEnv;
  readonly flavour: PulseFlavour;
  private daemon: ChildProcess | null = null;
  private readonly children = new Set<ChildProcess>();
  private readonly clients = new Set<PulseAudio>();
  private readonly logPath: string;
  private readonly killOnExit = () => this.killEverything();

  private constructor(
    readonly dir: string,
    private readonly options: Required<PulseTestServerOptions>,
  ) {
    this.flavour = options.flavour;
    // pipewire-pulse listens in $XDG_RUNTIME_DIR/pulse, beside PipeWire's own socket.
    this.socketPath = this.flavour === 'pipewire' ? join(dir, 'xdg', 'pulse', 'native') : join(dir, 'runtime', 'native');
    this.server = `unix:${this.socketPath}`;
    this.logPath = join(dir, `${this.flavour}.log`);
    this.clientEnv = {
      ...process.env,
      PULSE_SERVER: this.server,
      PULSE_RUNTIME_PATH: join(dir, 'client-runtime'),
      PULSE_COOKIE: join(dir, 'no-cookie'),
      // PipeWire-native clients (pw-play) find the PipeWire socket here; unused with pulseaudio.
      PIPEWIRE_RUNTIME_DIR: join(dir, 'xdg'),
    };
  }

  /** Starts a server on a fresh private socket; rejects with the reason (and server log) if it cannot. */
  static async start(options: PulseTestServerOptions = {}): Promise<PulseTestServer> {
    const flavour = options.flavour ?? 'pulseaudio';
    const support = pulseTestSupport(flavour);
    if (!support.available) throw new Error(`cannot start a ${flavour} test server: ${support.reason}`);
    if (options.tcp && flavour !== 'pulseaudio') throw new Error('the TCP listener is set up for the pulseaudio flavour only');
    const dir = mkdtempSync(join(tmpdir(), `sndmix-${flavour}-`));
    for (const sub of ['runtime', 'client-runtime', 'home', 'config', 'state', 'xdg']) mkdirSync(join(dir, sub), { mode: 0o700 });
    const server = new PulseTestServer(dir, {
      flavour,
      tcp: options.tcp ?? false,
      sinks: options.sinks ?? [{ name: 'sndmix_test_sink', description: 'SndMix Test Output' }],
      sources: options.sources ?? [{ name: 'sndmix_test_source', description: 'SndMix Test Input' }],
    });
    if (server.options.tcp) server.tcpServer = `tcp:127.0.0.1:${await freePort()}`;
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
    const daemon = this.flavour === 'pipewire' ? this.spawnPipeWire() : this.spawnPulseAudio();
    this.daemon = daemon;
    daemon.once('exit', () => {
      if (this.daemon === daemon) this.daemon = null;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.daemon !== daemon) break;
      if (await this.pactl(['info']).then(() => true, () => false)) {
        if (this.flavour === 'pipewire') await this.createPipeWireDevices();
        await this.setDefaults();
        return;
      }
      await delay(50);
    }
    const logText = await readFile(this.logPath, 'utf8').catch(() => '');
    await this.kill();
    throw new Error(`the ${this.flavour} test server did not start within ${START_TIMEOUT_MS} ms:\n${logText.slice(-2000)}`);
  }

  private daemonEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      HOME: join(this.dir, 'home'),
      XDG_CONFIG_HOME: join(this.dir, 'config'),
      XDG_RUNTIME_DIR: join(this.dir, 'xdg'),
      XDG_STATE_HOME: join(this.dir, 'state'),
      PULSE_RUNTIME_PATH: join(this.dir, 'runtime'),
      PULSE_STATE_PATH: join(this.dir, 'state'),
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
    };
  }

  private logStream(): NodeJS.WritableStream {
    return createWriteStream(this.logPath, { flags: 'a' });
  }

  private spawnPulseAudio(): ChildProcess {
    const modules = [
      `module-native-protocol-unix socket=${this.socketPath} auth-anonymous=1`,
      ...(this.tcpServer ? [`module-native-protocol-tcp listen=127.0.0.1 port=${this.tcpServer.split(':').pop()} auth-anonymous=1`] : []),
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
    const daemon = spawn('pulseaudio', args, {
      env: { ...this.daemonEnv(), DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    daemon.stderr?.pipe(this.logStream());
    return daemon;
  }

  /**
   * PipeWire as a desktop session runs it: the daemon, then the session manager and the
   * pulse server once its socket is there, all under one private D-Bus session (wireplumber
   * wants one). Its own process group, so kill() ends all of them at once.
   */
  private spawnPipeWire(): ChildProcess {
    const pipewireSocket = join(this.dir, 'xdg', 'pipewire-0');
    const script = [
      'pipewire &',
      `i=0; while [ ! -S '${pipewireSocket}' ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i+1)); done`,
      'wireplumber &',
      'pipewire-pulse &',
      'wait',
    ].join('\n');
    // Without PULSE_RUNTIME_PATH, which pipewire-pulse would honour: its socket goes to $XDG_RUNTIME_DIR/pulse, as on a desktop.
    const { PULSE_RUNTIME_PATH: _unused, ...env } = this.daemonEnv();
    const daemon = spawn('dbus-run-session', ['--', 'sh', '-c', script], {
      env: { ...env, PIPEWIRE_RUNTIME_DIR: join(this.dir, 'xdg') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const log = this.logStream();
    daemon.stdout?.pipe(log);
    daemon.stderr?.pipe(log);
    return daemon;
  }

  /** PipeWire has no null devices of its own: made through pipewire-pulse's module-null-sink (a source by media.class). */
  private async createPipeWireDevices(): Promise<void> {
    for (const sink of this.options.sinks) {
      await this.pactl(['load-module', 'module-null-sink', `sink_name=${sink.name}`, `sink_properties='device.description="${sink.description}"'`]);
    }
    for (const source of this.options.sources) {
      await this.pactl([
        'load-module',
        'module-null-sink',
        `sink_name=${source.name}`,
        `sink_properties='media.class=Audio/Source/Virtual device.description="${source.description}"'`,
      ]);
    }
    // The session manager (wireplumber) links and announces nodes a moment later.
    const names = [...this.options.sinks, ...this.options.sources].map((device) => device.name);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const listed = `${await this.pactl(['list', 'short', 'sinks'])}${await this.pactl(['list', 'short', 'sources'])}`;
      if (names.every((name) => listed.split(/\s+/).includes(name))) return;
      if (Date.now() > deadline) throw new Error(`PipeWire did not list ${names.join(', ')}:\n${listed}`);
      await delay(50);
    }
  }

  private async setDefaults(): Promise<void> {
    const [sink] = this.options.sinks;
    const [source] = this.options.sources;
    // PipeWire applies defaults through its session manager, which may still be starting
    // ("Not supported" until it is): retry until the server reports them.
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const settle = (args: string[]) => this.pactl(args).catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
      });
      if (sink) await settle(['set-default-sink', sink.name]);
      if (source) await settle(['set-default-source', source.name]);
      const info = await this.pactl(['info']);
      const reported = (label: string) => new RegExp(`^${label}: (.*)$`, 'm').exec(info)?.[1]?.trim();
      if ((!sink || reported('Default Sink') === sink.name) && (!source || reported('Default Source') === source.name)) return;
      if (Date.now() > deadline) throw new Error(`the ${this.flavour} test server did not take the default devices:\n${info}`);
      await delay(50);
    }
  }

  /** Ends the daemon like a crash (SIGKILL by default) and waits until it is gone (with PipeWire: its whole group). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const daemon = this.daemon;
    if (!daemon) return;
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    signalDaemon(daemon, this.flavour, signal);
    await exited;
    if (this.flavour === 'pipewire') await this.waitForGroupExit(daemon);
    this.daemon = null;
  }

  /** The group's other members (pipewire-pulse, dbus-daemon) may outlive its leader by a moment. */
  private async waitForGroupExit(daemon: ChildProcess): Promise<void> {
    if (daemon.pid === undefined) return;
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        process.kill(-daemon.pid, 0);
      } catch {
        return;
      }
      await delay(20);
    }
    signalDaemon(daemon, this.flavour, 'SIGKILL');
  }

  /** Stops (SIGSTOP) or resumes (SIGCONT) the daemon: a hung server, which keeps its clients' sockets open but answers nothing. */
  freeze(frozen: boolean): void {
    if (this.daemon) signalDaemon(this.daemon, this.flavour, frozen ? 'SIGSTOP' : 'SIGCONT');
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
    if (this.daemon) signalDaemon(this.daemon, this.flavour, 'SIGKILL');
  }
}

/** pulseaudio is one process; the PipeWire trio runs as one process group. */
function signalDaemon(daemon: ChildProcess, flavour: PulseFlavour, signal: NodeJS.Signals): void {
  if (flavour === 'pipewire' && daemon.pid !== undefined) {
    try {
      process.kill(-daemon.pid, signal);
    } catch {
      // already gone
    }
    return;
  }
  daemon.kill(signal);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
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
