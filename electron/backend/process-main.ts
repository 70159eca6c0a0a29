// Entry of the backend's own process: Electron's utilityProcess in the desktop app (a
// plain Node process, so Core Audio gets a multithreaded apartment and a native crash
// never takes the window with it), or any Node child started with an IPC channel.
import { decodeConfig } from './protocol';
import type { ParentPort } from './serve';
import { serveBackend } from './serve';

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function parentPort(): ParentPort {
  const electronPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return { post: (message) => electronPort.postMessage(message), onMessage: (listener) => electronPort.on('message', (event) => listener(event.data)) };
  }
  const send = process.send?.bind(process);
  if (send) {
    // The parent went: nobody is left to serve.
    process.on('disconnect', () => process.exit(0));
    return { post: (message) => send(message), onMessage: (listener) => process.on('message', listener) };
  }
  throw new Error('the backend process has no parent port: start it with utilityProcess.fork or child_process.fork');
}

void serveBackend(parentPort(), decodeConfig(process.argv), (code) => process.exit(code));
