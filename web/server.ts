// Web mode: the built renderer over HTTP and the engine host's contract over a
// WebSocket that only answers a caller holding the printed token, from our own origin.
// Both answer only for our own Host names (a DNS-rebound name gets nothing), and each
// connection's unsent data is bounded (core/client-outbox.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { ClientOutbox } from '../core/client-outbox';
import type { Command, WsServerFrame } from '../core/contract';
import { CONTENT_SECURITY_POLICY } from '../core/csp';
import { WS_CLOSE_BEHIND, WsRequestSchema, parseCommand } from '../core/contract';
import type { EngineHost } from '../core/engine-host';

export interface WebServerOptions {
  host: EngineHost;
  /** Folder holding the built renderer (index.html and assets). */
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
  hostname: string;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  /** A connection whose unsent data stays over its limit this long is closed (default 10 s). */
  behindLimitMs?: number;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 64 * 1024;
/** Unsent data per connection: past the high mark state is coalesced and requests are not read; under the low mark a stale client is resynced. */
export const SEND_HIGH_WATER_BYTES = 1024 * 1024;
const SEND_LOW_WATER_BYTES = 256 * 1024;
const DEFAULT_BEHIND_LIMIT_MS = 10_000;
/** How long a connection closed for falling behind has to read the close frame before it is cut. */
const CLOSE_GRACE_MS = 3000;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  if (!existsSync(options.staticDir)) {
    throw new Error(`the web UI is not built (${options.staticDir} is missing): run "npm run build:web"`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const serveStatic = sirv(options.staticDir, { dev: false, etag: true, single: false });
  let allowedHosts = new Set<string>();
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.statusCode = 403;
      res.end('forbidden: unknown Host');
      return;
    }
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.hostname, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
  allowedHosts = new Set([`${urlHost}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const behindLimitMs = options.behindLimitMs ?? DEFAULT_BEHIND_LIMIT_MS;

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req, token, allowedHosts);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, options.host, behindLimitMs));
  });

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections(); // a kept-alive page load must not hold the shutdown
      await closed;
    },
  };
}

/** Why an upgrade is refused (an HTTP status line), or null to accept it. */
function refuseUpgrade(req: IncomingMessage, token: string, allowedHosts: Set<string>): string | null {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname !== '/ws') return '404 Not Found';
  if (!tokenMatches(url.searchParams.get('token'), token)) return '401 Unauthorized';
  // A page elsewhere (or a DNS-rebound name) must not drive the mixer, token or not.
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host)) return '403 Forbidden';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return '403 Forbidden';
  return null;
}

function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function serveConnection(ws: WebSocket, host: EngineHost, behindLimitMs: number): void {
  const outbox = new ClientOutbox<WsServerFrame>({
    backlog: () => ws.bufferedAmount,
    write: (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    },
    // Again as the connection subscribed: a page whose peaks go to its meter worker must not get them here.
    resync: () => void client.handle(subscription),
    closeBehind: (reason) => {
      ws.close(WS_CLOSE_BEHIND, reason);
      // A peer that reads again soon gets the close frame and its reason; one that does not read is cut off.
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    },
    // Not reading its requests is what bounds the replies of a client that sends without reading.
    onCongestion: (congested) => (congested ? ws.pause() : ws.resume()),
    highWater: SEND_HIGH_WATER_BYTES,
    lowWater: SEND_LOW_WATER_BYTES,
    behindLimitMs,
  });
  const send = (frame: WsServerFrame) => outbox.send(frame);
  const client = host.connect(send, 'web');
  /** The connection's last accepted subscribe command (contract.ts: what it carries). */
  let subscription: Command = { type: 'subscribe' };
  const closed = () => {
    outbox.close();
    client.close();
  };
  ws.on('message', (data, isBinary) => {
    void answer(data.toString(), isBinary);
  });
  ws.on('close', closed);
  ws.on('error', closed);

  async function answer(text: string, isBinary: boolean): Promise<void> {
    if (isBinary) {
      send({ type: 'result', requestId: null, result: badRequest('binary frames are not accepted') });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      send({ type: 'result', requestId: null, result: badRequest('a frame must be JSON') });
      return;
    }
    const request = WsRequestSchema.safeParse(json);
    if (!request.success) {
      send({ type: 'result', requestId: null, result: badRequest('a frame must be {"requestId": number, "command": {...}}') });
      return;
    }
    const result = await client.handle(request.data.command);
    const asked = request.data.command as { type?: unknown } | null;
    const parsed = result.ok && asked?.type === 'subscribe' ? parseCommand(asked) : null;
    if (parsed?.ok) subscription = parsed.command;
    send({ type: 'result', requestId: request.data.requestId, result });
  }
}

function badRequest(message: string) {
  return { ok: false as const, error: { code: 'bad-request' as const, message } };
}
