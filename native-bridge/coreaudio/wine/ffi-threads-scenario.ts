// Runs under Windows Node in Wine (bundled by ffi-threads.spec.ts): ffi-rs used from two JS
// threads at once, as the product does: Node's main thread making calls it never made before
// (each a new entry in ffi-rs's library and symbol tables) while native threads call a sink,
// whose calls the sink thread answers with ffi-rs calls of its own (reading what was lent).
// Usage: node ffi-threads.cjs <report.json> <rounds>
import { writeFileSync } from 'node:fs';
import { DataType, load, open } from '../../com/ffi';
import { comRuntime } from '../../com/runtime';
import { IAudioSessionEvents } from '../interfaces/IAudioSessionEvents';

/** kernel32 exports that take no argument and change nothing. */
const HARMLESS = [
  'GetCurrentProcessId', 'GetCurrentThreadId', 'GetTickCount', 'GetLastError', 'GetACP', 'GetOEMCP',
  'GetVersion', 'GetUserDefaultLCID', 'GetSystemDefaultLCID', 'GetUserDefaultLangID', 'GetSystemDefaultLangID',
  'IsDebuggerPresent', 'GetLogicalDrives', 'GetCurrentProcessorNumber', 'GetErrorMode', 'GetThreadLocale',
] as const;

async function main(reportPath: string, rounds: number): Promise<void> {
  const com = comRuntime();
  let handled = 0;
  const sink = com.sinks.create(IAudioSessionEvents, {
    OnDisplayNameChanged: () => void handled++,
    OnIconPathChanged: () => undefined,
    OnSimpleVolumeChanged: () => undefined,
    OnChannelVolumeChanged: () => undefined,
    OnGroupingParamChanged: () => undefined,
    OnStateChanged: () => undefined,
    OnSessionDisconnected: () => undefined,
  });
  const context = '{5D2F1C57-0DBE-4A0B-9B8E-AD9D5E8A51C0}';
  let sent = 0;
  for (let round = 0; round < rounds; round++) {
    // Native threads call the sink (the sink thread copies the lent name and GUID through ffi-rs)...
    const calls = Array.from({ length: 8 }, () =>
      com.invokeAtOffThread(sink.address, IAudioSessionEvents, 'OnDisplayNameChanged', `name ${round}`, context),
    );
    sent += calls.length;
    // ...while this thread opens libraries and calls functions ffi-rs has not seen yet.
    const library = `ffi-threads-${round}`;
    open({ library, path: 'kernel32.dll' });
    for (const funcName of HARMLESS) load({ library, funcName, retType: DataType.I32, paramsType: [], paramsValue: [] });
    // Names kernel32 lacks: ffi-rs still records each in kernel32's table, which the sink thread reads.
    for (let name = 0; name < 100; name++) {
      try {
        load({ library: 'kernel32', funcName: `SndMixNoSuchExport${round}x${name}`, retType: DataType.I32, paramsType: [], paramsValue: [] });
      } catch {
        // expected: not found
      }
    }
    await Promise.all(calls);
  }
  await new Promise((done) => setTimeout(done, 200));
  writeFileSync(reportPath, JSON.stringify({ sent, handled }));
  process.exit(0);
}

const [reportPath, rounds] = process.argv.slice(2);
if (!reportPath) throw new Error('usage: ffi-threads.cjs <report.json> <rounds>');
main(reportPath, Number(rounds ?? 2000)).catch((error: unknown) => {
  writeFileSync(reportPath, JSON.stringify({ error: String((error as Error).stack ?? error) }));
  process.exit(2);
});
