// The everyday mixer's model on a real PulseAudio server of its own (native-bridge/pulse/testing/test-server.ts),
// each result read back with pactl: an app sent to another sink (move-sink-input), balance
// as channel volumes, a sink's dB range, and a sink's peak meter.
// Skipped only where PulseAudio is not installed and CI is not set.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from './engine-host';
import { balanceOf } from './balance';
import { formatDb, scalarToDb } from './volume-scale';
import type { SessionRecord } from '../native-bridge/types';
import { createPulseBackend } from '../native-bridge/pulse/backend';
import { PA_VOLUME_RANGE_DB } from '../native-bridge/pulse/session-model';
import { eventually } from '../native-bridge/pulse/testing/events';
import type { PulseTestServer, TestStream } from '../native-bridge/pulse/testing/test-server';
import { shouldSkipPulseTests, startPulseTestServer } from '../native-bridge/pulse/testing/test-server';

const SINK = 'sink:sndmix_test_sink';
const OTHER = 'sink:sndmix_other_sink';

interface PactlSinkInput {
  index: number;
  sink: number;
  volume: Record<string, { value: number }>;
}
interface PactlSink {
  index: number;
  name: string;
}

describe.skipIf(shouldSkipPulseTests())('everyday mixer on a real PulseAudio server', () => {
  let server: PulseTestServer;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    server = await startPulseTestServer({
      sinks: [
        { name: 'sndmix_test_sink', description: 'SndMix Test Output' },
        { name: 'sndmix_other_sink', description: 'SndMix Other Output' },
      ],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startHost(): Promise<EngineHost> {
    const backend = await createPulseBackend({ server: server.server });
    const host = await EngineHost.start(backend, { onError: () => undefined });
    cleanups.push(() => host.close());
    return host;
  }

  async function play(options: Parameters<PulseTestServer['play']>[0]): Promise<TestStream> {
    const stream = await server.play(options);
    cleanups.push(() => stream.stop());
    return stream;
  }

  function sessionOf(host: EngineHost, displayName: string, deviceId: string): Promise<SessionRecord> {
    return eventually(() => {
      const found = host.sessions().find((session) => session.displayName === displayName && session.deviceId === deviceId);
      if (!found) throw new Error(`no session ${displayName} on ${deviceId}`);
      return found;
    });
  }

  async function sinkNameOf(stream: TestStream): Promise<string | undefined> {
    const input = (await server.list<PactlSinkInput>('sink-inputs')).find((entry) => entry.index === stream.index);
    const sinks = await server.list<PactlSink>('sinks');
    return sinks.find((sink) => sink.index === input?.sink)?.name;
  }

  it('set-output-device moves every stream of the app to the other sink, and null moves them back to the default', async () => {
    const first = await play({ appName: 'Mover', pid: 5101, binary: 'mover' });
    const second = await play({ appName: 'Mover', pid: 5101, binary: 'mover' });
    const host = await startHost();
    const session = await sessionOf(host, 'Mover', SINK);
    expect(await host.execute({ type: 'set-output-device', sessionIds: [session.id], deviceId: OTHER })).toEqual({ ok: true });
    await eventually(async () => {
      expect(await sinkNameOf(first)).toBe('sndmix_other_sink');
      expect(await sinkNameOf(second)).toBe('sndmix_other_sink');
    });
    const moved = await sessionOf(host, 'Mover', OTHER);
    await eventually(() => expect(host.session(session.id)).toBeUndefined());
    expect(await host.execute({ type: 'set-output-device', sessionIds: [moved.id], deviceId: null })).toEqual({ ok: true });
    await eventually(async () => expect(await sinkNameOf(first)).toBe('sndmix_test_sink'));
  }, 20_000);

  it('refuses a capture device as a playback app\'s output, changing nothing', async () => {
    const stream = await play({ appName: 'Stayer', pid: 5102 });
    const host = await startHost();
    const session = await sessionOf(host, 'Stayer', SINK);
    const result = await host.execute({ type: 'set-output-device', sessionIds: [session.id], deviceId: 'source:sndmix_test_source' });
    expect(result).toMatchObject({ ok: false });
    expect(await sinkNameOf(stream)).toBe('sndmix_test_sink');
  }, 20_000);

  it('set-balance gives the channels pactl reads, and the session reads the same balance back', async () => {
    const stream = await play({ appName: 'Balancer', pid: 5103 });
    await server.pactl(['set-sink-input-volume', String(stream.index), '80%']);
    const host = await startHost();
    const session = await sessionOf(host, 'Balancer', SINK);
    expect(await host.execute({ type: 'set-balance', sessionIds: [session.id], balance: 0.5 })).toEqual({ ok: true });
    const level = 52428; // what pactl's 80% is
    await eventually(async () => {
      const input = (await server.list<PactlSinkInput>('sink-inputs')).find((entry) => entry.index === stream.index);
      const [left, right] = Object.values(input?.volume ?? {}).map((channel) => channel.value);
      expect(right).toBe(level);
      expect(Math.abs((left ?? 0) - level / 2)).toBeLessThanOrEqual(1);
    });
    await eventually(() => expect(balanceOf(host.session(session.id)?.channelVolumes ?? [])).toBeCloseTo(0.5, 3));
    // pactl's own balance: moving left by another client reads back as a negative balance.
    await server.pactl(['set-sink-input-volume', String(stream.index), '80%', '20%']);
    await eventually(() => expect(balanceOf(host.session(session.id)?.channelVolumes ?? [])).toBeCloseTo(-0.75, 2));
  }, 20_000);

  it('a null sink is a dB-volume device on the cubic curve, and scalarToDb reads what pactl prints', async () => {
    const host = await startHost();
    const sink = host.devices().find((device) => device.id === SINK);
    expect(sink?.volumeRangeDb).toEqual(PA_VOLUME_RANGE_DB);
    for (const percent of ['80%', '33%', '5%']) {
      await server.pactl(['set-sink-volume', 'sndmix_test_sink', percent]);
      const listed = (await server.list<PactlSink & { volume: Record<string, { value: number; db: string }> }>('sinks')).find((entry) => entry.name === 'sndmix_test_sink');
      const [channel] = Object.values(listed?.volume ?? {});
      if (!channel) throw new Error('pactl listed no channel');
      const scalar = await eventually(() => {
        const volume = host.devices().find((device) => device.id === SINK)?.volume;
        if (volume !== channel.value / 65536 && Math.abs((volume ?? 0) * 65536 - channel.value) >= 1) throw new Error(`sink volume still ${volume}`);
        return volume ?? 0;
      });
      expect(formatDb(scalarToDb(scalar, 'cubic'))).toBe(`${Number.parseFloat(channel.db).toFixed(1)} dB`);
    }
    await server.pactl(['set-sink-volume', 'sndmix_test_sink', '100%']);
  }, 20_000);

  it('meters a sink through its monitor: a sine playing on it reads about its peak', async () => {
    await play({ appName: 'Sine', pid: 5104, signal: 'sine' });
    const backend = await createPulseBackend({ server: server.server });
    cleanups.push(() => backend.close());
    const peak = await eventually(async () => {
      const value = (await backend.getDevicePeaks([SINK]))[SINK] ?? 0;
      if (value < 0.3) throw new Error(`sink peak still ${value}`);
      return value;
    }, 8000, 100);
    expect(peak).toBeGreaterThan(0.3);
    expect(peak).toBeLessThan(0.7);
    expect((await backend.getDevicePeaks([OTHER]))[OTHER]).toBe(0);
  }, 20_000);

  it('attributes an outside change and undoes it', async () => {
    const stream = await play({ appName: 'Undoer', pid: 5105 });
    const host = await startHost();
    const session = await sessionOf(host, 'Undoer', SINK);
    expect(await host.execute({ type: 'set-volume', sessionIds: [session.id], volume: 0.6 })).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 1200)); // past the backend's own-change window
    await server.pactl(['set-sink-input-volume', String(stream.index), '30%']);
    await eventually(() => expect(host.hostState().notes[session.id]?.lastChange?.origin).toBe('outside'));
    expect(host.hostState().notes[session.id]?.lastChange?.previous.volume).toBeCloseTo(0.6, 3);
    expect(await host.execute({ type: 'undo-outside-change', sessionId: session.id })).toEqual({ ok: true });
    await eventually(async () => {
      const input = (await server.list<PactlSinkInput>('sink-inputs')).find((entry) => entry.index === stream.index);
      expect(Object.values(input?.volume ?? {}).map((channel) => channel.value)).toEqual([Math.round(0.6 * 65536), Math.round(0.6 * 65536)]);
    });
    expect(host.hostState().notes[session.id]?.lastChange?.origin).toBe('cli');
  }, 20_000);
});
