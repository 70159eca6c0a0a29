// `npm run bench:wine [-- <sessions>]`: runs bench-scenario.ts under Windows Node in Wine and
// prints COM calls per second through DispCallFunc against direct calls of an exported
// function (both in the same run), and the time of one poll of N sessions; then, on the
// Core Audio double (bench-double-scenario.ts), the COM calls one full poll makes.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForWindows, inDoublePrefix, prepareWine, runNodeUnderWine, startPulse, windowsPath } from './harness';

const sessions = Number.parseInt(process.argv[2] ?? '16', 10);
if (!Number.isInteger(sessions) || sessions < 1 || sessions > 64) throw new Error('sessions must be 1..64');
const wine = prepareWine();
const stopPulse = await startPulse(wine);
try {
  const bundle = await bundleForWindows(wine, join(import.meta.dirname, 'bench-scenario.ts'), 'bench');
  const figuresFile = join(wine.home, 'bench-figures.json');
  rmSync(figuresFile, { force: true });
  const run = await runNodeUnderWine(wine, bundle, [windowsPath(figuresFile), String(sessions)], 180_000);
  if (run.code !== 0 || !existsSync(figuresFile)) throw new Error(`the benchmark failed (exit ${run.code}):\n${run.stderr}`);
  const figures = JSON.parse(readFileSync(figuresFile, 'utf8')) as Record<string, number>;
  const perSecond = (value: number | undefined) => `${Math.round(value ?? 0).toLocaleString('en-US')}/s`;
  console.log('coreaudio under Wine (Windows Node, ffi-rs win32):');
  console.log(`  COM calls through DispCallFunc (ISimpleAudioVolume.GetMasterVolume): ${perSecond(figures.comCallsPerSecond)}`);
  console.log(
    `  direct calls of an export (kernel32!QueryPerformanceCounter):        ${perSecond(figures.directCallsPerSecond)}`,
  );
  console.log(`  ratio direct / COM: ${((figures.directCallsPerSecond ?? 0) / (figures.comCallsPerSecond ?? 1)).toFixed(2)}`);
  console.log(`  one listSessions of a device with ${figures.sessions} sessions: ${figures.devicePollMs?.toFixed(2)} ms`);
  console.log(`  one full poll (listDevices + listSessions of every device): ${figures.fullPollMs?.toFixed(2)} ms`);
  console.log(`  live references after close: ${figures.liveReferencesAfterClose}`);

  const onDouble = inDoublePrefix(wine);
  const doubleBundle = await bundleForWindows(onDouble, join(import.meta.dirname, 'bench-double-scenario.ts'), 'bench-double');
  const doubleFile = join(wine.home, 'bench-double-figures.json');
  rmSync(doubleFile, { force: true });
  const doubleRun = await runNodeUnderWine(
    onDouble,
    doubleBundle,
    [windowsPath(doubleFile), windowsPath(wine.double.dll), String(sessions)],
    180_000,
  );
  if (doubleRun.code !== 0 || !existsSync(doubleFile)) throw new Error(`the double benchmark failed (exit ${doubleRun.code}):\n${doubleRun.stderr}`);
  const polled = JSON.parse(readFileSync(doubleFile, 'utf8')) as {
    sessions: number;
    callsPerPoll: number;
    routeReadsPerPoll: number;
    callsPerDuePoll: number;
    routeReadsPerDuePoll: number;
    routeRecheckMs: number;
    pollMs: number;
    perPoll: { count: number; method: string }[];
    ledger: number;
  };
  console.log(`coreaudio on the Core Audio double (${polled.sessions} sessions of other processes, 3 endpoints):`);
  console.log(`  COM calls per full poll (listDevices + listSessions of every active device): ${polled.callsPerPoll}`);
  console.log(`    of which apps' output routes (GetPersistedDefaultAudioEndpoint): ${polled.routeReadsPerPoll}`);
  console.log(
    `  COM calls of the poll that reads the routes again (${polled.routeRecheckMs} ms after the last read): ${polled.callsPerDuePoll}, routes ${polled.routeReadsPerDuePoll}`,
  );
  console.log(`  one full poll: ${polled.pollMs.toFixed(2)} ms`);
  for (const { count, method } of polled.perPoll) console.log(`    ${String(count).padStart(6)}  ${method}`);
  console.log(`  references outstanding in the double after close: ${polled.ledger}`);
} finally {
  stopPulse();
}
