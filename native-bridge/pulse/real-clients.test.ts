// The pulse backend with the programs people run, on a private PulseAudio and on a
// private PipeWire (pipewire-pulse): espeak-ng, aplay and sox through the ALSA pulse
// plugin, gst-launch's pulsesink, Chromium playing WebAudio, pw-play, a monitor
// recorder, module-loopback, a stream moved between sinks. Each check compares SndMix's
// sessions with what pactl reports. One server and one backend per flavour (servers are
// the slow part); every test cleans up the clients it started.
//
// Not skippable in CI (CI=true): a missing program fails the suite, like the Wine suite.
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BackendEvent, SessionRecord } from '../types';
import type { PulseBackend } from './backend';
import { createPulseBackend } from './backend';
import { EventRecorder, eventually } from './testing/events';
import type { PulseFlavour, PulseTestServer } from './testing/test-server';
import { missingBinaries, PULSE_FLAVOURS, pulseTestSupport, startPulseTestServer } from './testing/test-server';
import { PA_VOLUME_NORM, paVolumeToScalar } from './volume';

const CLIENT_BINARIES = ['espeak-ng', 'aplay', 'speaker-test', 'sox', 'play', 'gst-launch-1.0', 'chromium', 'pw-play'] as const;
const SINK = 'sndmix_test_sink';
const OTHER_SINK = 'sndmix_other_sink';
const SOURCE = 'sndmix_test_source';

/** pactl -f json prints some indexes as strings (PipeWire's pactl more than PulseAudio's): compare with Number(). */
interface PactlStream {
  index: number;
  client: number | string | null;
  owner_module: number | string | null;
  sink?: number | string;
  source?: number | string;
  mute: boolean;
  corked: boolean;
  volume: Record<string, { value: number }>;
  properties: Record<string, string>;
}

interface PactlDevice {
  index: number;
  name: string;
}

interface PactlClient {
  index: number;
  properties: Record<string, string>;
}

function skipReason(flavour: PulseFlavour): string | null {
  const server = pulseTestSupport(flavour);
  if (!server.available) return server.reason;
  const missing = missingBinaries(CLIENT_BINARIES.filter((binary) => flavour === 'pipewire' || binary !== 'pw-play'));
  return missing.length > 0 ? `${missing.join(', ')} not installed (see .ci/run)` : null;
}

