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
