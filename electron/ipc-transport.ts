// Electron IPC transport: one engine-host client per window, requests accepted only
// from that window's own top frame at our own renderer origin. What is sent to a window
// is bounded (core/client-outbox.ts): the preload acknowledges each message, and a window
// too busy to take them (hung, or paused in a debugger) misses state until it catches up,
// then gets one fresh snapshot. The window's peaks go through a port of their own (a
// MessageChannelMain whose other end the preload asked for and handed to the page, which
// hands it to its meter worker): never through the window's IPC once the port is there, so
// the page's main thread sees none of them. They are dropped, as before, while the window
// is behind on its IPC (a hung window).
import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain, MessageChannelMain } from 'electron';
import { ClientOutbox } from '../core/client-outbox';
import type { CommandResult, ServerMessage } from '../core/contract';
import { IPC_CHANNELS } from '../core/contract';
import type { EngineHost } from '../core/engine-host';

/** Unacknowledged messages per window: past the high mark state is coalesced; under the low mark a stale window is resynced. */
export const IPC_HIGH_WATER_MESSAGES = 256;
const IPC_LOW_WATER_MESSAGES = 32;

export function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent, contents: WebContents, rendererOrigin: string): boolean {
  const frame = event.senderFrame;
  if (event.sender !== contents || !frame || frame !== contents.mainFrame) return false;
  return originOf(frame.url) === rendererOrigin;
}

/**
 * `file://` pages have an opaque origin; compare their scheme instead. Our own app://
 * scheme is not one WHATWG URL knows, so its origin is "null" too: compare scheme and host.
 */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return 'file://';
    if (parsed.origin === 'null' && parsed.host !== '') return `${parsed.protocol}//${parsed.host}`;
    return parsed.origin;
  } catch {
    return 'invalid';
  }
}

/** The part of a window's WebContents the transport sends through. */
export type IpcWindow = Pick<WebContents, 'isDestroyed' | 'send'>;

/** The main process's end of a window's meter port (a MessagePortMain). */
export interface PeaksPort {
  postMessage(message: ServerMessage): void;
  close(): void;
}

export interface IpcClient {
  /** A request from the window; `trusted` is the sender check (isTrustedSender). */
  request(command: unknown, trusted: boolean): Promise<CommandResult>;
  /** The window took one message. */
  acknowledge(): void;
  /** The window's peaks go here from now on (a reloaded page asks again: the old port is closed). */
  usePeaksPort(port: PeaksPort): void;
  close(): void;
}

/** One window's client of the engine host, without Electron's ipcMain (tests drive it directly). */
export function createIpcClient(host: Pick<EngineHost, 'connect'>, window: IpcWindow): IpcClient {
  let unacknowledged = 0;
  let peaksPort: PeaksPort | null = null;
  const outbox = new ClientOutbox<ServerMessage>({
    backlog: () => unacknowledged,
    write: (message) => {
      if (window.isDestroyed()) return;
      if (message.type === 'peaks' && peaksPort) {
        peaksPort.postMessage(message);
        return;
      }
      unacknowledged += 1;
      window.send(IPC_CHANNELS.message, message);
    },
    resync: () => void client.handle({ type: 'subscribe' }),
    // A window is not disconnected for being slow: it stays stale (nothing queued for it) until it catches up.
    closeBehind: () => undefined,
    highWater: IPC_HIGH_WATER_MESSAGES,
    lowWater: IPC_LOW_WATER_MESSAGES,
    behindLimitMs: Number.POSITIVE_INFINITY,
  });
  const client = host.connect((message) => outbox.send(message));
  return {
    request: async (command, trusted) => {
      if (!trusted) return { ok: false, error: { code: 'bad-request', message: 'request from an untrusted frame' } };
      return client.handle(command);
    },
    acknowledge: () => {
      unacknowledged = Math.max(0, unacknowledged - 1);
    },
    usePeaksPort: (port) => {
      peaksPort?.close();
      peaksPort = port;
    },
    close: () => {
      outbox.close();
      client.close();
      peaksPort?.close();
      peaksPort = null;
    },
  };
}

interface Attached {
  contents: WebContents;
  rendererOrigin: string;
  client: IpcClient;
}

// One handler serves every window (the mixer and the tray flyout; a channel takes one handler):
// each request and acknowledgement goes to its sender's own client.
const attached = new Map<WebContents, Attached>();

function handleRequest(event: IpcMainInvokeEvent, command: unknown): Promise<CommandResult> {
  const window = attached.get(event.sender);
  if (!window) return Promise.resolve({ ok: false, error: { code: 'bad-request', message: 'request from an untrusted frame' } });
  return window.client.request(command, isTrustedSender(event, window.contents, window.rendererOrigin));
}

function handleAck(event: IpcMainEvent): void {
  const window = attached.get(event.sender);
  if (window && isTrustedSender(event, window.contents, window.rendererOrigin)) window.client.acknowledge();
}

/** The preload asks for the window's meter port: one end stays here for its peaks, the other goes to the window. */
function handleMeterPort(event: IpcMainEvent): void {
  const window = attached.get(event.sender);
  if (!window || !isTrustedSender(event, window.contents, window.rendererOrigin)) return;
  const { port1, port2 } = new MessageChannelMain();
  window.client.usePeaksPort(port1);
  window.contents.postMessage(IPC_CHANNELS.meterPort, null, [port2]);
}

export function attachIpcTransport(host: Pick<EngineHost, 'connect'>, contents: WebContents, rendererOrigin: string): () => void {
  const client = createIpcClient(host, contents);
  if (attached.size === 0) {
    ipcMain.handle(IPC_CHANNELS.request, handleRequest);
    ipcMain.on(IPC_CHANNELS.ack, handleAck);
    ipcMain.on(IPC_CHANNELS.meterPort, handleMeterPort);
  }
  attached.set(contents, { contents, rendererOrigin, client });
  return () => {
    if (attached.get(contents)?.client !== client) return;
    attached.delete(contents);
    if (attached.size === 0) {
      ipcMain.removeHandler(IPC_CHANNELS.request);
      ipcMain.off(IPC_CHANNELS.ack, handleAck);
      ipcMain.off(IPC_CHANNELS.meterPort, handleMeterPort);
    }
    client.close();
  };
}
