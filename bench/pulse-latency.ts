// How fast does the pulse backend hear a volume change made by another client?
// On a private PulseAudio server, runs `pactl set-sink-input-volume` ~20 times and times,
// from the moment each pactl is started, (a) the backend's volume-changed event and
// (b) `pactl subscribe`'s line for the same change (libpulse printing the server's own
// event: the floor any client can reach). Prints both medians and their ratio.
//
// Run: npm run bench:pulse   (needs pulseaudio and pulseaudio-utils)
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { BackendEvent } from '../native-bridge/types';
import { createPulseBackend } from '../native-bridge/pulse/backend';
import { startPulseTestServer } from '../native-bridge/pulse/testing/test-server';

const CHANGES = 20;
const WARM_UP = 2;
const TIMEOUT_MS = 5000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const server = await startPulseTestServer();
  const backend = await createPulseBackend({ server: server.server });
  const subscriber = spawn('pactl', ['subscribe'], { env: server.clientEnv, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const stream = await server.play({ appName: 'Latency Bench', pid: 7001 });
    const deviceId = (await backend.listDevices()).find((device) => device.flow === 'render')?.id;
    if (!deviceId) throw new Error('the test server has no sink');
    const session = (await backend.listSessions(deviceId)).find((candidate) => candidate.displayName === 'Latency Bench');
    if (!session) throw new Error('the backend does not list the bench stream');

    const backendWaiters = new Set<(event: BackendEvent, at: number) => void>();
    backend.subscribe((event) => {
      const at = performance.now();
      for (const waiter of [...backendWaiters]) waiter(event, at);
    });
    const lineWaiters = new Set<(line: string, at: number) => void>();
    createInterface({ input: subscriber.stdout }).on('line', (line) => {
      const at = performance.now();
      for (const waiter of [...lineWaiters]) waiter(line, at);
    });
    const subscribeLine = `Event 'change' on sink-input #${stream.index}`;

    const backendRows: number[] = [];
    const subscribeRows: number[] = [];
    for (let change = 0; change < WARM_UP + CHANGES; change++) {
      const percent = change % 2 === 0 ? 40 : 70;
      const heardByBackend = new Promise<number>((resolve) => {
        const waiter = (event: BackendEvent, at: number) => {
          if (event.type !== 'volume-changed' || event.sessionId !== session.id || Math.abs(event.volume - percent / 100) > 0.001) return;
          backendWaiters.delete(waiter);
          resolve(at);
        };
        backendWaiters.add(waiter);
      });
      const heardBySubscribe = new Promise<number>((resolve) => {
        const waiter = (line: string, at: number) => {
          if (line.trim() !== subscribeLine) return;
          lineWaiters.delete(waiter);
          resolve(at);
        };
        lineWaiters.add(waiter);
      });
      const startedAt = performance.now();
      await server.pactl(['set-sink-input-volume', String(stream.index), `${percent}%`]);
      const [backendAt, subscribeAt] = await Promise.all([
        within(heardByBackend, "the backend's volume-changed event"),
        within(heardBySubscribe, "pactl subscribe's change line"),
      ]);
      if (change < WARM_UP) continue;
      backendRows.push(backendAt - startedAt);
      subscribeRows.push(subscribeAt - startedAt);
    }

    const backendMedian = median(backendRows);
    const subscribeMedian = median(subscribeRows);
    const lag = median(backendRows.map((value, i) => value - (subscribeRows[i] ?? NaN)));
    console.log(`pulse latency over ${CHANGES} external volume changes (from starting pactl set-sink-input-volume):`);
    console.log(`  SndMix pulse backend volume-changed: median ${backendMedian.toFixed(2)} ms`);
    console.log(`  pactl subscribe change event:        median ${subscribeMedian.toFixed(2)} ms`);
    console.log(`  backend later than pactl subscribe:  median ${lag.toFixed(2)} ms per change`);
    console.log(`  ratio backend / pactl subscribe:     ${(backendMedian / subscribeMedian).toFixed(3)}`);
  } finally {
    subscriber.kill();
    await backend.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
