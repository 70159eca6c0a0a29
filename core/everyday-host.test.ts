// The engine host's everyday-mixer commands and state (core/host-state.ts,
// core/mixer-commands.ts) on the in-memory backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from './contract';
import { EngineHost } from './engine-host';
import { ALL_CAPABILITIES, FakeBackend, device, session } from './testing/fake-backend';

const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';
const CAPABILITIES = { ...ALL_CAPABILITIES, outputDevice: true, devicePeakMeters: true, foreignEventContexts: true };

describe('engine host: the everyday mixer', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function stateDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sndmix-host-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async function start(options: { stateDir?: string; backend?: FakeBackend } = {}) {
    const backend =
      options.backend ??
      new FakeBackend(
        { devices: [device(), device({ id: 'dev-headset', name: 'Headset', defaultFor: [] })], sessions: [session(), session({ id: 's-chat', processName: 'chat.exe', displayName: 'Chat' })] },
        CAPABILITIES,
      );
    const errors: string[] = [];
    const host = await EngineHost.start(backend, { flushIntervalMs: 1, meterIntervalMs: 5, stateDir: options.stateDir ?? null, onError: (message) => errors.push(message) });
    cleanups.push(() => host.close());
    const received: ServerMessage[] = [];
    const client = host.connect((message) => { received.push(message); return true; }, 'web');
    await client.handle({ type: 'subscribe' });
    return { host, backend, client, received, errors };
  }

  it('puts notes, preferences, profiles and recently heard in the snapshot', async () => {
    const { received } = await start();
    expect(received[0]).toMatchObject({
      type: 'snapshot',
      notes: { 's-player': { appKey: 'render|exe:player.exe', lastChange: null, changesItself: false } },
      preferences: { apps: {}, devices: {} },
      profiles: { profiles: [], problems: [] },
      recentlyHeard: [],
    });
  });

  it('tells a web client\'s change, the app\'s own and another program\'s apart, and undoes the outside one', async () => {
    const { host, backend, client } = await start();
    await client.handle({ type: 'set-volume', sessionIds: ['s-player'], volume: 0.6 });
    expect(host.hostState().notes['s-player']?.lastChange?.origin).toBe('web');
    expect(await client.handle({ type: 'undo-outside-change', sessionId: 's-player' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    backend.emit({ type: 'volume-changed', sessionId: 's-player', volume: 0.1, muted: true, eventContext: '{8f2e0d4a-1111-2222-3333-444455556666}' });
    expect(host.hostState().notes['s-player']?.lastChange).toMatchObject({ origin: 'other-program', previous: { volume: 0.6, muted: false } });
    expect(await client.handle({ type: 'undo-outside-change', sessionId: 's-player' })).toEqual({ ok: true });
    expect(host.session('s-player')).toMatchObject({ volume: 0.6, muted: false });
    backend.emit({ type: 'volume-changed', sessionId: 's-chat', volume: 0.3, muted: false, eventContext: GUID_NULL });
    expect(host.hostState().notes['s-chat']?.lastChange?.origin).toBe('app');
  });

  it('sets a balance as channel volumes through the one mapping, and refuses it where there are no channel volumes', async () => {
    const { host, backend, client } = await start();
    expect(await client.handle({ type: 'set-balance', sessionIds: ['s-player'], balance: -0.5 })).toEqual({ ok: true });
    expect(backend.calls).toEqual(['channel s-player 1 0.5']);
    expect(host.session('s-player')?.channelVolumes).toEqual([1, 0.5]);
    const plain = await start({ backend: new FakeBackend({}, { ...ALL_CAPABILITIES, channelVolumes: false }) });
    expect(await plain.client.handle({ type: 'set-balance', sessionIds: ['s-player'], balance: 0.2 })).toMatchObject({ ok: false, error: { code: 'not-supported' } });
  });

  it('sends an app to another device, checking the device first', async () => {
    const { backend, client } = await start();
    expect(await client.handle({ type: 'set-output-device', sessionIds: ['s-player'], deviceId: 'dev-nowhere' })).toMatchObject({ ok: false, error: { code: 'unknown-device' } });
    expect(backend.calls).toEqual([]);
    expect(await client.handle({ type: 'set-output-device', sessionIds: ['s-player'], deviceId: 'dev-headset' })).toEqual({ ok: true });
    expect(await client.handle({ type: 'set-output-device', sessionIds: ['s-player'], deviceId: null })).toEqual({ ok: true });
    expect(backend.calls).toEqual(['output s-player dev-headset', 'output s-player default']);
    const plain = await start({ backend: new FakeBackend({}, ALL_CAPABILITIES) });
    expect(await plain.client.handle({ type: 'set-output-device', sessionIds: ['s-player'], deviceId: null })).toMatchObject({ ok: false, error: { code: 'not-supported' } });
  });

  it('keeps hide and rename per app across restarts and sends them in a patch', async () => {
    const dir = stateDir();
    const first = await start({ stateDir: dir });
    expect(await first.client.handle({ type: 'set-app-preference', appKey: 'render|exe:player.exe', hidden: true, name: 'Music' })).toEqual({ ok: true });
    expect(await first.client.handle({ type: 'set-device-preference', deviceId: 'dev-headset', name: 'Cans' })).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(first.received.some((message) => message.type === 'patch' && message.preferences?.apps['render|exe:player.exe']?.name === 'Music')).toBe(true);
    await first.host.close();
    const second = await start({ stateDir: dir });
    expect(second.host.hostState().preferences).toEqual({
      apps: { 'render|exe:player.exe': { hidden: true, name: 'Music', reapplyProfile: null } },
      devices: { 'dev-headset': { hidden: false, name: 'Cans' } },
    });
    expect(await second.client.handle({ type: 'set-app-preference', appKey: 'x', name: 'two\nlines' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('saves a profile of every app and applies it, volume, mute and device', async () => {
    const { host, backend, client } = await start({ stateDir: stateDir() });
    await client.handle({ type: 'set-volume', sessionIds: ['s-player'], volume: 0.3 });
    await client.handle({ type: 'set-mute', sessionIds: ['s-chat'], muted: true });
    expect(await client.handle({ type: 'save-profile', name: 'Evening' })).toEqual({ ok: true });
    expect(host.hostState().profiles.profiles[0]?.apps).toEqual({
      'render|exe:player.exe': { volume: 0.3, muted: false, outputDeviceId: 'dev-speakers' },
      'render|exe:chat.exe': { volume: 1, muted: true, outputDeviceId: 'dev-speakers' },
    });
    await client.handle({ type: 'set-volume', sessionIds: ['s-player'], volume: 0.9 });
    await client.handle({ type: 'set-mute', sessionIds: ['s-chat'], muted: false });
    backend.calls.length = 0;
    expect(await client.handle({ type: 'apply-profile', name: 'Evening' })).toEqual({ ok: true });
    expect(backend.calls.map((call) => call.split(' ').slice(0, 3).join(' '))).toEqual(['volume s-player 0.3', 'mute s-chat true']);
    expect(await client.handle({ type: 'apply-profile', name: 'Nope' })).toMatchObject({ ok: false, error: { code: 'unknown-profile' } });
    expect(await client.handle({ type: 'delete-profile', name: 'Evening' })).toEqual({ ok: true });
    expect(host.hostState().profiles.profiles).toEqual([]);
  });

  it('re-applies an app\'s profile entry when one of its sessions appears, by rule', async () => {
    const { host, backend, client } = await start({ stateDir: stateDir() });
    await client.handle({ type: 'set-volume', sessionIds: ['s-player'], volume: 0.25 });
    await client.handle({ type: 'save-profile', name: 'Quiet' });
    await client.handle({ type: 'set-app-preference', appKey: 'render|exe:player.exe', reapplyProfile: 'Quiet' });
    backend.calls.length = 0;
    const second = session({ id: 's-player-2', pid: 101, volume: 1 });
    backend.sessions.push(second);
    backend.emit({ type: 'session-created', session: structuredClone(second) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(backend.calls.map((call) => call.split(' ').slice(0, 3).join(' '))).toEqual(['volume s-player-2 0.25']);
    expect(host.hostState().notes['s-player-2']?.lastChange?.origin).toBe('mixer');
    expect(host.hostState().recentlyHeard.map((entry) => entry.sessionId)).toEqual(['s-player-2']);
  });

  it('sends device peaks beside session peaks while a client shows meters', async () => {
    const { client, received } = await start();
    await client.handle({ type: 'set-meters', enabled: true });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const peaks = received.find((message) => message.type === 'peaks');
    expect(peaks).toMatchObject({ type: 'peaks', devicePeaks: { 'dev-speakers': 25, 'dev-headset': 25 }, full: true });
  });
});
