// The renderer's only door to the main process: the typed MixerApi, nothing else.
import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import type { Command, CommandResult, MixerApi, ServerMessage } from '../core/contract';
import { IPC_CHANNELS } from '../core/contract';

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