for (const flavour of PULSE_FLAVOURS) {
  const reason = skipReason(flavour);
  describe.skipIf(reason !== null && process.env.CI !== 'true')(`real clients on ${flavour}`, () => {
    let server: PulseTestServer;
    let backend: PulseBackend;
    let events: EventRecorder;
    let work: string;
    const warnings: string[] = [];
    const children = new Set<ChildProcess>();
    const cleanups: (() => Promise<void> | void)[] = [];

    beforeAll(async () => {
      if (reason !== null) throw new Error(`cannot run the real-client suite on ${flavour}: ${reason}`);
      server = await startPulseTestServer({
        flavour,
        sinks: [
          { name: SINK, description: 'SndMix Test Output' },
          { name: OTHER_SINK, description: 'SndMix Other Output' },
        ],
        sources: [{ name: SOURCE, description: 'SndMix Test Input' }],
      });
      work = mkdtempSync(join(tmpdir(), 'sndmix-real-clients-'));
      const sox = (args: string[]) => spawnSync('sox', ['-q', '-n', ...args], { stdio: 'ignore' });
      sox(['-r', '44100', '-c', '2', join(work, 'blip.wav'), 'synth', '0.3', 'sine', '880']);
      sox(['-r', '48000', '-c', '2', join(work, 'long.wav'), 'synth', '30', 'sine', '220', 'vol', '0.1']);
      backend = await createPulseBackend({ server: server.server, onWarning: (message) => warnings.push(message) });
      events = new EventRecorder(backend);
      for (const device of await backend.listDevices()) await backend.listSessions(device.id);
    }, 30_000);

    afterAll(async () => {
      await backend?.close();
      await server?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    afterEach(async () => {
      // Clients first: Chromium writes its profile until it is gone.
      await Promise.all([...children].map(stopChild));
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      // Nothing in a test may look like a lost server.
      expect(warnings.splice(0)).toEqual([]);
      expect(backend.connectionState).toBe('connected');
    });

    /** Starts a client program against the test server, in its own process group (Chromium forks); killed after the test. */
    function launch(command: string, args: readonly string[]): ChildProcess {
      const child = spawn(command, [...args], { env: server.clientEnv, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      child.stderr?.resume();
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    }

    /**
     * Runs a short client to its end; one still running after 10 s fails the test, named.
     * `knownHang` names a hang of the client itself (reproduced without SndMix): it is
     * ended after 5 s instead, which still ends its stream.
     */
    function runToEnd(command: string, args: readonly string[], knownHang?: string): Promise<void> {
      const child = launch(command, args);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => {
            void stopChild(child);
            if (knownHang) resolve();
            else reject(new Error(`${command} ${args.join(' ')} did not end within 10 s`));
          },
          knownHang ? 5_000 : 10_000,
        );
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }

    const sinkInputs = () => server.list<PactlStream>('sink-inputs');
    const sourceOutputs = () => server.list<PactlStream>('source-outputs');

    /** The pactl streams a predicate picks, once there are `count` of them, each on a device already. */
    async function pactlStreams(kind: 'sink-inputs' | 'source-outputs', pick: (stream: PactlStream) => boolean, count = 1): Promise<PactlStream[]> {
      return eventually(
        async () => {
          const found = (kind === 'sink-inputs' ? await sinkInputs() : await sourceOutputs()).filter(pick);
          // PipeWire lists a new stream before its session manager links it to a device.
          const placed = (await Promise.all(found.map(async (stream) => ((await deviceIdOfStream(stream)) ? stream : null)))).filter(
            (stream): stream is PactlStream => stream !== null,
          );
          if (placed.length < count) throw new Error(`pactl lists ${placed.length} of ${count} ${kind}`);
          return placed;
        },
        15_000,
        50,
      );
    }

    /** The device id SndMix must give a pactl stream's sink or source, "" while it has none. */
    async function deviceIdOfStream(stream: PactlStream): Promise<string> {
      const kind = stream.sink !== undefined ? 'sink' : 'source';
      const index = Number(kind === 'sink' ? stream.sink : stream.source);
      const device = (await server.list<PactlDevice>(`${kind}s`)).find((candidate) => Number(candidate.index) === index);
      return device ? `${kind}:${device.name}` : '';
    }

    /** pid and binary as pactl reports them: on the stream, else on its client (PipeWire-native). */
    async function identityOf(stream: PactlStream): Promise<{ pid: number; binary: string | null }> {
      const clients = await server.list<PactlClient>('clients');
      const client = clients.find((candidate) => Number(candidate.index) === Number(stream.client))?.properties ?? {};
      const read = (key: string) => stream.properties[key] ?? client[key];
      return { pid: Number(read('application.process.id') ?? 0), binary: read('application.process.binary') ?? null };
    }

    /**
     * SndMix's session for pactl's stream, checked field by field against pactl. Both are
     * read again until they agree: clients uncork and set volumes just after they start.
     */
    async function expectSessionLike(first: PactlStream): Promise<SessionRecord> {
      const kind = first.sink !== undefined ? 'sink-inputs' : 'source-outputs';
      return eventually(
        async () => {
          // The same stream, else another of the same process: the ALSA pulse plugin opens a new stream after an underrun.
          const listed = kind === 'sink-inputs' ? await sinkInputs() : await sourceOutputs();
          const samePid = (candidate: PactlStream) =>
            candidate.properties['application.process.id'] !== undefined &&
            candidate.properties['application.process.id'] === first.properties['application.process.id'];
          const stream = listed.find((candidate) => candidate.index === first.index) ?? listed.find(samePid);
          if (!stream) throw new Error(`pactl no longer lists ${kind} #${first.index} nor another of its process`);
          const deviceId = await deviceIdOfStream(stream);
          const { pid, binary } = await identityOf(stream);
          const loudest = Math.max(...Object.values(stream.volume).map((channel) => channel.value));
          const sessions = await backend.listSessions(deviceId);
          const session = sessions.find((candidate) => candidate.pid === pid && candidate.processName === binary);
          if (!session) throw new Error(`no session of pid ${pid} (${String(binary)}) on ${deviceId}: ${sessions.map((s) => `${s.pid} ${s.displayName}`).join(', ')}`);
          expect(session).toMatchObject({
            deviceId,
            flow: deviceId.startsWith('sink:') ? 'render' : 'capture',
            displayName: stream.properties['application.name'] ?? binary,
            volume: paVolumeToScalar(loudest),
            muted: stream.mute,
            state: stream.corked ? 'inactive' : 'active',
            disconnected: null,
          });
          return session;
        },
        10_000,
        50,
      );
    }

    const eventsOf = (sessionId: string, since: number) =>
      events.events.slice(since).filter((event) => 'sessionId' in event && event.sessionId === sessionId);
    const createdBinaries = (since: number) =>
      new Set(
        events.events
          .slice(since)
          .flatMap((event) => (event.type === 'session-created' ? [event.session.processName ?? ''] : [])),
      );

    it("short sounds in a loop while a long stream plays: the long stream's session sees no event, nothing reconnects", async () => {
      const long = await server.play({ appName: 'Long Player', binary: 'long-player', pid: 7001 });
      cleanups.push(() => long.stop());
      const [longStream] = await pactlStreams('sink-inputs', (stream) => stream.index === long.index);
      const longSession = await expectSessionLike(longStream as PactlStream);
      const mark = events.mark();
      const blip = join(work, 'blip.wav');
      // speaker-test opens and closes its stream again and again.
      launch('speaker-test', ['-D', 'pulse', '-l', '0', '-c', '2', '-t', 'sine', '-P', '2']);
      for (let round = 0; round < 2; round++) {
        await Promise.all([
          runToEnd('espeak-ng', ['hi']),
          runToEnd('aplay', ['-q', '-D', 'pulse', blip]),
          runToEnd(
            'play',
            ['-q', blip],
            flavour === 'pipewire' ? 'sox through the ALSA pulse plugin sometimes never returns from drain on pipewire-pulse 0.3.65' : undefined,
          ),
          runToEnd('gst-launch-1.0', ['-q', 'audiotestsrc', 'num-buffers=3', '!', 'pulsesink']),
        ]);
      }
      // Let the last removals arrive.
      await eventually(async () => {
        if ((await sinkInputs()).some((stream) => ['espeak-ng', 'aplay', 'sox', 'gst-launch-1.0'].includes(stream.properties['application.process.binary'] ?? ''))) {
          throw new Error('short clients still listed');
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(eventsOf(longSession.id, mark)).toEqual([]);
      // Some of the short ones lived long enough to be announced: the backend kept following.
      expect(createdBinaries(mark).has('speaker-test')).toBe(true);
      expect(await expectSessionLike((await pactlStreams('sink-inputs', (stream) => stream.index === long.index))[0] as PactlStream)).toEqual(longSession);
    }, 60_000);

    it('espeak-ng, aplay and sox (ALSA pulse plugin), gst-launch with two pulsesinks: one session each, as pactl reports', async () => {
      launch('espeak-ng', ['-s', '80', 'a sentence long enough to still be speaking while the mixer looks at it, slowly, slowly']);
      launch('aplay', ['-q', '-D', 'pulse', join(work, 'long.wav')]);
      launch('play', ['-q', join(work, 'long.wav')]);
      const gst = launch('gst-launch-1.0', ['-q', 'audiotestsrc', 'is-live=true', '!', 'pulsesink', 'audiotestsrc', 'is-live=true', 'freq=660', '!', 'pulsesink']);
      for (const binary of ['espeak-ng', 'aplay', 'sox']) {
        const [stream] = await pactlStreams('sink-inputs', (candidate) => candidate.properties['application.process.binary'] === binary);
        await expectSessionLike(stream as PactlStream);
      }
      const gstStreams = await pactlStreams('sink-inputs', (candidate) => candidate.properties['application.process.id'] === String(gst.pid), 2);
      const session = await expectSessionLike(gstStreams[0] as PactlStream);
      expect(await expectSessionLike(gstStreams[1] as PactlStream)).toEqual(session);
      expect((await backend.listSessions(`sink:${SINK}`)).filter((candidate) => candidate.pid === gst.pid)).toHaveLength(1);
    }, 60_000);

    it('Chromium playing WebAudio headless: named Chromium, with the icon its binary finds (it asks for chromium-browser)', async () => {
      const profile = mkdtempSync(join(tmpdir(), 'sndmix-chromium-'));
      cleanups.push(() => rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
      const page = 'data:text/html,<script>const c=new AudioContext();const o=c.createOscillator();o.connect(c.destination);o.start();</script>';
      launch('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', `--user-data-dir=${profile}`, page]);
      const [stream] = await pactlStreams('sink-inputs', (candidate) => candidate.properties['application.process.binary'] === 'chromium');
      const session = await expectSessionLike(stream as PactlStream);
      expect(session).toMatchObject({ displayName: 'Chromium', iconPath: (stream as PactlStream).properties['application.icon_name'] ?? '' });
      // chromium-browser is in no installed theme; the binary's name (chromium) is.
      expect(session.icon).toMatch(/^data:image\/(png|svg\+xml);base64,/);
    }, 60_000);

    it('a recorder of a monitor source and module-loopback are recording sessions, as pactl reports', async () => {
      const recorder = await server.record({ source: `${SINK}.monitor`, appName: 'Screen Recorder', binary: 'screen-recorder', pid: 7101 });
      cleanups.push(() => recorder.stop());
      const [recorded] = await pactlStreams('source-outputs', (stream) => stream.index === recorder.index);
      expect(await expectSessionLike(recorded as PactlStream)).toMatchObject({ flow: 'capture', deviceId: `source:${SINK}.monitor` });

      const module = (await server.pactl(['load-module', 'module-loopback', `source=${SOURCE}`, `sink=${OTHER_SINK}`])).trim();
      cleanups.push(async () => void (await server.pactl(['unload-module', module])));
      const [input] = await pactlStreams('source-outputs', (stream) => String(stream.owner_module) === module);
      const [output] = await pactlStreams('sink-inputs', (stream) => String(stream.owner_module) === module);
      for (const stream of [input, output] as PactlStream[]) {
        const deviceId = await deviceIdOfStream(stream);
        const sessions = await eventually(async () => {
          const found = (await backend.listSessions(deviceId)).filter((session) => session.displayName === stream.properties['media.name']);
          if (found.length !== 1) throw new Error(`${found.length} loopback sessions on ${deviceId}`);
          return found;
        });
        expect(sessions[0]).toMatchObject({ pid: 0, flow: stream.sink === undefined ? 'capture' : 'render', state: 'active' });
      }
    }, 60_000);

    it('a stream moved to another sink: its session ends on the first and starts on the second, as pactl reports', async () => {
      const moved = await server.play({ appName: 'Mover', binary: 'mover', pid: 7201 });
      cleanups.push(() => moved.stop());
      const before = await expectSessionLike((await pactlStreams('sink-inputs', (stream) => stream.index === moved.index))[0] as PactlStream);
      const mark = events.mark();
      const move = () => server.pactl(['move-sink-input', String(moved.index), OTHER_SINK]);
      await move();
      // WirePlumber loses a move asked for while it is still linking a new stream (pactl
      // says it succeeded; about 1 in 10 here, with no SndMix running): ask again until
      // pactl reports the stream on the other sink. What SndMix reports is checked after.
      const [after] = await eventually(
        async () => {
          const found = await pactlStreams('sink-inputs', (stream) => stream.index === moved.index);
          if ((await deviceIdOfStream(found[0] as PactlStream)) !== `sink:${OTHER_SINK}`) {
            await move();
            throw new Error(`pactl still lists #${moved.index} on ${SINK}`);
          }
          return found;
        },
        15_000,
        500,
      );
      const created = await events.waitFor(
        (event): event is Extract<BackendEvent, { type: 'session-created' }> => event.type === 'session-created' && event.session.pid === 7201,
        mark,
      );
      await events.waitFor((event) => event.type === 'state-changed' && event.sessionId === before.id && event.terminated, mark);
      expect(created.session.deviceId).toBe(`sink:${OTHER_SINK}`);
      expect(await expectSessionLike(after as PactlStream)).toMatchObject({ id: created.session.id });
    }, 30_000);

    it("a volume set from outside arrives at the server's resolution (0.3, not 0.3000030517578125)", async () => {
      const stream = await server.play({ appName: 'Leveller', binary: 'leveller', pid: 7301 });
      cleanups.push(() => stream.stop());
      const session = await expectSessionLike((await pactlStreams('sink-inputs', (candidate) => candidate.index === stream.index))[0] as PactlStream);
      const mark = events.mark();
      await server.pactl(['set-sink-input-volume', String(stream.index), '30%']);
      const changed = await events.waitFor(
        (event): event is Extract<BackendEvent, { type: 'volume-changed' }> => event.type === 'volume-changed' && event.sessionId === session.id,
        mark,
      );
      expect(changed.volume).toBe(0.3);
      // SndMix's own write (0.55 -> 36045) reads back as 0.55 too, and pactl agrees.
      const own = events.mark();
      await backend.setSessionVolume(session.id, 0.55, 'test');
      const echoed = await events.waitFor(
        (event): event is Extract<BackendEvent, { type: 'volume-changed' }> => event.type === 'volume-changed' && event.sessionId === session.id,
        own,
      );
      expect(echoed).toMatchObject({ volume: 0.55, eventContext: 'test' });
      const [listed] = await pactlStreams('sink-inputs', (candidate) => candidate.index === stream.index);
      expect(Object.values((listed as PactlStream).volume).map((channel) => channel.value)).toEqual([
        Math.round(0.55 * PA_VOLUME_NORM),
        Math.round(0.55 * PA_VOLUME_NORM),
      ]);
    }, 30_000);

    if (flavour === 'pipewire') {
      it('pw-play twice: two sessions, each with its own pid and binary from its PipeWire client', async () => {
        const first = launch('pw-play', [join(work, 'long.wav')]);
        const second = launch('pw-play', [join(work, 'long.wav')]);
        const streams = await pactlStreams('sink-inputs', (stream) => stream.properties['application.name'] === 'pw-play', 2);
        const sessions = await Promise.all(streams.map((stream) => expectSessionLike(stream)));
        expect(sessions.map((session) => session.pid).sort()).toEqual([first.pid, second.pid].sort());
        expect(new Set(sessions.map((session) => session.id)).size).toBe(2);
      }, 30_000);
    }
  });
}

/** Kills a launched client and whatever it forked (its process group). */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  await exited;
}
