// 10,000 generated WebSocket messages that must all be refused: each gets an error reply,
// the server stays up, the mixer's state is unchanged and memory stays bounded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsServerFrame } from '../core/contract';
import { EngineHost } from '../core/engine-host';
import { invalidWsText } from '../core/testing/invalid-input';
import { openBackend } from '../native-bridge/open-backend';
import type { WebServer } from './server';
import { startWebServer } from './server';

const MESSAGES = 10_000;
const SEED = 11;
const TOKEN = 'fuzz-token-0123456789';
let dir: string;
let host: EngineHost;
let server: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sndmix-fuzz-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>SndMix</title>');
  const { backend } = await openBackend({ name: 'sim', stateDir: path.join(dir, 'state'), live: false });
  host = await EngineHost.start(backend);
  server = await startWebServer({ host, staticDir: dir, port: 0, hostname: '127.0.0.1', token: TOKEN });
});

afterAll(async () => {
  await server.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

const mixerState = () => JSON.stringify({ sessions: host.sessions(), devices: host.devices() });

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`, { origin: `http://127.0.0.1:${server.port}` });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('the WebSocket under 10,000 generated invalid messages', () => {
  it('answers each with an error, keeps the connection, changes nothing and stays bounded in memory', async () => {
    const known = { sessionIds: host.sessions().map((s) => s.id), deviceIds: host.devices().map((d) => d.id) };
    const texts = fc.sample(invalidWsText(known), { numRuns: MESSAGES, seed: SEED });
    const before = mixerState();
    const ws = await open();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const results: Extract<WsServerFrame, { type: 'result' }>[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as WsServerFrame;
      if (frame.type === 'result') results.push(frame);
    });
    // In batches, each answered before the next: a client that reads its replies.
    const BATCH = 500;
    for (let start = 0; start < texts.length; start += BATCH) {
      const batch = texts.slice(start, start + BATCH);
      for (const [index, text] of batch.entries()) {
        if ((start + index) % 50 === 0) ws.send(Buffer.from(text), { binary: true });
        else ws.send(text);
      }
      await expect.poll(() => results.length, { timeout: 10_000, interval: 5 }).toBe(Math.min(start + BATCH, texts.length));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const growthMb = (peakRss - rssBefore) / 2 ** 20;
    console.log(`WebSocket fuzz: ${texts.length} messages (seed ${SEED}), ${results.length} error replies; RSS ${(rssBefore / 2 ** 20).toFixed(0)} MB -> peak ${(peakRss / 2 ** 20).toFixed(0)} MB (+${growthMb.toFixed(1)} MB)`);
    expect(results.every((frame) => !frame.result.ok)).toBe(true);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(mixerState()).toBe(before);
    expect(growthMb).toBeLessThan(100);
    ws.close();
  }, 60_000);

  it('closes a connection that sends an oversized frame, and serves the next one', async () => {
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(65 * 1024));
    expect(await closed).toBe(1009); // "message too big"
    const next = await open();
    const reply = new Promise<WsServerFrame>((resolve) => next.once('message', (data) => resolve(JSON.parse(data.toString()) as WsServerFrame)));
    next.send(JSON.stringify({ requestId: 1, command: { type: 'subscribe' } }));
    expect((await reply).type).toBe('snapshot');
    next.close();
  });
});
