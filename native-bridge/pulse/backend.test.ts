// The pulse backend against a real PulseAudio server of its own (testing/test-server.ts).
// Skipped only where PulseAudio is not installed and CI is not set: in CI a missing
// server fails the suite.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BackendEvent, SessionRecord } from '../types';
import { BackendError } from '../types';
import type { PulseBackend, PulseBackendOptions } from './backend';
import { createPulseBackend } from './backend';
import { PA_VOLUME_RANGE_DB } from './session-model';
import { EventRecorder, eventually } from './testing/events';
import type { PulseTestServer, TestStream } from './testing/test-server';
import { shouldSkipPulseTests, startPulseTestServer } from './testing/test-server';

const SINK = 'sink:sndmix_test_sink';
const SOURCE = 'source:sndmix_test_source';
/** A 1x1 PNG, for the icon lookup. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface PactlStream {
  index: number;
  mute: boolean;
  corked: boolean;
  volume: Record<string, { value: number }>;
}

function channelValues(stream: PactlStream | undefined): number[] {
  if (!stream) throw new Error('stream not listed by pactl');
  return Object.values(stream.volume).map((channel) => channel.value);
}

async function expectRejection(promise: Promise<unknown>, code: BackendError['code']): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BackendError);
  expect((error as BackendError).code).toBe(code);
}

describe('pulse backend without a server', () => {
  it('rejects with BackendError "unavailable" naming the socket it tried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sndmix-nopulse-'));
    try {
      const attempt = createPulseBackend({ server: `unix:${join(dir, 'native')}`, timeoutMs: 2000 });
      await expectRejection(attempt, 'unavailable');
      await expect(attempt).rejects.toThrow(/no PulseAudio server reachable.*native/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(shouldSkipPulseTests())('pulse backend on a real PulseAudio server', () => {
  let server: PulseTestServer;
  let iconDir: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    server = await startPulseTestServer({
      tcp: true,
      sinks: [
        { name: 'sndmix_test_sink', description: 'SndMix Test Output' },
        { name: 'sndmix_other_sink', description: 'SndMix Other Output' },
      ],
    });
    iconDir = mkdtempSync(join(tmpdir(), 'sndmix-pulse-icons-'));
    mkdirSync(join(iconDir, 'icons', 'hicolor', '48x48', 'apps'), { recursive: true });
    writeFileSync(join(iconDir, 'icons', 'hicolor', '48x48', 'apps', 'sndmix-test-app.png'), PNG);
  });

  afterAll(async () => {
    await server?.stop();
    if (iconDir) rmSync(iconDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(options: PulseBackendOptions = {}): Promise<{ backend: PulseBackend; events: EventRecorder }> {
    const backend = await createPulseBackend({ server: server.server, icons: { dataDirs: [iconDir], themes: [] }, ...options });
    cleanups.push(() => backend.close());
    return { backend, events: new EventRecorder(backend) };
  }

  async function play(options: Parameters<PulseTestServer['play']>[0]): Promise<TestStream> {
    const stream = await server.play(options);
    cleanups.push(() => stream.stop());
    return stream;
  }

  async function sessionNamed(backend: PulseBackend, deviceId: string, displayName: string): Promise<SessionRecord> {
    return eventually(async () => {
      const found = (await backend.listSessions(deviceId)).find((session) => session.displayName === displayName);
      if (!found) throw new Error(`no session named ${displayName} on ${deviceId}`);
      return found;
    });
  }

  const sinkInput = async (index: number) => (await server.list<PactlStream>('sink-inputs')).find((s) => s.index === index);

  it('lists sinks and sources with descriptions, defaults, volume and mute; monitors hidden on request', async () => {
    const { backend } = await open({ includeMonitorSources: false });
    const devices = await backend.listDevices();
    expect(devices.map((device) => device.id)).toEqual([SINK, 'sink:sndmix_other_sink', SOURCE]);
    expect(devices[0]).toEqual({
      id: SINK,
      name: 'SndMix Test Output',
      flow: 'render',
      state: 'active',
      defaultFor: ['console', 'multimedia', 'communications'],
      volume: 1,
      muted: false,
      volumeRangeDb: PA_VOLUME_RANGE_DB,
    });
    expect(devices[2]).toMatchObject({ name: 'SndMix Test Input', flow: 'capture', defaultFor: ['console', 'multimedia', 'communications'] });
    const withMonitors = await open();
    expect((await withMonitors.backend.listDevices()).map((device) => device.id)).toContain('source:sndmix_test_sink.monitor');
  });

  it('reaches a server over TCP (PULSE_SERVER=tcp:host:port) and sees the same sessions', async () => {
    await play({ appName: 'Over TCP', pid: 4090 });
    const { backend } = await open({ server: server.tcpServer ?? undefined });
    expect(backend.serverDescription).toMatch(/ on tcp:127\.0\.0\.1:\d+$/);
    expect(await sessionNamed(backend, SINK, 'Over TCP')).toMatchObject({ pid: 4090, flow: 'render' });
  });

  it('R13: two streams of one app form one session with its name, pid, process and icon', async () => {
    const identity = { appName: 'Two Streams', pid: 4001, binary: 'two-streams', iconName: 'sndmix-test-app' };
    await play(identity);
    await play({ ...identity, iconName: undefined });
    await play({ appName: 'Someone Else', pid: 4002 });
    const { backend } = await open();
    const sessions = (await backend.listSessions(SINK)).filter((session) => [4001, 4002].includes(session.pid));
    expect(sessions).toHaveLength(2);
    const session = sessions.find((candidate) => candidate.pid === 4001);
    expect(session).toMatchObject({
      displayName: 'Two Streams',
      displayNameSource: 'client',
      processName: 'two-streams',
      flow: 'render',
      deviceId: SINK,
      state: 'active',
      iconPath: 'sndmix-test-app',
      icon: `data:image/png;base64,${PNG.toString('base64')}`,
      volume: 1,
      muted: false,
      channelVolumes: [1, 1],
      crossProcess: false,
      disconnected: null,
    });
    const unresolvable = await play({ appName: 'No Icon', pid: 4003, iconName: 'no-such-icon-anywhere' });
    expect(unresolvable.index).toBeGreaterThanOrEqual(0);
    expect(await sessionNamed(backend, SINK, 'No Icon')).toMatchObject({ iconPath: 'no-such-icon-anywhere', icon: null });
  });

  it('setSessionVolume sets every stream of the session, keeping each balance, and reports our context', async () => {
    const a = await play({ appName: 'Volume App', pid: 4101 });
    const b = await play({ appName: 'Volume App', pid: 4101 });
    await server.pactl(['set-sink-input-volume', String(a.index), '100%', '50%']);
    const { backend, events } = await open();
    const session = await sessionNamed(backend, SINK, 'Volume App');
    const mark = events.mark();
    await backend.setSessionVolume(session.id, 0.5, 'sndmix-ctx');
    await eventually(async () => {
      expect(channelValues(await sinkInput(a.index))).toEqual([32768, 16384]);
      expect(channelValues(await sinkInput(b.index))).toEqual([32768, 32768]);
    });
    const changed = await events.waitFor((e) => e.type === 'volume-changed' && e.sessionId === session.id, mark);
    expect(changed).toMatchObject({ volume: 0.5, muted: false, eventContext: 'sndmix-ctx' });
  });

  it('a volume changed by another client produces volume-changed with eventContext "external"', async () => {
    const stream = await play({ appName: 'External App', pid: 4201 });
    const { backend, events } = await open();
    const session = await sessionNamed(backend, SINK, 'External App');
    const mark = events.mark();
    await server.pactl(['set-sink-input-volume', String(stream.index), '25%']);
    const changed = await events.waitFor((e) => e.type === 'volume-changed' && e.sessionId === session.id, mark);
    expect(changed).toEqual({ type: 'volume-changed', sessionId: session.id, volume: 0.25, muted: false, eventContext: 'external' });
    expect((await sessionNamed(backend, SINK, 'External App')).volume).toBe(0.25);
  });

  it('an outside volume change costs one server request: the stream read, not pactl\'s own client', async () => {
    const stream = await play({ appName: 'Counted App', pid: 4202 });
    const { backend, events } = await open();
    const session = await sessionNamed(backend, SINK, 'Counted App');
    const before = backend.serverRequests;
    for (const percent of [35, 60, 45]) {
      const mark = events.mark();
      await server.pactl(['set-sink-input-volume', String(stream.index), `${percent}%`]);
      // pactl's client comes (new, change) before its change and goes after it: once the change is heard, its reads were sent.
      await events.waitFor((e) => e.type === 'volume-changed' && e.sessionId === session.id && e.volume === percent / 100, mark);
    }
    expect(backend.serverRequests - before).toBe(3);
  });

  it('mutes and unmutes every stream, and hears mute from outside', async () => {
    const a = await play({ appName: 'Mute App', pid: 4301 });
    const b = await play({ appName: 'Mute App', pid: 4301 });
    const { backend, events } = await open();
    const session = await sessionNamed(backend, SINK, 'Mute App');
    let mark = events.mark();
    await backend.setSessionMute(session.id, true, 'mute-ctx');
    await eventually(async () => {
      expect((await sinkInput(a.index))?.mute).toBe(true);
      expect((await sinkInput(b.index))?.mute).toBe(true);
    });
    expect(await events.waitFor((e) => e.type === 'volume-changed' && e.sessionId === session.id, mark)).toMatchObject({
      muted: true,
      eventContext: 'mute-ctx',
    });
    mark = events.mark();
    await server.pactl(['set-sink-input-mute', String(a.index), '0']);
    expect(await events.waitFor((e) => e.type === 'volume-changed' && e.sessionId === session.id, mark)).toMatchObject({
      muted: false,
      eventContext: 'external',
    });
  });

  it('setChannelVolume changes one channel of every stream', async () => {
    const a = await play({ appName: 'Channel App', pid: 4401 });
    const b = await play({ appName: 'Channel App', pid: 4401 });
    const { backend, events } = await open();
    const session = await sessionNamed(backend, SINK, 'Channel App');
    const mark = events.mark();
    await backend.setChannelVolume(session.id, 1, 0.25, 'chan-ctx');
    await eventually(async () => {
      expect(channelValues(await sinkInput(a.index))).toEqual([65536, 16384]);
      expect(channelValues(await sinkInput(b.index))).toEqual([65536, 16384]);
    });
    expect(await events.waitFor((e) => e.type === 'channel-volume-changed' && e.sessionId === session.id, mark)).toMatchObject({
      channelVolumes: [1, 0.25],
      changedChannel: 1,
      eventContext: 'chan-ctx',
    });
    await expectRejection(backend.setChannelVolume(session.id, 2, 0.5, 'x'), 'invalid-argument');
  });

  it('writes made one after another build on each other, not on what the server last reported (undo: the volume, then each channel)', async () => {
    const stream = await play({ appName: 'Quick Writer', pid: 4402 });
    const { backend } = await open();
    const session = await sessionNamed(backend, SINK, 'Quick Writer');
    // Another client coming and going (pactl) makes the backend look at its records between
    // the writes, while an earlier write's change is still on its way.
    let writing = true;
    const otherClients = (async () => {
      while (writing) await server.pactl(['info']);
    })();
    cleanups.push(async () => {
      writing = false;
      await otherClients;
    });
    for (let round = 0; round < 8; round++) {
      // Each awaited write is acknowledged before the server's change event reaches the backend.
      await backend.setSessionVolume(session.id, 0.6, 'quick');
      await backend.setChannelVolume(session.id, 0, 0.2, 'quick');
      await backend.setChannelVolume(session.id, 1, 0.4, 'quick');
      await eventually(async () => expect(channelValues(await sinkInput(stream.index))).toEqual([Math.round(0.2 * 65536), Math.round(0.4 * 65536)]));
      await backend.setSessionVolume(session.id, 1, 'quick');
      await eventually(async () => expect(channelValues(await sinkInput(stream.index))).toEqual([32768, 65536]));
      await backend.setChannelVolume(session.id, 0, 1, 'quick');
      await eventually(async () => expect(channelValues(await sinkInput(stream.index))).toEqual([65536, 65536]));
      // Back to what the server still reports, then one channel: built on the second write, not the first.
      await backend.setSessionVolume(session.id, 0.6, 'quick');
      await backend.setSessionVolume(session.id, 1, 'quick');
      await backend.setChannelVolume(session.id, 0, 0.5, 'quick');
      await eventually(async () => expect(channelValues(await sinkInput(stream.index))).toEqual([32768, 65536]));
      await backend.setChannelVolume(session.id, 0, 1, 'quick');
      await eventually(async () => expect(channelValues(await sinkInput(stream.index))).toEqual([65536, 65536]));
    }
  }, 30_000);

  it('R9: a corked stream is inactive, an uncorked one active', async () => {
    const corkable = await server.openCorkableStream({ appName: 'Cork App', pid: 4501, corked: true });
    cleanups.push(() => corkable.close());
    const { backend, events } = await open();
    const session = await sessionNamed(backend, SINK, 'Cork App');
    expect(session.state).toBe('inactive');
    let mark = events.mark();
    await corkable.cork(false);
    await events.waitFor((e) => e.type === 'state-changed' && e.sessionId === session.id && e.state === 'active', mark);
    mark = events.mark();
    await corkable.cork(true);
    await events.waitFor((e) => e.type === 'state-changed' && e.sessionId === session.id && e.state === 'inactive', mark);
  });

  it('R22, R10: announces sessions after the device was listed, and terminates them with their last stream', async () => {
    const { backend, events } = await open();
    const early = await play({ appName: 'Before Listing', pid: 4601 });
    await eventually(async () => expect((await server.list('sink-inputs')).length).toBeGreaterThan(0));
    await early.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.events.filter((e) => e.type.startsWith('session') || e.type === 'state-changed')).toEqual([]);

    await backend.listSessions(SINK);
    let mark = events.mark();
    const first = await play({ appName: 'Lifecycle App', pid: 4602 });
    const created = await events.waitFor(
      (e): e is Extract<BackendEvent, { type: 'session-created' }> => e.type === 'session-created' && e.session.displayName === 'Lifecycle App',
      mark,
    );
    const second = await play({ appName: 'Lifecycle App', pid: 4602 });
    mark = events.mark();
    await first.stop();
    await second.stop();
    const ended = await events.waitFor((e) => e.type === 'state-changed' && e.sessionId === created.session.id && e.terminated, mark);
    expect(ended).toEqual({ type: 'state-changed', sessionId: created.session.id, state: 'expired', terminated: true });
    expect(events.events.slice(mark).filter((e) => e.type === 'state-changed' && e.terminated)).toHaveLength(1);
    expect((await backend.listSessions(SINK)).some((session) => session.id === created.session.id)).toBe(false);
  });

  it('lists and controls capture sessions (source-outputs)', async () => {
    const recording = await server.record({ appName: 'Recorder App', pid: 4701 });
    cleanups.push(() => recording.stop());
    const { backend } = await open();
    const session = await sessionNamed(backend, SOURCE, 'Recorder App');
    expect(session).toMatchObject({ flow: 'capture', deviceId: SOURCE, state: 'active' });
    await backend.setSessionVolume(session.id, 0.5, 'rec');
    await eventually(async () => {
      const outputs = await server.list<PactlStream>('source-outputs');
      expect(channelValues(outputs.find((output) => output.index === recording.index))).toEqual([32768, 32768]);
    });
  });

  it('sets device volume and mute, and follows device changes, defaults, additions and removals', async () => {
    const { backend, events } = await open();
    await backend.setDeviceVolume('sink:sndmix_other_sink', 0.5);
    await backend.setDeviceMute('sink:sndmix_other_sink', true);
    await eventually(async () => {
      const sink = (await server.list<PactlStream & { name: string }>('sinks')).find((s) => s.name === 'sndmix_other_sink');
      expect(channelValues(sink)).toEqual([32768, 32768]);
      expect(sink?.mute).toBe(true);
    });
    await events.waitFor((e) => e.type === 'device-changed' && e.device.id === 'sink:sndmix_other_sink' && e.device.muted === true);

    let mark = events.mark();
    await server.pactl(['set-default-sink', 'sndmix_other_sink']);
    await events.waitFor((e) => e.type === 'default-device-changed' && e.flow === 'render' && e.deviceId === 'sink:sndmix_other_sink', mark);
    await server.pactl(['set-default-sink', 'sndmix_test_sink']);
    await server.pactl(['set-sink-mute', 'sndmix_other_sink', '0']);

    mark = events.mark();
    const moduleIndex = (await server.pactl(['load-module', 'module-null-sink', 'sink_name=sndmix_hotplug'])).trim();
    await events.waitFor((e) => e.type === 'device-added' && e.device.id === 'sink:sndmix_hotplug', mark);
    mark = events.mark();
    await server.pactl(['unload-module', moduleIndex]);
    await events.waitFor((e) => e.type === 'device-removed' && e.deviceId === 'sink:sndmix_hotplug', mark);
  });

  it('reads real peaks: a half-scale sine reads about 0.5, silence 0', async () => {
    await play({ appName: 'Loud App', pid: 4801, signal: 'sine' });
    await play({ appName: 'Quiet App', pid: 4802 });
    const { backend } = await open({ peakMeters: { idleMs: 400 } });
    const loud = await sessionNamed(backend, SINK, 'Loud App');
    const quiet = await sessionNamed(backend, SINK, 'Quiet App');
    const peaks = await eventually(
      async () => {
        const read = await backend.getPeaks([loud.id, quiet.id]);
        expect(read[loud.id]).toBeGreaterThan(0.4);
        return read;
      },
      8000,
      50,
    );
    expect(peaks[loud.id]).toBeLessThan(0.6);
    expect(peaks[quiet.id]).toBe(0);
    // The meters are record streams of SndMix's own, never sessions, and close once nobody reads them.
    const meterStreams = async () =>
      (await server.list<{ properties: Record<string, string> }>('source-outputs')).filter(
        (output) => output.properties['application.name'] === 'SndMix peak meter',
      );
    expect(await meterStreams()).toHaveLength(2);
    expect((await backend.listSessions(SOURCE)).filter((session) => session.displayName === 'SndMix peak meter')).toEqual([]);
    await eventually(async () => expect(await meterStreams()).toHaveLength(0), 3000);
  });

  it('refuses unknown ids and out-of-range values with BackendErrors', async () => {
    await play({ appName: 'Argument App', pid: 4901 });
    const { backend } = await open();
    const session = await sessionNamed(backend, SINK, 'Argument App');
    await expectRejection(backend.setSessionVolume('no-such-session', 0.5, 'x'), 'not-found');
    await expectRejection(backend.setSessionMute('no-such-session', true, 'x'), 'not-found');
    await expectRejection(backend.setDeviceVolume('sink:nope', 0.5), 'not-found');
    await expectRejection(backend.listSessions('sink:nope'), 'not-found');
    await expectRejection(backend.setSessionVolume(session.id, 1.5, 'x'), 'invalid-argument');
    await expectRejection(backend.setSessionVolume(session.id, Number.NaN, 'x'), 'invalid-argument');
  });
});

describe.skipIf(shouldSkipPulseTests())('pulse backend when the server goes away', () => {
  let server: PulseTestServer;

  beforeAll(async () => {
    server = await startPulseTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('counts a server that stops answering as gone once a request is timeoutMs late, and comes back when it answers again', async () => {
    const warnings: string[] = [];
    const timeoutMs = 300;
    const backend = await createPulseBackend({
      server: server.server,
      timeoutMs,
      reconnectDelayMs: { initial: 50, max: 200 },
      onWarning: (message) => warnings.push(message),
    });
    try {
      await backend.setDeviceVolume(SINK, 0.5);
      server.freeze(true);
      const sentAt = performance.now();
      // Two requests in flight: each is bounded, the second by the same watch as the first.
      const [first, second] = await Promise.allSettled([backend.setDeviceVolume(SINK, 0.3), backend.setDeviceMute(SINK, true)]);
      expect(performance.now() - sentAt).toBeGreaterThanOrEqual(timeoutMs);
      for (const result of [first, second]) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'disconnected' });
      }
      expect(warnings).toContain(`lost the PulseAudio server (the PulseAudio server did not answer within ${timeoutMs} ms); reconnecting`);
      expect(backend.connectionState).toBe('reconnecting');
      server.freeze(false);
      await eventually(() => expect(backend.connectionState).toBe('connected'));
      await backend.setDeviceVolume(SINK, 0.5);
    } finally {
      server.freeze(false);
      await backend.close();
    }
  });

  it('reports sessions disconnected, refuses commands, reconnects and rebuilds the sessions', async () => {
    const warnings: string[] = [];
    const backend = await createPulseBackend({
      server: server.server,
      reconnectDelayMs: { initial: 50, max: 200 },
      onWarning: (message) => warnings.push(message),
    });
    try {
      const events = new EventRecorder(backend);
      await server.play({ appName: 'Survivor', pid: 5001 });
      const before = await eventually(async () => {
        const found = (await backend.listSessions(SINK)).find((session) => session.displayName === 'Survivor');
        if (!found) throw new Error('no session yet');
        return found;
      });

      let mark = events.mark();
      await server.kill();
      await events.waitFor((e) => e.type === 'disconnected' && e.sessionId === before.id && e.reason === 'server-shutdown', mark);
      expect(backend.connectionState).toBe('reconnecting');
      expect((await backend.listSessions(SINK)).find((session) => session.id === before.id)?.disconnected).toBe('server-shutdown');
      await expectRejection(backend.setSessionVolume(before.id, 0.3, 'x'), 'disconnected');
      await expectRejection(backend.setDeviceVolume(SINK, 0.3), 'disconnected');

      // Let a few reconnect attempts fail before the server comes back: reported once, not per attempt.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(warnings.filter((warning) => warning.startsWith('reconnecting to PulseAudio failed'))).toHaveLength(1);
      mark = events.mark();
      await server.startDaemon();
      await events.waitFor((e) => e.type === 'state-changed' && e.sessionId === before.id && e.terminated, mark);
      await eventually(() => expect(backend.connectionState).toBe('connected'));
      await server.play({ appName: 'Survivor', pid: 5001 });
      const back = await events.waitFor(
        (e): e is Extract<BackendEvent, { type: 'session-created' }> => e.type === 'session-created' && e.session.displayName === 'Survivor',
        mark,
      );
      expect(back.session).toMatchObject({ id: before.id, disconnected: null, state: 'active' });
      await backend.setSessionVolume(back.session.id, 0.4, 'after-restart');
      expect(warnings.some((warning) => warning.startsWith('lost the PulseAudio server'))).toBe(true);
      expect(warnings.some((warning) => warning.startsWith('reconnected'))).toBe(true);
    } finally {
      await backend.close();
    }
  });
});
