// Runs under Windows Node in the double's Wine prefix (bundled by harness.ts): the per-app
// output device as the product opens it (createCoreAudioBackend with no system: combase's
// RoGetActivationFactory reaches the double's AudioPolicyConfig factory through the registry),
// with the factory scripted to answer either IID, a third one, or to be absent; and the
// endpoint volume range the double answers. Usage: node app-output.cjs <report.json> <double.dll>
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { comRuntime } from '../../com/runtime';
import type { BackendEvent } from '../../types';
import { createCoreAudioBackend, type CoreAudioBackend } from '../backend';
import { CoreAudioDouble, StreamFlags } from '../double/script';
import { AUDIO_POLICY_CONFIG_IIDS, policyDeviceId } from '../interfaces/IAudioPolicyConfigFactory';
import { assert, assertEqual, expectRejection, runChecks, type Check } from './checks';

const endpointId = (flow: 0 | 1, n: number) => `{0.0.${flow}.00000000}.{6b5cae2d-0000-4000-8000-${String(n).padStart(12, '0')}}`;
const SPEAKERS = endpointId(0, 1);
const HEADPHONES = endpointId(0, 2);
const MICROPHONE = endpointId(1, 3);
const PLAYER = 7101;
const NOT_THE_FACTORY = '{0badf00d-0000-4000-8000-000000000001}';

