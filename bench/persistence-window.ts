// How much of what SndMix acknowledged could a crash lose? Changes a session's volume at
// several rates (1/s as a baseline, up to one per millisecond) through the sim's settings
// store on a real disk, watches the state file, and prints for each rate how long a
// change took to be on disk (the window a kill -9 could lose): p50, p99 and max, in ms.
// The promise in README and persistence.ts: under 250 ms at any rate.
//
// Run: npm run bench:persistence   Options: --seconds 3 --dir /some/disk/folder
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { JsonSessionStore, SIM_STATE_FILE_NAME } from '../native-bridge/sim/persistence';

const { values: options } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, dir: { type: 'string' } } });
const seconds = Number(options.seconds);
const identity = { sessionGuid: '{BENCH}', crossProcess: false, exePath: 'bench.exe', deviceId: 'speakers', flow: 'render' as const };

async function measure(ratePerSecond: number): Promise<{ rate: number; changes: number; lags: number[] }> {
  const stateDir = mkdtempSync(path.join(options.dir ?? tmpdir(), 'sndmix-bench-persist-'));
  const file = path.join(stateDir, SIM_STATE_FILE_NAME);
  const store = new JsonSessionStore({ stateDir });
  const madeAt: number[] = [];
  const lags: number[] = [];
  let seen = -1;
  const watcher = setInterval(() => {
    let volume: number;
    try {
      volume = (Object.values(JSON.parse(readFileSync(file, 'utf8')).sessions)[0] as { volume: number }).volume;
    } catch {
      return;
    }
    const index = Math.round(volume * 1e6) - 1; // change i is volume (i + 1) / 1e6
    const now = performance.now();
    for (let change = seen + 1; change <= index; change += 1) lags.push(now - (madeAt[change] as number));
    seen = Math.max(seen, index);
  }, 1);
  const end = performance.now() + seconds * 1000;
  const interval = 1000 / ratePerSecond;
  let next = performance.now();
  while (performance.now() < end) {
    madeAt.push(performance.now());
    store.remember(identity, { volume: madeAt.length / 1e6, muted: false });
    next += interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  clearInterval(watcher);
  await store.close();
  rmSync(stateDir, { recursive: true, force: true });
  return { rate: ratePerSecond, changes: madeAt.length, lags };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

console.log(`rate/s  changes  on disk  p50 ms  p99 ms  max ms  (max vs 1/s baseline)`);
let baselineMax = Number.NaN;
for (const rate of [1, 10, 100, 1000]) {
  const { changes, lags } = await measure(rate);
  const max = Math.max(...lags);
  if (rate === 1) baselineMax = max;
  console.log(
    `${String(rate).padStart(6)}  ${String(changes).padStart(7)}  ${String(lags.length).padStart(7)}  ${percentile(lags, 50).toFixed(1).padStart(6)}  ${percentile(lags, 99).toFixed(1).padStart(6)}  ${max.toFixed(1).padStart(6)}  (${(max / baselineMax).toFixed(2)}x)`,
  );
}
