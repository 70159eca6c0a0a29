// Electron IPC transport: one engine-host client per window, requests accepted only
// from that window's own top frame at our own renderer origin.
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain } from 'electron';
import type { CommandResult, ServerMessage } from '../core/contract';
import { IPC_CHANNELS } from '../core/contract';
import type { EngineHost } from '../core/engine-host';

export function isTrustedSender(event: IpcMainInvokeEvent, contents: WebContents, rendererOrigin: string): boolean {
  const frame = event.senderFrame;
  if (event.sender !== contents || !frame || frame !== contents.mainFrame) return false;
  return originOf(frame.url) === rendererOrigin;
}

/** `file://` pages have an opaque origin; compare their scheme instead. */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'file://' : parsed.origin;
  } catch {
    return 'invalid';
  }
}

export function attachIpcTransport(host: EngineHost, contents: WebContents, rendererOrigin: string): () => void {
  const client = host.connect((message: ServerMessage) => {
    if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.message, message);
  });
  ipcMain.handle(IPC_CHANNELS.request, async (event, command: unknown): Promise<CommandResult> => {
    if (!isTrustedSender(event, contents, rendererOrigin)) {
      return { ok: false, error: { code: 'bad-request', message: 'request from an untrusted frame' } };
    }
    return client.handle(command);
  });
  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.request);
    client.close();
  };
}
