import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsServerFrame } from '../core/contract';
import { WS_CLOSE_BEHIND } from '../core/contract';
import { EngineHost } from '../core/engine-host';
import { FakeBackend } from '../core/testing/fake-backend';
import type { WebServer } from './server';
import { isLoopback, startWebServer } from './server';

const TOKEN = 'test-token-0123456789';
let server: WebServer;
let host: EngineHost;
let backend: FakeBackend;

beforeEach(async () => {
  const staticDir = mkdtempSync(path.join(tmpdir(), 'sndmix-web-'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>SndMix</title>');
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'assets', 'meter-worker-test.js'), 'addEventListener("message", () => undefined);');
  backend = new FakeBackend();
  host = await EngineHost.start(backend);
  server = await startWebServer({ host, staticDir, port: 0, hostname: '127.0.0.1', token: TOKEN });
});

afterEach(async () => {
  await server.close();
  await host.close();
});

/** Resolves with the HTTP status of a refused upgrade, or 101 when accepted. */
function upgradeStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', (error) => reject(error));
  });
}

function connect(): Promise<{ ws: WebSocket; next: (type: WsServerFrame['type']) => Promise<WsServerFrame> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`, { origin: `http://127.0.0.1:${server.port}` });
    const frames: WsServerFrame[] = [];
    const waiters: { type: WsServerFrame['type']; resolve: (frame: WsServerFrame) => void }[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as WsServerFrame;
      const index = waiters.findIndex((waiter) => waiter.type === frame.type);
      if (index >= 0) waiters.splice(index, 1)[0]?.resolve(frame);
      else frames.push(frame);
    });
    const next = (type: WsServerFrame['type']) =>
      new Promise<WsServerFrame>((done) => {
        const seen = frames.findIndex((frame) => frame.type === type);
        if (seen >= 0) done(frames.splice(seen, 1)[0] as WsServerFrame);
        else waiters.push({ type, resolve: done });
      });
    ws.on('open', () => resolve({ ws, next }));
    ws.on('error', reject);
  });
}

describe('web mode server', () => {
  it('serves the UI with a strict CSP', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>SndMix</title>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('serves the meter worker’s chunk with a CSP that lets a same-origin worker run', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/assets/meter-worker-test.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('content-security-policy')).toContain("worker-src 'self'");
  });

  it('refuses a WebSocket without the token or with a wrong one', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/ws`)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/ws?token=guess`)).toBe(401);
  });

  it('refuses a foreign Origin and a foreign Host even with the token', async () => {
    const url = `ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`;
    expect(await upgradeStatus(url, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { headers: { host: `rebound.example:${server.port}` } })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://127.0.0.1:${server.port}` })).toBe(101);
  });

  it('carries the contract: snapshot on subscribe, results matched by request id', async () => {
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ requestId: 1, command: { type: 'subscribe' } }));
    expect(await next('snapshot')).toMatchObject({ type: 'snapshot', sessions: [{ id: 's-player' }] });
    expect(await next('result')).toEqual({ type: 'result', requestId: 1, result: { ok: true } });
    ws.send(JSON.stringify({ requestId: 2, command: { type: 'set-volume', sessionIds: ['s-player'], volume: 0.3 } }));
    expect(await next('result')).toEqual({ type: 'result', requestId: 2, result: { ok: true } });
    expect(backend.sessions[0]?.volume).toBe(0.3);
    expect(await next('patch')).toMatchObject({ sessions: { changed: [{ id: 's-player', changes: { volume: 0.3 } }] } });
    ws.close();
  });

  it('answers malformed frames with an error and keeps the connection', async () => {
    const { ws, next } = await connect();
    ws.send('{not json');
    expect(await next('result')).toMatchObject({ requestId: null, result: { ok: false, error: { code: 'bad-request' } } });
    ws.send(JSON.stringify({ command: { type: 'subscribe' } }));
    expect(await next('result')).toMatchObject({ requestId: null, result: { ok: false } });
    ws.send(JSON.stringify({ requestId: 7, command: { type: 'set-volume', sessionIds: ['s-player'], volume: 2 } }));
    expect(await next('result')).toMatchObject({ requestId: 7, result: { ok: false, error: { code: 'bad-request' } } });
    ws.send(Buffer.from([1, 2, 3]));
    expect(await next('result')).toMatchObject({ requestId: null, result: { ok: false } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(backend.calls).toEqual([]);
    ws.close();
  });

  it('refuses to start without a built UI', async () => {
    await expect(startWebServer({ host, staticDir: '/nonexistent/ui', port: 0, hostname: '127.0.0.1' })).rejects.toThrow(
      'npm run build:web',
    );
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.2', 'example.com'].some(isLoopback)).toBe(false);
  });
});

describe('static files', () => {
  /** A raw GET with a chosen Host header (fetch would not let us set it). */
  function getWithHost(hostHeader: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port: server.port, path: '/index.html', headers: { host: hostHeader } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('are served only for our own Host names, like the WebSocket (a DNS-rebound name gets nothing)', async () => {
    expect(await getWithHost(`127.0.0.1:${server.port}`)).toBe(200);
    expect(await getWithHost(`localhost:${server.port}`)).toBe(200);
    expect(await getWithHost(`evil.example:${server.port}`)).toBe(403);
    expect(await getWithHost('127.0.0.1')).toBe(403);
  });
});

describe('a client that falls behind', () => {
  it('is closed with code 4001 and a reason to reconnect and resubscribe, which it reads once it reads again', async () => {
    const staticDir = mkdtempSync(path.join(tmpdir(), 'sndmix-web-behind-'));
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    const slow = await startWebServer({ host, staticDir, port: 0, hostname: '127.0.0.1', token: TOKEN, behindLimitMs: 300 });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${slow.port}/ws?token=${TOKEN}`, { origin: `http://127.0.0.1:${slow.port}` });
      await new Promise((resolve) => ws.once('open', resolve));
      const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      ws.pause(); // stops reading, keeps sending
      // Enough snapshots to fill the kernel's socket buffers and then the server's 1 MiB.
      for (let requestId = 0; requestId < 30_000; requestId += 1) ws.send(JSON.stringify({ requestId, command: { type: 'subscribe' } }));
      // Closed 300 ms after it fell behind; it reads again well after that, before the server cuts it off (3 s later).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      ws.resume();
      expect(await closed).toEqual({ code: WS_CLOSE_BEHIND, reason: expect.stringMatching(/behind: reconnect and subscribe again for a fresh snapshot$/) });
    } finally {
      await slow.close();
    }
  }, 15_000);
});