async function main(reportPath: string, dllPath: string): Promise<boolean> {
  const double = new CoreAudioDouble(dllPath);
  const warnings: string[] = [];
  const figures: Record<string, number | string> = { windowsRelease: release() };
  double.addEndpoint(SPEAKERS, 'Speakers (Double Audio)', 'render');
  double.addEndpoint(HEADPHONES, 'Headphones (Double Audio)', 'render');
  double.addEndpoint(MICROPHONE, 'Microphone (Double Audio)', 'capture');
  double.setDefault('render', 'all', SPEAKERS);
  double.setDefault('capture', 'all', MICROPHONE);
  const player = double.openStream(SPEAKERS, { pid: PLAYER, flags: StreamFlags.followsDefault, exe: '\\Device\\HarddiskVolume3\\Apps\\player.exe' });
  double.setDisplayName(player, 'Music Player');
  double.startStream(player);
  await double.drained();

  /** A backend opened as the product opens it, with the factory answering `iid` ("" absent). */
  const withFactory = async (iid: string, use: (backend: CoreAudioBackend, events: BackendEvent[]) => Promise<unknown>) => {
    double.setPolicyConfigIid(iid);
    const backend = await createCoreAudioBackend({ onWarning: (message) => warnings.push(message) });
    const events: BackendEvent[] = [];
    backend.subscribe((event) => events.push(event));
    try {
      return await use(backend, events);
    } finally {
      await backend.close();
    }
  };
  const settle = async () => {
    for (let round = 0; round < 5; round++) {
      await double.drained();
      await new Promise((done) => setTimeout(done, 40));
    }
  };
  const playerSession = async (backend: CoreAudioBackend, deviceId: string) =>
    (await backend.listSessions(deviceId)).find((record) => record.pid === PLAYER && record.state !== 'expired');

  const checks: Check[] = [
    [
      'a Windows without Windows.Media.Internal.AudioPolicyConfig: "not supported on this Windows", REGDB_E_CLASSNOTREG named',
      () =>
        withFactory('', async (backend) => {
          assertEqual(backend.capabilities.outputDevice, false, 'capabilities.outputDevice');
          const record = await playerSession(backend, SPEAKERS);
          assert(record, 'the player is not listed');
          const refused = await expectRejection(backend.setOutputDevice(record.id, HEADPHONES), 'setOutputDevice');
          assert(/not supported on this Windows: .*REGDB_E_CLASSNOTREG/.test(refused.message), refused.message);
          return refused.message;
        }),
    ],
    [
      'a factory that answers neither known IID (E_NOINTERFACE for both): not supported, with that reason',
      () =>
        withFactory(NOT_THE_FACTORY, async (backend) => {
          assertEqual(backend.capabilities.outputDevice, false, 'capabilities.outputDevice');
          const record = await playerSession(backend, SPEAKERS);
          assert(record, 'the player is not listed');
          const refused = await expectRejection(backend.setOutputDevice(record.id, HEADPHONES), 'setOutputDevice');
          assert(/answers neither known interface \(E_NOINTERFACE\)/.test(refused.message), refused.message);
        }),
    ],
    ...Object.entries(AUDIO_POLICY_CONFIG_IIDS).map(
      ([name, iid]): Check => [
        `the factory under its ${name} IID ${iid}: the app moves to the headphones (its session ends on the speakers, starts there), and back to the default`,
        () =>
          withFactory(iid, async (backend, events) => {
            assertEqual(backend.capabilities.outputDevice, true, 'capabilities.outputDevice');
            for (const device of await backend.listDevices()) await backend.listSessions(device.id);
            const before = await playerSession(backend, SPEAKERS);
            assert(before, 'the player is not on the speakers');
            await backend.setOutputDevice(before.id, HEADPHONES);
            await settle();
            const path = policyDeviceId(HEADPHONES, 'render');
            assertEqual(double.policyConfigEndpoint(PLAYER, 'render', 'console'), path, 'console role, as an interface path');
            assertEqual(double.policyConfigEndpoint(PLAYER, 'render', 'multimedia'), path, 'multimedia role');
            assertEqual(backend.appOutputDevice(PLAYER, 'render'), HEADPHONES, 'GetPersistedDefaultAudioEndpoint read back');
            const ended = events.some((event) => event.type === 'state-changed' && event.sessionId === before.id && event.state === 'expired');
            assert(ended, `the speakers session did not end: ${JSON.stringify(events.map((event) => event.type))}`);
            // Created the first time, revived from expired after an earlier move.
            const moved = await playerSession(backend, HEADPHONES);
            assert(moved, `the player is not on the headphones: ${JSON.stringify(events.map((event) => event.type))}`);
            assertEqual([moved.state, moved.displayName], ['active', 'Music Player'], 'the moved stream plays on, named as before');
            await backend.setOutputDevice(moved.id, null);
            await settle();
            assertEqual(double.policyConfigEndpoint(PLAYER, 'render', 'console'), '', 'cleared with an empty HSTRING');
            assertEqual(backend.appOutputDevice(PLAYER, 'render'), null, 'follows the default again');
            assertEqual((await playerSession(backend, SPEAKERS))?.state, 'active', 'back on the speakers');
          }),
      ],
    ),
    [
      'a device of the other flow is refused before Windows is asked; the app stays',
      () =>
        withFactory(AUDIO_POLICY_CONFIG_IIDS.downlevel, async (backend) => {
          const record = await playerSession(backend, SPEAKERS);
          assert(record, 'the player is not listed');
          const refused = await expectRejection(backend.setOutputDevice(record.id, MICROPHONE), 'setOutputDevice');
          assertEqual((refused as { code?: string }).code, 'invalid-argument', refused.message);
          assertEqual(double.policyConfigEndpoint(PLAYER, 'render', 'console'), '', 'nothing persisted');
        }),
    ],
    [
      "endpoint volume ranges: each device's GetVolumeRange (the double: -65.25..0 dB in 1/32 dB steps)",
      () =>
        withFactory('', async (backend) => {
          const ranges = (await backend.listDevices()).map((device) => device.volumeRangeDb);
          assertEqual(ranges, ranges.map(() => ({ minDb: -65.25, maxDb: 0, stepDb: 0.03125, curve: 'linear-db' })), 'ranges');
        }),
    ],
    [
      'every reference let go of after close (the factory included), no contract violation',
      () => {
        assertEqual(double.ledger(), [], 'outstanding in the double');
        assertEqual(comRuntime().liveReferences(), {}, 'live references in the runtime');
        assertEqual(double.violations(), [], 'violations');
      },
    ],
  ];
  return runChecks(checks, reportPath, { figures, warnings });
}

const [reportPath, dllPath] = process.argv.slice(2);
if (!reportPath || !dllPath) throw new Error('usage: app-output.cjs <report.json> <double.dll>');
main(reportPath, dllPath).then(
  (ok) => setTimeout(() => process.exit(ok ? 0 : 1), 200),
  (error: unknown) => {
    writeFileSync(reportPath, JSON.stringify({ planned: [], results: [], figures: {}, warnings: [], fatal: String((error as Error).stack ?? error) }));
    process.exit(2);
  },
);
