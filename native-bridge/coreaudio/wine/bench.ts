// `npm run bench:wine [-- <sessions>]`: runs bench-scenario.ts under Windows Node in Wine and
// prints COM calls per second through DispCallFunc against direct calls of an exported
// function (both in the same run), and the time of one poll of N sessions.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForWindows, prepareWine, runNodeUnderWine, startPulse, windowsPath } from './harness';

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
} finally {
  stopPulse();
}
