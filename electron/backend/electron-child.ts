// The backend process in the desktop app: Electron's utilityProcess, a Node process of its
// own (not ELECTRON_RUN_AS_NODE, so the RunAsNode fuse stays off).
import { utilityProcess } from 'electron';
import type { BackendProcessConfig } from './protocol';
import { encodeConfig } from './protocol';
import type { BackendChild } from './supervisor';

export function forkBackendProcess(modulePath: string, config: BackendProcessConfig): BackendChild {
  const child = utilityProcess.fork(modulePath, encodeConfig(config), { serviceName: 'SndMix audio backend', stdio: 'inherit' });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener(`code ${code}`)),
    kill: () => {
      child.kill();
    },
  };
}
