// Electron IPC transport: one engine-host client per window, requests accepted only
// from that window's own top frame at our own renderer origin.
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain } from 'electron';
import type { CommandResult, ServerMessage } from '../core/contract';
import { IPC_CHANNELS } from '../core/contract';
import type { EngineHost, HostClient } from '../core/engine-host';

export function isTrustedSender(event: IpcMainInvokeEvent, contents: WebContents, rendererOrigin: string): boolean {
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

interface Attached {
  contents: WebContents;
  rendererOrigin: string;
  client: HostClient;
}

// One handler serves every window (a channel takes one): each request goes to its sender's own client.
const attached = new Map<WebContents, Attached>();

async function handleRequest(event: IpcMainInvokeEvent, command: unknown): Promise<CommandResult> {
  const window = attached.get(event.sender);
  if (!window || !isTrustedSender(event, window.contents, window.rendererOrigin)) {
    return { ok: false, error: { code: 'bad-request', message: 'request from an untrusted frame' } };
  }
  return window.client.handle(command);
}

export function attachIpcTransport(host: Pick<EngineHost, 'connect'>, contents: WebContents, rendererOrigin: string): () => void {
  const client = host.connect((message: ServerMessage) => {
    if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.message, message);
  });
  if (attached.size === 0) ipcMain.handle(IPC_CHANNELS.request, handleRequest);
  attached.set(contents, { contents, rendererOrigin, client });
  return () => {
    if (attached.get(contents)?.client !== client) return;
    attached.delete(contents);
    if (attached.size === 0) ipcMain.removeHandler(IPC_CHANNELS.request);
    client.close();
  };
}
