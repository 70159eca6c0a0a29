// Runs under Windows Node in Wine (see bench.ts): the cost of a COM call through
// DispCallFunc against a direct call of an exported function, and of one full poll.
// Usage: node bench.cjs <figures.json> <sessions>
import { writeFileSync } from 'node:fs';
import { DataType, load } from '../../com/ffi';
import { newGuid } from '../../com/guid';
import { CLSCTX_ALL, type ComRef } from '../../com/interface';
import { comRuntime } from '../../com/runtime';
import { createCoreAudioBackend } from '../backend';
import { EDataFlow, ERole } from '../constants';
import { IAudioSessionManager2 } from '../interfaces/IAudioSessionManager2';
import type { IMMDevice } from '../interfaces/IMMDevice';
import { CLSID_MMDeviceEnumerator, IMMDeviceEnumerator } from '../interfaces/IMMDeviceEnumerator';
import type { ISimpleAudioVolume } from '../interfaces/ISimpleAudioVolume';
import { openWindowsAudioSystem } from '../windows';
import { TestStream } from './streams';

/** Calls per second of `call`, run for about `ms` milliseconds after a warm-up. */
function rate(call: () => void, ms = 1000): number {
  for (let index = 0; index < 200; index++) call();
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let index = 0; index < 100; index++) call();
    calls += 100;
    elapsed = performance.now() - started;
  }
  return Math.round((calls * 1000) / elapsed);
}

async function averageMs(run: () => Promise<unknown>, times: number): Promise<number> {
  await run();
  const started = performance.now();
  for (let index = 0; index < times; index++) await run();
  return (performance.now() - started) / times;
}

async function main(figuresPath: string, sessionCount: number): Promise<void> {
  const com = comRuntime();
  const enumerator = com.createInstance(CLSID_MMDeviceEnumerator, IMMDeviceEnumerator);
  const device = com.invoke(enumerator, 'GetDefaultAudioEndpoint', EDataFlow.eRender, ERole.eConsole).out[0] as ComRef<
    typeof IMMDevice
  >;
  const deviceId = com.invoke(device, 'GetId').out[0] ?? '';
  const guids = Array.from({ length: sessionCount }, () => newGuid());
  const streams = new Map(guids.map((guid) => [guid, TestStream.open(com, device, guid)]));

  const manager = com.invoke(device, 'Activate', IAudioSessionManager2, CLSCTX_ALL, 0n).out[0] as ComRef<
    typeof IAudioSessionManager2
  >;
  const simple = com.invoke(manager, 'GetSimpleAudioVolume', guids[0] ?? null, 0).out[0] as ComRef<typeof ISimpleAudioVolume>;
  const comCalls = rate(() => com.invoke(simple, 'GetMasterVolume'));
  const counter = Buffer.alloc(8);
  const directCalls = rate(() =>
    load({
      library: 'kernel32',
      funcName: 'QueryPerformanceCounter',
      retType: DataType.I32,
      paramsType: [DataType.U8Array],
      paramsValue: [counter],
    }),
  );
  com.releaseAll([simple, manager]);

  const system = openWindowsAudioSystem({ channelVolumeFor: (_id, guid) => streams.get(guid)?.channelVolume() ?? null });
  const backend = await createCoreAudioBackend({ system, pollIntervalMs: 2000 });
  for (const guid of guids) await backend.trackSession(deviceId, guid);
  const devicePollMs = await averageMs(() => backend.listSessions(deviceId), 20);
  const fullPollMs = await averageMs(async () => {
    for (const listed of await backend.listDevices()) await backend.listSessions(listed.id);
  }, 10);
  await backend.close();
  for (const stream of streams.values()) stream.release();
  com.releaseAll([device, enumerator]);

  writeFileSync(
    figuresPath,
    JSON.stringify({
      comCallsPerSecond: comCalls,
      directCallsPerSecond: directCalls,
      sessions: sessionCount,
      devicePollMs,
      fullPollMs,
      liveReferencesAfterClose: com.liveReferenceCount() + com.sinks.liveSinkCount(),
    }),
  );
}

const [figuresPath, sessions] = process.argv.slice(2);
if (!figuresPath) throw new Error('usage: bench.cjs <figures.json> [sessions]');
main(figuresPath, Number.parseInt(sessions ?? '16', 10)).then(
  () => setTimeout(() => process.exit(0), 200),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
