// Runs under Windows Node in the double's prefix (see bench.ts): the coreaudio backend on the
// Core Audio double with N sessions of other processes, and the COM calls one full poll
// makes (listDevices + listSessions of every active device), as the double counts them:
// at the poll's pace, and once the apps' output routes are due to be read again. The
// AudioPolicyConfig factory answers (as on every Windows 10 and 11), so routes are read.
// Usage: node bench-double.cjs <figures.json> <double.dll> <sessions>
import { writeFileSync } from 'node:fs';
import { newGuid } from '../../com/guid';
import { createCoreAudioBackend } from '../backend';
import { ROUTE_RECHECK_MS } from '../app-output';
import { windowsBuild } from '../policy-config';
import { CoreAudioDouble } from '../double/script';
import { audioPolicyConfigIids } from '../interfaces/IAudioPolicyConfigFactory';

async function main(figuresPath: string, dllPath: string, sessionCount: number): Promise<void> {
  const double = new CoreAudioDouble(dllPath);
  double.setPolicyConfigIid(audioPolicyConfigIids(windowsBuild())[0] ?? '');
  const speakers = '{0.0.0.00000000}.{5a4b9d1c-0000-4000-8000-00000000b001}';
  double.addEndpoint(speakers, 'Speakers (Double Audio)', 'render');
  double.addEndpoint('{0.0.0.00000000}.{5a4b9d1c-0000-4000-8000-00000000b002}', 'Headphones (Double Audio)', 'render');
  double.addEndpoint('{0.0.1.00000000}.{5a4b9d1c-0000-4000-8000-00000000b003}', 'Microphone (Double Audio)', 'capture');
  double.setDefault('render', 'all', speakers);
  for (let index = 0; index < sessionCount; index++) {
    const stream = double.openStream(speakers, { pid: 8000 + index, sessionGuid: newGuid() });
    double.setDisplayName(stream, `App ${index}`);
  }
  await double.drained();
  const backend = await createCoreAudioBackend();
  const fullPoll = async () => {
    for (const device of await backend.listDevices()) if (device.state === 'active') await backend.listSessions(device.id);
  };
  await fullPoll();
  double.calls();
  const polls = 10;
  const started = performance.now();
  for (let poll = 0; poll < polls; poll++) await fullPoll();
  const pollMs = (performance.now() - started) / polls;
  const { total, byMethod } = double.calls();
  // The poll after the apps' routes were last read ROUTE_RECHECK_MS ago: the one that reads them again.
  await new Promise((done) => setTimeout(done, ROUTE_RECHECK_MS));
  await fullPoll();
  const due = double.calls();
  await backend.close();
  const perPoll = byMethod
    .map((line) => ({ count: Number.parseInt(line, 10) / polls, method: line.slice(line.indexOf(' ') + 1) }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count);
  const routeReads = (lines: string[], over: number) =>
    lines.filter((line) => line.includes('GetPersistedDefaultAudioEndpoint')).reduce((sum, line) => sum + Number.parseInt(line, 10), 0) / over;
  writeFileSync(
    figuresPath,
    JSON.stringify({
      sessions: sessionCount,
      callsPerPoll: total / polls,
      routeReadsPerPoll: routeReads(byMethod, polls),
      callsPerDuePoll: due.total,
      routeReadsPerDuePoll: routeReads(due.byMethod, 1),
      routeRecheckMs: ROUTE_RECHECK_MS,
      pollMs,
      perPoll,
      ledger: double.ledger().length,
    }),
  );
}

const [figuresPath, dllPath, sessions] = process.argv.slice(2);
if (!figuresPath || !dllPath) throw new Error('usage: bench-double.cjs <figures.json> <double.dll> [sessions]');
main(figuresPath, dllPath, Number.parseInt(sessions ?? '16', 10)).then(
  () => setTimeout(() => process.exit(0), 200),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
