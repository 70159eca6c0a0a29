// The renderer's only doors to the main process: the typed MixerApi, the desktop API
// (settings, the backend process's state, flyout actions), and the window's meter port
// (its peaks, for the meter worker: renderer/meters/meter-host.ts); nothing else.
import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import type { Command, CommandResult, MixerApi, ServerMessage } from '../core/contract';
import { IPC_CHANNELS } from '../core/contract';
import type { DesktopApi, DesktopPage, DesktopState } from '../core/desktop-api';
import { DESKTOP_IPC_CHANNELS } from '../core/desktop-api';

const api: MixerApi = {
  request: (command: Command) => ipcRenderer.invoke(IPC_CHANNELS.request, command) as Promise<CommandResult>,
  onMessage: (listener: (message: ServerMessage) => void) => {
    const forward = (_event: IpcRendererEvent, message: ServerMessage) => listener(message);
    ipcRenderer.on(IPC_CHANNELS.message, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.message, forward);
    };
  },
};

// Each message taken is acknowledged: the main process sends no more than a window keeps up with.
ipcRenderer.on(IPC_CHANNELS.message, () => ipcRenderer.send(IPC_CHANNELS.ack));

contextBridge.exposeInMainWorld('sndmix', api);

// A port cannot cross the context bridge: it goes to the page by window.postMessage, once the
// page has loaded (its listener is set by then), as Electron's guide to MessagePorts does it.
// (The main process's typings have no DOM: the page's window, as far as it is used here.)
const page = globalThis as unknown as {
  addEventListener(type: 'load', listener: () => void, options: { once: true }): void;
  postMessage(message: string, targetOrigin: string, transfer: readonly unknown[]): void;
};
const loaded = new Promise<void>((resolve) => page.addEventListener('load', () => resolve(), { once: true }));
ipcRenderer.on(IPC_CHANNELS.meterPort, (event) => {
  void loaded.then(() => page.postMessage(IPC_CHANNELS.meterPort, '*', event.ports));
});
ipcRenderer.send(IPC_CHANNELS.meterPort);

function listen<A extends unknown[]>(channel: string, listener: (...args: A) => void): () => void {
  const forward = (_event: IpcRendererEvent, ...args: unknown[]) => listener(...(args as A));
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const desktop: DesktopApi = {
  getState: () => ipcRenderer.invoke(DESKTOP_IPC_CHANNELS.getState) as Promise<DesktopState>,
  updateSettings: (patch) => ipcRenderer.invoke(DESKTOP_IPC_CHANNELS.updateSettings, patch) as ReturnType<DesktopApi['updateSettings']>,
  onState: (listener: (state: DesktopState) => void) => listen(DESKTOP_IPC_CHANNELS.state, listener),
  onShowPage: (listener: (page: DesktopPage, deviceId: string | null) => void) => listen(DESKTOP_IPC_CHANNELS.showPage, listener),
  act: (action) => ipcRenderer.send(DESKTOP_IPC_CHANNELS.act, action),
};

contextBridge.exposeInMainWorld('sndmixDesktop', desktop);
