// `npx tsx native-bridge/coreaudio/wine/sink-waits.ts <file>`: sums what the Core Audio
// double appended to $SNDMIX_DOUBLE_SINK_WAITS at each process exit (double/sink-waits.c):
// how long its threads waited on a sink, per method, as counts per bucket and the longest.
import { readFileSync } from 'node:fs';

const BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200];
const file = process.argv[2];
if (!file) throw new Error('usage: sink-waits.ts <file written through SNDMIX_DOUBLE_SINK_WAITS>');

const methods = new Map<string, { count: number; longestMs: number; buckets: number[] }>();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const [method, count, longest, buckets] = line.split('\t');
  if (!method || !count || !longest || !buckets) continue;
  const known = methods.get(method) ?? { count: 0, longestMs: 0, buckets: BOUNDS_MS.map(() => 0).concat(0) };
  known.count += Number(count);
  known.longestMs = Math.max(known.longestMs, Number(longest));
  buckets.split(',').forEach((value, index) => (known.buckets[index] = (known.buckets[index] ?? 0) + Number(value)));
  methods.set(method, known);
}
const header = ['<=1', '<=2', '<=5', '<=10', '<=20', '<=50', '<=100', '<=200', '>200'];
console.log(`${'method'.padEnd(58)} ${'calls'.padStart(7)} ${header.map((h) => h.padStart(6)).join(' ')}  longest ms`);
for (const [method, { count, longestMs, buckets }] of [...methods].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`${method.padEnd(58)} ${String(count).padStart(7)} ${buckets.map((b) => String(b).padStart(6)).join(' ')}  ${longestMs.toFixed(1)}`);
}
