import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { isTrustedSender, originOf } from './ipc-transport';

// The real 'electron' module is a binary path outside Electron: stand in for ipcMain.
vi.mock('electron', () => ({ ipcMain: { handle: vi.fn(), removeHandler: vi.fn() } }));

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
