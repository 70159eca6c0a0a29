// A music player on the test server: GStreamer's gst-launch-1.0 into pulsesink (the sink
// Rhythmbox, Totem and every GStreamer player use) playing two tracks in a row on one
// stream. pulsesink names its stream after the playing track's title tag (media.name),
// so a test sees a real track change. Each track is silence the test feeds (the first on
// stdin, until next(); the second on fd 3, until stop()), tagged with its title only.
//
// Needs gst-launch-1.0 and the plugins named below (Debian: apt-get install -y
// gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { PulseTestServer } from './test-server';

export const GST_TEST_PACKAGES = ['gstreamer1.0-tools', 'gstreamer1.0-plugins-base', 'gstreamer1.0-plugins-good'] as const;
const ELEMENTS = ['fdsrc', 'rawaudioparse', 'taginject', 'concat', 'audioconvert', 'pulsesink'] as const;
const STREAM_TIMEOUT_MS = 5_000;

/** Whether this machine has gst-launch-1.0 and every element the player uses, and if not, why. */
export function gstTestSupport(): { available: boolean; reason: string | null } {
  const inspect = (element: string) => spawnSync('gst-inspect-1.0', ['--exists', element]).status === 0;
  const launch = spawnSync('sh', ['-c', 'command -v gst-launch-1.0']).status === 0;
  const missing = [...(launch ? [] : ['gst-launch-1.0']), ...ELEMENTS.filter((element) => !inspect(element))];
  if (missing.length === 0) return { available: true, reason: null };
  return { available: false, reason: `${missing.join(', ')} missing (Debian: apt-get install -y ${GST_TEST_PACKAGES.join(' ')})` };
}

/** Like the pulse suites: skipped where GStreamer is missing, except in CI, where that fails. */
export function shouldSkipGstTests(): boolean {
  return !gstTestSupport().available && process.env.CI !== 'true';
}

export interface TrackPlayer {
  /** The sink-input index on the server. */
  index: number;
  processId: number;
  /** Ends the first track; resolves once the stream plays on, named after the second. */
  next(): Promise<void>;
  /** Ends the player and waits for it to exit. */
  stop(): Promise<void>;
}

interface PactlSinkInput {
  index: number;
  corked?: boolean;
  properties?: Record<string, string>;
}

/** Starts the player; resolves once its stream plays on the server, named after the first track. */
export async function playTracks(
  server: PulseTestServer,
  options: { appName: string; titles: readonly [string, string] },
): Promise<TrackPlayer> {
  const [first, second] = options.titles;
  for (const text of [options.appName, first, second]) {
    if (/["\\]/.test(text)) throw new Error(`a test title or name cannot hold quotes or backslashes: ${text}`);
  }
  const marker = randomUUID();
  // gst-launch joins its arguments with spaces and parses the result: quote what has spaces.
  const track = (fd: number, title: string) => [
    ...['fdsrc', `fd=${fd}`, '!', 'rawaudioparse', 'format=pcm', 'pcm-format=s16le', 'sample-rate=44100', 'num-channels=2'],
    ...['!', 'taginject', `tags="title=\\"${title}\\""`, '!'],
  ];
  const args = [
    '-q',
    ...track(0, first),
    ...['concat', 'name=tracks', '!', 'audioconvert', '!', 'pulsesink', `client-name="${options.appName}"`],
    `stream-properties="props,sndmix.test.marker=${marker}"`,
    ...track(3, second),
    'tracks.',
  ];
  const child = spawn('gst-launch-1.0', args, { env: server.clientEnv, stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => process.removeListener('exit', stopOnExit));
  feedSilence(child.stdin);
  feedSilence(child.stdio[3] as Writable | null);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const streamNamed = async (title: string) => {
    const deadline = Date.now() + STREAM_TIMEOUT_MS;
    let seen: PactlSinkInput | undefined;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      seen = (await server.list<PactlSinkInput>('sink-inputs').catch(() => [])).find(
        (input) => input.properties?.['sndmix.test.marker'] === marker,
      );
      // Playing, not just created: pulsesink uncorks its stream once the pipeline runs.
      if (seen?.properties?.['media.name'] === title && seen.corked === false) return seen;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await stop();
    const named = seen ? `it is named ${JSON.stringify(seen.properties?.['media.name'])}` : 'it never showed up';
    throw new Error(`gst-launch-1.0 did not play a stream named ${JSON.stringify(title)} (${named}): ${stderr.trim() || 'no error output'}`);
  };

  const stream = await streamNamed(first);
  return {
    index: stream.index,
    processId: child.pid ?? 0,
    next: async () => {
      child.stdin?.end();
      await streamNamed(second);
    },
    stop,
  };
}

/**
 * Silence (s16le stereo, 44.1 kHz) at the pace it plays, never more than the pipe holds:
 * while the player is slow to read (starting up), what it missed is dropped, not queued,
 * so a track ends soon after its input does.
 */
function feedSilence(input: Writable | null): void {
  if (!input) return;
  const bytesPerMs = (44100 * 4) / 1000;
  const started = Date.now();
  let written = 0;
  input.on('error', () => undefined);
  const timer = setInterval(() => {
    if (!input.writable) return clearInterval(timer);
    const due = Math.floor(((Date.now() - started + 20) * bytesPerMs) / 4) * 4 - written;
    if (due <= 0) return;
    if (input.writableLength === 0) input.write(Buffer.alloc(due));
    written += due;
  }, 10);
  timer.unref();
}
