import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { ServerMessage } from '../core/contract';
import { EngineHost } from '../core/engine-host';
import { FakeBackend } from '../core/testing/fake-backend';
import { invalidCommand } from '../core/testing/invalid-input';
import { openBackend } from '../native-bridge/open-backend';
import type { IpcWindow } from './ipc-transport';
import { IPC_HIGH_WATER_MESSAGES, createIpcClient, isTrustedSender, originOf } from './ipc-transport';

// The real 'electron' module is a binary path outside Electron: stand in for ipcMain.
vi.mock('electron', () => ({ ipcMain: { handle: vi.fn(), removeHandler: vi.fn(), on: vi.fn(), off: vi.fn() } }));

function fakeContents(url: string) {
  const mainFrame = { url };
  return { mainFrame } as unknown as WebContents;
}

function eventFrom(sender: WebContents, frame: unknown) {
  return { sender, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

describe('IPC sender check', () => {
  it('trusts only the main frame of our own window at our renderer origin', () => {
    const contents = fakeContents('http://localhost:5173/');
    expect(isTrustedSender(eventFrom(contents, contents.mainFrame), contents, 'http://localhost:5173')).toBe(true);
  });

  it('refuses another window, a subframe, a foreign origin and a destroyed frame', () => {
    const contents = fakeContents('http://localhost:5173/');
    const other = fakeContents('http://localhost:5173/');
    expect(isTrustedSender(eventFrom(other, other.mainFrame), contents, 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender(eventFrom(contents, { url: 'http://localhost:5173/' }), contents, 'http://localhost:5173')).toBe(false);
    const navigated = fakeContents('https://evil.example/');
    expect(isTrustedSender(eventFrom(navigated, navigated.mainFrame), navigated, 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender(eventFrom(contents, null), contents, 'http://localhost:5173')).toBe(false);
  });

  it('compares file pages by scheme, and never trusts an unparsable URL', () => {
    expect(originOf('file:///opt/sndmix/resources/app.asar/.vite/renderer/main_window/index.html')).toBe('file://');
    expect(originOf('http://localhost:5173/index.html')).toBe('http://localhost:5173');
    expect(originOf('not a url')).toBe('invalid');
  });
});

describe('IPC transport with several windows', () => {
  it('compares app:// pages by scheme and host, and an opaque data: page never matches them', () => {
    expect(originOf('app://bundle/index.html?view=compact')).toBe('app://bundle');
    expect(originOf('data:text/html,hi')).toBe('null');
  });

  it('serves the mixer and the flyout through one handler, each request to its own window client', async () => {
    const { ipcMain } = await import('electron');
    const { attachIpcTransport } = await import('./ipc-transport');
    const handled: string[] = [];
    const host = {
      connect: (send: unknown) => ({
        handle: async () => {
          handled.push(String(send));
          return { ok: true as const };
        },
        close: vi.fn(),
      }),
    };
    const mixer = { ...fakeContents('app://bundle/index.html'), isDestroyed: () => false, send: vi.fn() } as unknown as WebContents;
    const flyout = { ...fakeContents('app://bundle/index.html?view=compact'), isDestroyed: () => false, send: vi.fn() } as unknown as WebContents;
    const detachMixer = attachIpcTransport({ connect: () => host.connect('mixer') }, mixer, 'app://bundle');
    const detachFlyout = attachIpcTransport({ connect: () => host.connect('flyout') }, flyout, 'app://bundle');
    expect(ipcMain.handle).toHaveBeenCalledTimes(1);
    const handler = vi.mocked(ipcMain.handle).mock.calls[0]?.[1];
    if (!handler) throw new Error('no handler registered');
    await handler(eventFrom(flyout, flyout.mainFrame), { type: 'subscribe' });
    await handler(eventFrom(mixer, mixer.mainFrame), { type: 'subscribe' });
    expect(handled).toEqual(['flyout', 'mixer']);
    detachMixer();
    expect(ipcMain.removeHandler).not.toHaveBeenCalled();
    expect(await handler(eventFrom(mixer, mixer.mainFrame), { type: 'subscribe' })).toMatchObject({ ok: false });
    detachFlyout();
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(1);
  });
});

describe('IPC client flow control', () => {
  /** A window that records what it was sent and acknowledges only when told. */
  function fakeWindow() {
    const sent: ServerMessage[] = [];
    return { sent, window: { isDestroyed: () => false, send: (_channel: string, message: ServerMessage) => void sent.push(message) } as unknown as IpcWindow };
  }

  it('sends a window that stops acknowledging no more than the high mark, then one fresh snapshot once it catches up', async () => {
    vi.useFakeTimers();
    try {
      const host = await EngineHost.start(new FakeBackend(), { flushIntervalMs: 1 });
      const { sent, window } = fakeWindow();
      const client = createIpcClient(host, window);
      // A renderer stuck in a subscribe loop, never taking a message.
      for (let index = 0; index < 10_000; index += 1) await client.request({ type: 'subscribe' }, true);
      expect(sent.length).toBeLessThanOrEqual(IPC_HIGH_WATER_MESSAGES + 1);
      const held = sent.length;
      for (let index = 0; index < held; index += 1) client.acknowledge();
      await vi.advanceTimersByTimeAsync(100);
      expect(sent.slice(held).map((message) => message.type)).toEqual(['snapshot']);
      client.close();
      await host.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends the window its peaks on its meter port once it has one, never on its IPC, and closes a replaced port', async () => {
    vi.useFakeTimers();
    try {
      const host = await EngineHost.start(new FakeBackend(), { flushIntervalMs: 1, meterIntervalMs: 50 });
      const { sent, window } = fakeWindow();
      const client = createIpcClient(host, window);
      const port = () => {
        const posted: ServerMessage[] = [];
        return { posted, closed: false, postMessage(message: ServerMessage) { posted.push(message); }, close() { this.closed = true; } };
      };
      const first = port();
      client.usePeaksPort(first);
      await client.request({ type: 'subscribe' }, true);
      await client.request({ type: 'set-meters', enabled: true }, true);
      await vi.advanceTimersByTimeAsync(120);
      expect(first.posted.map((message) => message.type)).toEqual(['peaks']);
      expect(sent.map((message) => message.type)).toEqual(['snapshot']);
      const second = port();
      client.usePeaksPort(second);
      expect(first.closed).toBe(true);
      client.close();
      expect(second.closed).toBe(true);
      await host.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses an untrusted sender without running its command', async () => {
    const backend = new FakeBackend();
    const host = await EngineHost.start(backend);
    const client = createIpcClient(host, fakeWindow().window);
    const result = await client.request({ type: 'set-volume', sessionIds: ['s-player'], volume: 0.1 }, false);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(backend.calls).toEqual([]);
    client.close();
    await host.close();
  });
});

describe('IPC under 10,000 generated invalid requests', () => {
  it('refuses each, never throws, changes nothing and stays bounded in memory', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-ipc-fuzz-'));
    const { backend } = await openBackend({ name: 'sim', stateDir, live: false });
    const host = await EngineHost.start(backend);
    const client = createIpcClient(host, { isDestroyed: () => false, send: () => undefined } as unknown as IpcWindow);
    const known = { sessionIds: host.sessions().map((s) => s.id), deviceIds: host.devices().map((d) => d.id) };
    const commands = fc.sample(invalidCommand(known), { numRuns: 10_000, seed: 11 });
    const state = () => JSON.stringify({ sessions: host.sessions(), devices: host.devices() });
    const before = state();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let refused = 0;
    for (const [index, command] of commands.entries()) {
      const result = await client.request(command, index % 10 !== 0);
      if (!result.ok) refused += 1;
      if (index % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const growthMb = (peak - rssBefore) / 2 ** 20;
    console.log(`IPC fuzz: ${commands.length} requests (seed 11), ${refused} refused; RSS +${growthMb.toFixed(1)} MB`);
    expect(refused).toBe(commands.length);
    expect(state()).toBe(before);
    expect(growthMb).toBeLessThan(100);
    client.close();
    await host.close();
    rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);
});
