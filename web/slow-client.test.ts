// A token holder that sends `subscribe` in a loop and never reads: the server's memory
// stays flat (state is coalesced, requests are not read while the client is behind) and the
// client is closed with a reason once it stays behind. The server is the real CLI's
// `sndmix web`, in a process of its own so its RSS is its own.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { floodUntil, maskedTextFrame, openNonReadingClient } from './testing/raw-ws-client';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}

async function startWebMode(): Promise<{ child: ChildProcess; url: URL }> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-slow-client-'));
  const child = spawn(process.execPath, ['bin/sndmix.js', 'web', '--backend', 'sim', '--port', '0', '--state-dir', stateDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /http:\/\/\S+/.exec(out);
      if (found) resolve(new URL(found[0]));
    });
    child.once('exit', (code) => reject(new Error(`sndmix web exited with ${code}`)));
  });
  return { child, url };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a client that sends subscribe in a loop and never reads', () => {
  it('keeps the server flat in memory and is closed after the 10 s limit', async () => {
    const { child, url } = await startWebMode();
    const pid = child.pid as number;
    await sleep(500);
    const baseline = rssMb(pid);
    const connection = await openNonReadingClient(Number(url.port), `/ws?token=${url.searchParams.get('token')}`);
    let requestId = 0;
    const frame = () => maskedTextFrame(JSON.stringify({ requestId: requestId++, command: { type: 'subscribe' } }));
    const samples: number[] = [];
    const sampling = (async () => {
      for (let second = 0; second < 8; second += 1) {
        await sleep(1000);
        samples.push(rssMb(pid));
      }
    })();
    const flood = floodUntil(connection, frame, connection.gone);
    await sampling;
    // Closed by the server: the ws then ends; nothing else ends it.
    // Closed 10 s after it fell behind, cut off 3 s later (it never reads the close frame).
    await Promise.race([connection.gone, sleep(10_000).then(() => Promise.reject(new Error('the slow client was never closed')))]);
    const sent = await flood;
    const growth = Math.max(...samples) - baseline;
    const lateGrowth = Math.max(...samples.slice(3)) - (samples[2] as number);
    console.log(
      `slow client: ${sent} subscribe frames written; server RSS baseline ${baseline.toFixed(1)} MB, ` +
        `samples ${samples.map((mb) => mb.toFixed(1)).join(' ')} MB; growth ${growth.toFixed(1)} MB, after 3 s ${lateGrowth.toFixed(1)} MB`,
    );
    expect(growth).toBeLessThan(40); // unbounded, this grew by ~46 MB every second
    expect(lateGrowth).toBeLessThan(10);
    expect(child.exitCode).toBeNull(); // the server lives on
  }, 30_000);
});
