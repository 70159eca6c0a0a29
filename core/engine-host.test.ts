import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveSessionEvents } from '../native-bridge/session-events';
import { BackendError } from '../native-bridge/types';
import type { ServerMessage } from './contract';
import { PROTOCOL_VERSION } from './contract';
import { sndmixKindOf } from './change-origin';
import { EngineHost } from './engine-host';
import { FakeBackend, device, session } from './testing/fake-backend';

type Patch = Extract<ServerMessage, { type: 'patch' }>;

async function startHost(backend = new FakeBackend()) {
  const host = await EngineHost.start(backend, { flushIntervalMs: 16, meterIntervalMs: 50 });
  const received: ServerMessage[] = [];
  const client = host.connect((message) => {
    received.push(message);
    return true;
  });
  await client.handle({ type: 'subscribe' });
  return { host, backend, client, received };
}

const patches = (messages: ServerMessage[]) => messages.filter((m): m is Patch => m.type === 'patch');

describe('EngineHost', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a snapshot of every device and session on subscribe', async () => {
    const { received } = await startHost(
      new FakeBackend({
        devices: [device(), device({ id: 'dev-mic', name: 'Mic', flow: 'capture' })],
        sessions: [session(), session({ id: 's-rec', deviceId: 'dev-mic', flow: 'capture' })],
      }),
    );
    expect(received).toHaveLength(1);
    const [snapshot] = received;
    expect(snapshot).toMatchObject({ type: 'snapshot', protocol: PROTOCOL_VERSION, backend: { name: 'sim', notice: null } });
    if (snapshot?.type !== 'snapshot') throw new Error('no snapshot');
    expect(snapshot.devices.map((d) => d.id)).toEqual(['dev-speakers', 'dev-mic']);
    expect(snapshot.sessions.map((s) => s.id)).toEqual(['s-player', 's-rec']);
  });

  it('tells subscribed clients when the backend loses and regains its audio system, in a fresh snapshot after what was pending', async () => {
    class LosableBackend extends FakeBackend {
      readonly connectionListeners = new Set<(disconnected: string | null) => void>();
      onConnectionChange(listener: (disconnected: string | null) => void): () => void {
        this.connectionListeners.add(listener);
        return () => this.connectionListeners.delete(listener);
      }
      announce(disconnected: string | null): void {
        for (const listener of this.connectionListeners) listener(disconnected);
      }
    }
    const backend = new LosableBackend();
    const { host, received } = await startHost(backend);
    backend.emit({ type: 'volume-changed', sessionId: 's-player', volume: 0.5, muted: false, eventContext: '{outside}' });
    backend.announce('the server went away');
    expect(received.slice(1).map((message) => message.type)).toEqual(['patch', 'events', 'snapshot']);
    expect(received.at(-1)).toMatchObject({ type: 'snapshot', backend: { disconnected: 'the server went away' } });
    backend.announce(null);
    expect(received.at(-1)).toMatchObject({ type: 'snapshot', backend: { disconnected: null } });
    await host.close();
    expect(backend.connectionListeners.size).toBe(0);
  });

  it('sets a volume through the backend with its own event context and sends only the changed field', async () => {
    const { host, backend, client, received } = await startHost();
    expect(await client.handle({ type: 'set-volume', sessionIds: ['s-player'], volume: 0.25 })).toEqual({ ok: true });
    expect(backend.calls).toHaveLength(1);
    const context = /^volume s-player 0\.25 (\S+)$/.exec(backend.calls[0] ?? '')?.[1] ?? '';
    expect(sndmixKindOf(context)).toBe('mixer');
    expect(context).not.toBe(host.eventContext);
    expect(host.session('s-player')?.volume).toBe(0.25);
    await vi.advanceTimersByTimeAsync(16);
    expect(patches(received)).toEqual([
      {
        type: 'patch',
        devices: { upserted: [], removed: [] },
        sessions: { added: [], changed: [{ id: 's-player', changes: { volume: 0.25 } }], removed: [] },
        notes: { 's-player': expect.objectContaining({ lastChange: expect.objectContaining({ origin: 'mixer' }) }) },
      },
    ]);
  });

  it('keeps the accepted channel and device values even when the backend never notifies them', async () => {
    const { host, backend, client } = await startHost();
    expect(await client.handle({ type: 'set-channel-volume', sessionId: 's-player', channel: 1, volume: 0.5 })).toEqual({ ok: true });
    expect(await client.handle({ type: 'set-device-volume', deviceId: 'dev-speakers', volume: 0.2 })).toEqual({ ok: true });
    expect(await client.handle({ type: 'set-device-mute', deviceId: 'dev-speakers', muted: true })).toEqual({ ok: true });
    expect(backend.calls).toEqual(['channel s-player 1 0.5', 'device-volume dev-speakers 0.2', 'device-mute dev-speakers true']);
    expect(host.session('s-player')?.channelVolumes).toEqual([1, 0.5]);
    expect(host.devices()[0]).toMatchObject({ volume: 0.2, muted: true });
  });

  it.each([
    ['not an object', 'hello'],
    ['an unknown command', { type: 'explode' }],
    ['a volume above 1', { type: 'set-volume', sessionIds: ['s-player'], volume: 1.5 }],
    ['a negative volume', { type: 'set-volume', sessionIds: ['s-player'], volume: -0.1 }],
    ['a NaN volume', { type: 'set-volume', sessionIds: ['s-player'], volume: Number.NaN }],
    ['a volume given as text', { type: 'set-volume', sessionIds: ['s-player'], volume: '0.5' }],
    ['no session ids', { type: 'set-volume', sessionIds: [], volume: 0.5 }],
    ['an extra field', { type: 'set-mute', sessionIds: ['s-player'], muted: true, force: true }],
  ])('refuses %s as a bad request and changes nothing', async (_what, command) => {
    const { backend, client } = await startHost();
    const result = await client.handle(command);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(backend.calls).toEqual([]);
  });

  it('refuses a command naming an unknown session before touching any session', async () => {
    const { backend, client } = await startHost();
    const result = await client.handle({ type: 'set-volume', sessionIds: ['s-player', 's-ghost'], volume: 0.1 });
    expect(result).toEqual({ ok: false, error: { code: 'unknown-session', message: 'session s-ghost is gone: it ended or its device went away' } });
    expect(backend.calls).toEqual([]);
    expect(backend.sessions[0]?.volume).toBe(1);
  });

  it('refuses commands on a disconnected session', async () => {
    const { backend, client } = await startHost(new FakeBackend({ sessions: [session({ disconnected: 'device-removed' })] }));
    const result = await client.handle({ type: 'set-mute', sessionIds: ['s-player'], muted: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(backend.calls).toEqual([]);
  });

  it('turns backend failures into errors and never throws', async () => {
    const { backend, client } = await startHost();
    backend.failWith = new BackendError('not-supported', 'Wine stubs this');
    expect(await client.handle({ type: 'set-mute', sessionIds: ['s-player'], muted: true })).toEqual({
      ok: false,
      error: { code: 'not-supported', message: 'Wine stubs this' },
    });
    backend.failWith = new TypeError('boom');
    expect(await client.handle({ type: 'set-mute', sessionIds: ['s-player'], muted: true })).toEqual({
      ok: false,
      error: { code: 'backend-error', message: 'boom' },
    });
  });

  it('hides what the backend cannot do', async () => {
    const backend = new FakeBackend({}, {
      peakMeters: false,
      channelVolumes: false,
      icons: false,
      deviceVolume: false,
      deviceMute: false,
      ducking: false,
    });
    const { client } = await startHost(backend);
    for (const command of [
      { type: 'set-meters', enabled: true },
      { type: 'set-channel-volume', sessionId: 's-player', channel: 0, volume: 0.5 },
      { type: 'set-device-volume', deviceId: 'dev-speakers', volume: 0.5 },
      { type: 'set-device-mute', deviceId: 'dev-speakers', muted: true },
    ]) {
      expect(await client.handle(command)).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    }
    expect(backend.calls).toEqual([]);
  });

  it('refuses a channel the session does not have', async () => {
    const { client } = await startHost();
    expect(await client.handle({ type: 'set-channel-volume', sessionId: 's-player', channel: 2, volume: 0.5 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: 'session s-player has 2 channels, not 3' },
    });
  });

  it('coalesces a burst of events into one patch per frame carrying the last value', async () => {
    const { backend, received } = await startHost();
    for (let i = 1; i <= 100; i += 1) {
      backend.emit({ type: 'volume-changed', sessionId: 's-player', volume: i / 100, muted: false, eventContext: 'other' });
    }
    await vi.advanceTimersByTimeAsync(16);
    const sent = patches(received);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.sessions.changed).toEqual([{ id: 's-player', changes: { volume: 1 } }]);
    const events = received.filter((m) => m.type === 'events');
    expect(events).toHaveLength(1);
    expect(events[0]?.type === 'events' && events[0].events).toHaveLength(100);
  });

  it("applies what a session's streams play (streams-changed) to the store and the next patch", async () => {
    const { host, backend, received } = await startHost();
    // As the pulse backend's diff derives it from two snapshots of the session.
    for (const event of deriveSessionEvents(session(), { ...session(), mediaTitles: ['So What'] }, 'external')) backend.emit(event);
    await vi.advanceTimersByTimeAsync(16);
    expect(host.session('s-player')?.mediaTitles).toEqual(['So What']);
    expect(patches(received)[0]?.sessions.changed).toEqual([{ id: 's-player', changes: { mediaTitles: ['So What'] } }]);
  });

  it("sends each icon once per client, and a client's resubscription starts its table afresh", async () => {
    const ICON = 'data:image/svg+xml,player';
    const { host, backend, client, received } = await startHost(new FakeBackend({ sessions: [session({ icon: ICON })] }));
    const other: ServerMessage[] = [];
    const late = host.connect((message) => other.push(message) > 0);
    backend.emit({ type: 'session-created', session: session({ id: 's-two', pid: 200, icon: ICON }) });
    await vi.advanceTimersByTimeAsync(16);
    await late.handle({ type: 'subscribe' });
    expect(received[0]).toMatchObject({ type: 'snapshot', icons: { 0: ICON }, sessions: [{ id: 's-player', iconKey: 0 }] });
    expect(patches(received)[0]?.icons).toBeUndefined();
    expect(patches(received)[0]?.sessions.added).toMatchObject([{ id: 's-two', iconKey: 0 }]);
    // The late client's snapshot has its own table, whole.
    expect(other[0]).toMatchObject({ type: 'snapshot', icons: { 0: ICON }, sessions: [{ iconKey: 0 }, { iconKey: 0 }] });
    await client.handle({ type: 'subscribe' });
    expect(received.at(-1)).toMatchObject({ type: 'snapshot', icons: { 0: ICON } });
  });

  it('sends no record for a session created and terminated within one frame, only that it was heard', async () => {
    const { backend, received } = await startHost();
    backend.emit({ type: 'session-created', session: session({ id: 's-blip' }) });
    backend.emit({ type: 'state-changed', sessionId: 's-blip', state: 'expired', terminated: true });
    await vi.advanceTimersByTimeAsync(16);
    const [patch, ...more] = patches(received);
    expect(more).toEqual([]);
    expect(patch?.sessions).toEqual({ added: [], changed: [], removed: [] });
    expect(patch?.notes).toBeUndefined();
    expect(patch?.recentlyHeard?.map((entry) => entry.sessionId)).toEqual(['s-blip']);
  });

  it('removes a terminated session and keeps an expired one', async () => {
    const { host, backend, received } = await startHost(
      new FakeBackend({ sessions: [session(), session({ id: 's-game', pid: 200 })] }),
    );
    backend.emit({ type: 'state-changed', sessionId: 's-player', state: 'expired', terminated: false });
    backend.emit({ type: 'state-changed', sessionId: 's-game', state: 'expired', terminated: true });
    await vi.advanceTimersByTimeAsync(16);
    expect(host.session('s-player')?.state).toBe('expired');
    expect(host.session('s-game')).toBeUndefined();
    expect(patches(received)[0]?.sessions).toEqual({
      added: [],
      changed: [{ id: 's-player', changes: { state: 'expired' } }],
      removed: ['s-game'],
    });
  });

  it('moves the default role between devices', async () => {
    const { host, backend } = await startHost(
      new FakeBackend({ devices: [device(), device({ id: 'dev-usb', defaultFor: [] })], sessions: [] }),
    );
    backend.emit({ type: 'default-device-changed', flow: 'render', role: 'multimedia', deviceId: 'dev-usb' });
    const roles = Object.fromEntries(host.devices().map((d) => [d.id, d.defaultFor]));
    expect(roles).toEqual({ 'dev-speakers': ['console', 'communications'], 'dev-usb': ['multimedia'] });
  });

  it('lists a new device\'s sessions as soon as it is added, so their notifications start (R22)', async () => {
    const { host, backend } = await startHost();
    backend.devices.push(device({ id: 'dev-usb', defaultFor: [] }));
    backend.sessions.push(session({ id: 's-usb', deviceId: 'dev-usb' }));
    const logged: string[] = [];
    host.onEvent((event) => logged.push(`${event.type}:${event.source}`));
    backend.emit({ type: 'device-added', device: device({ id: 'dev-usb', defaultFor: [] }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(host.session('s-usb')?.deviceId).toBe('dev-usb');
    expect(logged).toEqual(['device-added:event', 'session-created:poll']);
  });

  it('reconciles by poll: finds missed sessions, drops vanished ones, corrects drift', async () => {
    const backend = new FakeBackend({ sessions: [session(), session({ id: 's-game', pid: 200 })] }, undefined, 1000);
    const { host } = await startHost(backend);
    const logged: string[] = [];
    host.onEvent((event) => logged.push(`${event.type}:${event.source}`));
    backend.sessions = [session({ volume: 0.4 }), session({ id: 's-chat', pid: 300 })];
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.sessions().map((s) => s.id).sort()).toEqual(['s-chat', 's-player']);
    expect(host.session('s-player')?.volume).toBe(0.4);
    expect(logged).toEqual(['session-created:poll', 'state-changed:poll']);
    await host.close();
  });

  it('reads peaks only while a client shows meters', async () => {
    const { host, client, received } = await startHost();
    const peakSpy = vi.spyOn(host.backend, 'getPeaks');
    await vi.advanceTimersByTimeAsync(200);
    expect(peakSpy).not.toHaveBeenCalled();
    await client.handle({ type: 'set-meters', enabled: true });
    await vi.advanceTimersByTimeAsync(120);
    expect(received.filter((m) => m.type === 'peaks').at(-1)).toEqual({ type: 'peaks', peaks: { 's-player': 50 }, full: true });
    await client.handle({ type: 'set-meters', enabled: false });
    const calls = peakSpy.mock.calls.length;
    await vi.advanceTimersByTimeAsync(500);
    expect(peakSpy.mock.calls.length).toBe(calls);
  });

  it('sends a subscription to the state alone no peaks, and one to the peaks alone nothing else (full first)', async () => {
    const { host, client: statePage, received: stateMessages } = await startHost();
    await statePage.handle({ type: 'subscribe', messages: 'state' });
    const peakMessages: ServerMessage[] = [];
    const meterWorker = host.connect((message) => {
      peakMessages.push(message);
      return true;
    });
    expect(await meterWorker.handle({ type: 'subscribe', messages: 'peaks' })).toEqual({ ok: true });
    await statePage.handle({ type: 'set-meters', enabled: true });
    await meterWorker.handle({ type: 'set-meters', enabled: true });
    await vi.advanceTimersByTimeAsync(120);
    expect(stateMessages.map((m) => m.type)).not.toContain('peaks');
    expect(stateMessages.map((m) => m.type)).toContain('snapshot');
    expect(peakMessages).toEqual([{ type: 'peaks', peaks: { 's-player': 50 }, full: true }]);
    await host.close();
  });

  it('refuses a subscription to messages it does not know, with the field named', async () => {
    const { host, client } = await startHost();
    const result = await client.handle({ type: 'subscribe', messages: 'everything' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('at messages') } });
    await host.close();
  });

  it('sends peaks as steps, only when they change, and a session that stops playing once as 0', async () => {
    const { host, backend, client, received } = await startHost(
      new FakeBackend({ sessions: [session(), session({ id: 's-game', pid: 200 })] }),
    );
    const levels: Record<string, number> = { 's-player': 0.504, 's-game': 0 };
    vi.spyOn(host.backend, 'getPeaks').mockImplementation(async (ids) => Object.fromEntries(ids.map((id) => [id, levels[id] ?? 0])));
    const peaks = () => received.filter((m) => m.type === 'peaks').map((m) => m.type === 'peaks' && m.peaks);
    await client.handle({ type: 'set-meters', enabled: true });
    await vi.advanceTimersByTimeAsync(500);
    // Silence is never sent; a level that holds is sent once.
    expect(peaks()).toEqual([{ 's-player': 50 }]);
    levels['s-player'] = 0.498;
    await vi.advanceTimersByTimeAsync(200);
    expect(peaks()).toHaveLength(1);
    levels['s-game'] = 0.3;
    await vi.advanceTimersByTimeAsync(50);
    expect(peaks().at(-1)).toEqual({ 's-game': 30 });
    backend.emit({ type: 'state-changed', sessionId: 's-player', state: 'inactive', terminated: false });
    await vi.advanceTimersByTimeAsync(50);
    expect(peaks().at(-1)).toEqual({ 's-player': 0 });
    await client.handle({ type: 'set-meters', enabled: false });
    expect(peaks().at(-1)).toEqual({ 's-game': 0 });
  });

  it('sends full levels again after the transport dropped a peaks message', async () => {
    const { host } = await startHost();
    const levels: Record<string, number> = { 's-player': 0.5 };
    vi.spyOn(host.backend, 'getPeaks').mockImplementation(async (ids) => Object.fromEntries(ids.map((id) => [id, levels[id] ?? 0])));
    const delivered: ServerMessage[] = [];
    let congested = false;
    const client = host.connect((message) => {
      if (congested && message.type === 'peaks') return false;
      delivered.push(message);
      return true;
    });
    await client.handle({ type: 'subscribe' });
    await client.handle({ type: 'set-meters', enabled: true });
    await vi.advanceTimersByTimeAsync(60);
    congested = true;
    levels['s-player'] = 0;
    await vi.advanceTimersByTimeAsync(50);
    congested = false;
    await vi.advanceTimersByTimeAsync(50);
    // The 0 was lost: what follows says that every session not listed is silent.
    expect(delivered.filter((m) => m.type === 'peaks')).toEqual([
      { type: 'peaks', peaks: { 's-player': 50 }, full: true },
      { type: 'peaks', peaks: {}, full: true },
    ]);
  });

  it('sends a lone change at once and coalesces only what follows within the frame', async () => {
    const { backend, received } = await startHost();
    const change = (volume: number) =>
      backend.emit({ type: 'volume-changed', sessionId: 's-player', volume, muted: false, eventContext: 'other' });
    change(0.1);
    await vi.advanceTimersByTimeAsync(0);
    expect(patches(received).map((patch) => patch.sessions.changed)).toEqual([[{ id: 's-player', changes: { volume: 0.1 } }]]);
    change(0.2);
    change(0.3);
    await vi.advanceTimersByTimeAsync(1);
    expect(patches(received)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(16);
    expect(patches(received).map((patch) => patch.sessions.changed)).toEqual([
      [{ id: 's-player', changes: { volume: 0.1 } }],
      [{ id: 's-player', changes: { volume: 0.3 } }],
    ]);
  });

  it('closes the backend once', async () => {
    const { host, backend } = await startHost();
    await host.close();
    await host.close();
    expect(backend.closed).toBe(true);
  });
});
