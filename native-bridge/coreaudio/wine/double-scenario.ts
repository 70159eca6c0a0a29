// Runs under Windows Node in the double's Wine prefix (bundled by harness.ts): the coreaudio
// backend, opened exactly as the product opens it (createCoreAudioBackend with no system:
// CoCreateInstance reaches the double), while the test scripts the double through its
// exports: endpoints, other processes' sessions, System Sounds, a packaged app, notifications
// from the double's own thread, ducking, every disconnect reason, the service stopping and
// coming back, sessions appearing as the first enumeration runs.
// Usage: node double.cjs <report.json> <double.dll>
import { writeFileSync } from 'node:fs';
import { DataType, load, open } from '../../com/ffi';
import { canonicalGuid, newGuid } from '../../com/guid';
import { AUDCLNT_E_DEVICE_INVALIDATED, AUDCLNT_E_SERVICE_NOT_RUNNING, isComError } from '../../com/hresult';
import { CLSCTX_ALL } from '../../com/interface';
import { comRuntime } from '../../com/runtime';
import type { AudioBackend, BackendEvent, SessionRecord } from '../../types';
import { DISCONNECT_REASONS } from '../../types';
import { createCoreAudioBackend } from '../backend';
import { AudioSessionDisconnectReason, DeviceStateFlag } from '../constants';
import { CoreAudioDouble, floatBits, StreamFlags, type DisconnectReasonName } from '../double/script';
import { IAudioSessionManager2 } from '../interfaces/IAudioSessionManager2';
import type { SessionControl, SessionEvents } from '../system';
import { openWindowsAudioSystem } from '../windows';
import { ComAudioSystem } from '../com-system';
import { createWin32Shell } from '../win32-shell';
import { CLSID_MMDeviceEnumerator, IMMDeviceEnumerator } from '../interfaces/IMMDeviceEnumerator';
import { assert, assertClose, assertEqual, runChecks, type Check } from './checks';
import { installTestPackage, namesChecks } from './names-checks';

const endpointId = (flow: 0 | 1, n: number) => `{0.0.${flow}.00000000}.{5a4b9d1c-0000-4000-8000-${String(n).padStart(12, '0')}}`;
const SPEAKERS = endpointId(0, 1);
const HEADPHONES = endpointId(0, 2);
const HDMI = endpointId(0, 3);
const MICROPHONE = endpointId(1, 4);
const IGNORE_SESSION_EVENTS: SessionEvents = {
  displayNameChanged: () => undefined,
  iconPathChanged: () => undefined,
  volumeChanged: () => undefined,
  channelVolumeChanged: () => undefined,
  groupingParamChanged: () => undefined,
  stateChanged: () => undefined,
  disconnected: () => undefined,
};
const GAME_EXE = '\\Device\\HarddiskVolume3\\Games\\game.exe';

async function main(reportPath: string, dllPath: string): Promise<boolean> {
  const double = new CoreAudioDouble(dllPath);
  const warnings: string[] = [];
  /** Warnings a check causes on purpose (a substring each): taken out at the end. */
  const expectedWarnings: string[] = [];
  const events: BackendEvent[] = [];
  const figures: Record<string, number | string> = {};
  const hostContext = newGuid().toLowerCase();
  const otherApp = newGuid();

  double.addEndpoint(SPEAKERS, 'Speakers (Double Audio)', 'render');
  double.addEndpoint(HEADPHONES, 'Headphones (Double Audio)', 'render');
  double.addEndpoint(HDMI, 'HDMI Display', 'render', DeviceStateFlag.DEVICE_STATE_UNPLUGGED);
  double.addEndpoint(MICROPHONE, 'Microphone (Double Audio)', 'capture');
  double.setDefault('render', 'all', SPEAKERS);
  double.setDefault('capture', 'all', MICROPHONE);
  const gameGuid = newGuid();
  const game = double.openStream(SPEAKERS, { pid: 7001, sessionGuid: gameGuid, exe: GAME_EXE });
  double.setDisplayName(game, 'Space Game');
  double.startStream(game);
  const player = double.openStream(SPEAKERS, { pid: 7002 });
  double.setDisplayName(player, 'Music Player');
  // System Sounds: a non-zero pid (a host process's), the AudioSrv resource name.
  const systemSounds = double.openStream(SPEAKERS, { pid: 7003, flags: StreamFlags.systemSounds });
  const packaged = double.openStream(SPEAKERS, { pid: 7004, exe: installTestPackage() });
  // This process's own session: its name comes from the real node.exe.
  const own = double.openStream(SPEAKERS, { pid: process.pid });
  const recorder = double.openStream(MICROPHONE, { pid: 7005 });
  double.setDisplayName(recorder, 'Voice Recorder');
  await double.drained();

  const backend = await createCoreAudioBackend({ onWarning: (message) => warnings.push(message) });
  backend.subscribe((event) => events.push(event));

  /** Lets the double deliver and the backend's handlers run: until 40 ms pass with no new event. */
  const settle = async () => {
    let seen = -1;
    for (let round = 0; round < 50 && seen !== events.length; round++) {
      seen = events.length;
      await double.drained();
      await new Promise((done) => setTimeout(done, 40));
    }
  };
  /**
   * A stream of `pid` on the headphones, and a Core Audio system of the test's own holding the
   * endpoint's listed controls, among them the pid's (undefined when it is not listed);
   * `close` lets go of the system's objects, not of the stream.
   */
  const ownSessionOf = async (pid: number) => {
    const stream = double.openStream(HEADPHONES, { pid });
    await settle();
    const system = openWindowsAudioSystem();
    const endpoint = system.openEndpoint(HEADPHONES);
    const controls = endpoint.sessionManager().listSessions();
    const control = controls.find((candidate) => candidate.owner().pid === pid);
    const close = async () => {
      for (const candidate of controls) candidate.release();
      endpoint.release();
      await system.close();
    };
    return { stream, system, control, close };
  };
  const take = async () => {
    await settle();
    return events.splice(0);
  };
  const ofType = <T extends BackendEvent['type']>(list: BackendEvent[], type: T) =>
    list.filter((event): event is Extract<BackendEvent, { type: T }> => event.type === type);
  const sessions = new Map<string, SessionRecord>();
  const byPid = (pid: number): SessionRecord => {
    const found = [...sessions.values()].find((record) => record.pid === pid);
    assert(found, `no session of pid ${pid} among ${JSON.stringify([...sessions.values()].map((record) => record.pid))}`);
    return found;
  };
  const list = async (deviceId: string) => {
    const listed = await backend.listSessions(deviceId);
    for (const record of listed) sessions.set(record.id, record);
    return listed;
  };
  /** One reconcile poll as the host makes it: the devices, then the sessions of each active one. */
  const poll = async () => {
    for (const device of await backend.listDevices()) if (device.state === 'active') await list(device.id);
  };
  const registrations = () => double.ledger().filter((line) => line.endsWith('sink still registered')).sort();
  /** The double's objects still held for a pid's session (controls are named after it). */
  const heldFor = (pid: number) => double.ledger().filter((line) => line.includes(`(session pid ${pid})`));

  const checks: Check[] = [
    [
      "defect 4 (start-up probe): starting writes nothing to the user's device (no SetMasterVolumeLevelScalar, no SetMute)",
      () => {
        const floats = double.floatLog();
        const writes = double.calls().byMethod.filter((line) => / IAudioEndpointVolume::Set/.test(line));
        assertEqual(floats, [], 'floats received at start');
        assertEqual(writes, [], 'endpoint volume writes at start');
      },
    ],
    [
      'the product opens Core Audio as it does on Windows and gets the double (CoCreateInstance, no test-only path)',
      () => {
        assert(
          double.ledger().some((line) => line.startsWith('IMMDeviceEnumerator')),
          `the double holds no enumerator reference: ${double.ledger().join('; ')}`,
        );
        assertEqual(backend.capabilities, { ...backend.capabilities, deviceVolume: true, deviceMute: true, peakMeters: true }, 'capabilities');
        return JSON.stringify(backend.capabilities);
      },
    ],
    [
      'devices: every endpoint with its name, flow, state and default roles',
      async () => {
        const devices = await backend.listDevices();
        const summary = devices.map((device) => `${device.flow}:${device.name}:${device.state}:${device.defaultFor.join('+')}`);
        assertEqual(
          summary.sort(),
          [
            'capture:Microphone (Double Audio):active:console+multimedia+communications',
            'render:HDMI Display:unplugged:',
            'render:Headphones (Double Audio):active:',
            'render:Speakers (Double Audio):active:console+multimedia+communications',
          ],
          'devices',
        );
      },
    ],
    [
      'sessions of other processes: client names, GUID from the session identifier, state, System Sounds',
      async () => {
        const listed = await list(SPEAKERS);
        assertEqual(listed.length, 5, `sessions listed: ${JSON.stringify(listed.map((record) => record.displayName))}`);
        const gameRecord = byPid(7001);
        assertEqual([gameRecord.displayName, gameRecord.displayNameSource], ['Space Game', 'client'], 'game name');
        assertEqual(gameRecord.sessionGuid, canonicalGuid(gameGuid), 'GUID read from GetSessionIdentifier');
        assertEqual(gameRecord.state, 'active', 'a started stream makes its session active');
        assertEqual(byPid(7002).state, 'inactive', 'player state');
        const system = byPid(7003);
        assertEqual(system.isSystemSounds, true, 'IsSystemSoundsSession answered S_OK');
        figures.systemSoundsName = `${system.displayName} (${system.displayNameSource})`;
        figures.packagedAppName = `${byPid(7004).displayName} (${byPid(7004).displayNameSource})`;
      },
    ],
    [
      "this process's session: named from the real node.exe's FileDescription",
      () => {
        const record = byPid(process.pid);
        assertEqual([record.displayName, record.displayNameSource], ['Node.js JavaScript Runtime', 'file-description'], 'name');
        assertEqual(record.processName, 'node.exe', 'process name');
      },
    ],
    [
      "defect 1 (deadlock): registering a sink never keeps Core Audio's lock waiting on Node's main thread, busy with synchronous calls",
      async () => {
        // The double's Register* AddRefs the sink under the lock GetState takes, as Windows
        // documents; a JS AddRef would wait for this (busy) main thread while it waits for the lock.
        const system = openWindowsAudioSystem();
        const endpoint = system.openEndpoint(SPEAKERS);
        const control = endpoint.sessionManager().openSession(newGuid(), false);
        const failures: string[] = [];
        let calls = 0;
        try {
          const registering = control.watch(IGNORE_SESSION_EVENTS);
          const until = Date.now() + 300;
          while (Date.now() < until && failures.length === 0) {
            try {
              control.state();
              calls++;
            } catch (error) {
              failures.push(String(error));
            }
          }
          await (await registering).stop();
        } finally {
          control.release();
          endpoint.release();
          await system.close();
        }
        assertEqual(failures, [], 'GetState on the main thread while the registration ran');
        assertEqual(double.violations(), [], "the double's violations");
        return `${calls} GetState calls during the registration`;
      },
    ],
    [
      'defect 6 (shutdown): a sink whose Unregister failed is never freed: a later notification is answered by a live sink',
      async () => {
        const { stream, system, control, close } = await ownSessionOf(7300);
        let stopFailure: unknown = null;
        try {
          assert(control, 'the session of pid 7300 is not listed');
          const renamed: string[] = [];
          const watch = await control.watch({ ...IGNORE_SESSION_EVENTS, displayNameChanged: (name) => renamed.push(name) });
          double.failNextUnregister(AUDCLNT_E_DEVICE_INVALIDATED);
          await watch.stop().catch((error: unknown) => {
            stopFailure = error;
          });
          // Core Audio still holds the sink and calls it: it must still be there to answer.
          double.setDisplayName(stream, 'After the failed Unregister');
          await settle();
          assertEqual(renamed, [], 'a stopped watch hands nothing on');
          assertEqual(double.violations(), [], "the double's violations (a freed sink answers a failure)");
          assert(system.liveReferences() > 0, 'the abandoned sink is not counted');
        } finally {
          double.dropRegistrations(stream);
          await close();
          double.releaseStream(stream);
        }
        assert(isComError(stopFailure, AUDCLNT_E_DEVICE_INVALIDATED), `stop: ${String(stopFailure)}`);
      },
    ],
    ...namesChecks({ double, endpointId: HEADPHONES, packagedPid: 7004, byPid, settle, take, figures, warnings }),
    [
      'capture sessions are listed on the capture device',
      async () => {
        const listed = await list(MICROPHONE);
        assertEqual(
          listed.map((record) => [record.displayName, record.flow]),
          [['Voice Recorder', 'capture']],
          'capture sessions',
        );
      },
    ],
    [
      'defect 9 (names): System Sounds is not shown on a capture device',
      async () => {
        const capturedSystemSounds = double.openStream(MICROPHONE, { pid: 7700, flags: StreamFlags.systemSounds });
        await settle();
        try {
          const listed = await list(MICROPHONE);
          assertEqual(listed.filter((record) => record.isSystemSounds || record.pid === 7700).length, 0, 'System Sounds on the microphone');
          assertEqual(ofType(await take(), 'session-created').filter((event) => event.session.pid === 7700).length, 0, 'announced');
        } finally {
          double.releaseStream(capturedSystemSounds);
        }
      },
    ],
    [
      'volume, mute and channel volume: the exact float bits reach Core Audio, the echo carries the host context',
      async () => {
        double.floatLog();
        await take();
        const id = byPid(7001).id;
        await backend.setSessionVolume(id, 0.3, hostContext);
        await backend.setChannelVolume(id, 1, 0.5, hostContext);
        await backend.setSessionMute(id, true, hostContext);
        assertEqual(
          double.floatLog(),
          [`ISimpleAudioVolume::SetMasterVolume ${floatBits(0.3)}`, `IChannelAudioVolume::SetChannelVolume ${floatBits(0.5)}`],
          'floats received',
        );
        const echoes = ofType(await take(), 'volume-changed');
        assert(echoes.length >= 1, 'no volume-changed echo');
        assert(
          echoes.every((event) => event.eventContext === hostContext),
          `echo contexts ${JSON.stringify(echoes.map((event) => event.eventContext))}`,
        );
        const record = (await list(SPEAKERS)).find((candidate) => candidate.id === id);
        assertClose(record?.volume ?? -1, 0.3, 'volume read back');
        assertEqual(record?.muted, true, 'muted read back');
        assertClose(record?.channelVolumes[1] ?? -1, 0.5, 'channel 1 read back');
      },
    ],
    [
      'defect 10 (races): Set* calls on one session land in the order they were made, the last value wins',
      async () => {
        await take();
        const id = byPid(7001).id;
        const drag = Array.from({ length: 30 }, (_, step) => Math.round((0.2 + step * 0.02) * 100) / 100);
        double.floatLog();
        await Promise.all(drag.map((volume) => backend.setSessionVolume(id, volume, hostContext)));
        assertEqual(double.floatLog(), drag.map((volume) => `ISimpleAudioVolume::SetMasterVolume ${floatBits(volume)}`), 'floats in order');
        const record = (await list(SPEAKERS)).find((candidate) => candidate.id === id);
        assertClose(record?.volume ?? -1, drag.at(-1) ?? -1, 'volume read back');
        await take();
      },
    ],
    [
      'defect 10 (races): a session created as the first enumeration runs is neither lost nor doubled (created after RegisterSessionNotification, or after the snapshot)',
      async () => {
        await take();
        const outcomes: string[] = [];
        for (const [pid, moment] of [[7810, 'registration'], [7811, 'snapshot']] as const) {
          double.hookSession(SPEAKERS, moment, newGuid(), pid);
          const fresh = await createCoreAudioBackend({ onWarning: (message) => warnings.push(message) });
          const freshEvents: BackendEvent[] = [];
          fresh.subscribe((event) => freshEvents.push(event));
          try {
            const first = await fresh.listSessions(SPEAKERS);
            await settle();
            const stream = double.hookStream();
            assert(stream > 0, `the ${moment} hook did not run`);
            const listedFirst = first.filter((record) => record.pid === pid).length;
            const announced = ofType(freshEvents, 'session-created').filter((event) => event.session.pid === pid).length;
            const later = (await fresh.listSessions(SPEAKERS)).filter((record) => record.pid === pid).length;
            outcomes.push(`${moment}: listed ${listedFirst}, announced ${announced}, listed later ${later}`);
            assertEqual([listedFirst + announced, later], [1, 1], `${moment}: in the first listing + announced, then listed`);
            double.releaseStream(stream);
          } finally {
            await fresh.close();
          }
        }
        await take();
        return outcomes.join('; ');
      },
    ],
    [
      'device volume: the exact float bits reach IAudioEndpointVolume',
      async () => {
        double.floatLog();
        await backend.setDeviceVolume(SPEAKERS, 0.25);
        assertEqual(double.floatLog(), [`IAudioEndpointVolume::SetMasterVolumeLevelScalar ${floatBits(0.25)}`], 'floats received');
        const changed = ofType(await take(), 'device-changed');
        assert(
          changed.some((event) => event.device.id === SPEAKERS && event.device.volume === 0.25),
          'no device-changed with 0.25',
        );
      },
    ],
    [
      "another app's changes arrive from the double's thread: name, icon, volume, grouping, state",
      async () => {
        await take();
        const id = byPid(7002).id;
        const grouping = newGuid();
        double.setDisplayName(player, 'Music Player — Album', otherApp);
        double.setIconPath(player, '%SystemRoot%\\System32\\user32.dll,-32512', otherApp);
        double.setSessionVolume(player, 0.5, false, otherApp);
        double.setGroupingParam(player, grouping, otherApp);
        double.startStream(player);
        const got = (await take()).filter((event) => 'sessionId' in event && event.sessionId === id);
        assertEqual(
          got.map((event) => event.type),
          ['display-name-changed', 'icon-changed', 'volume-changed', 'grouping-changed', 'state-changed'],
          'events',
        );
        const [renamed, , volume, grouped, state] = got;
        assertEqual(renamed?.type === 'display-name-changed' && renamed.displayName, 'Music Player — Album', 'name');
        assertEqual(volume?.type === 'volume-changed' && [volume.volume, volume.eventContext], [0.5, canonicalGuid(otherApp)], 'volume');
        assertEqual(grouped?.type === 'grouping-changed' && canonicalGuid(grouped.groupingParam), canonicalGuid(grouping), 'grouping');
        assertEqual(state?.type === 'state-changed' && state.state, 'active', 'state');
      },
    ],
    [
      'a new session is announced (IAudioSessionNotification from the double\'s thread) with its name',
      async () => {
        await take();
        const chat = double.openStream(HEADPHONES, { pid: 7010 });
        await list(HEADPHONES);
        await take();
        const call = double.openStream(SPEAKERS, { pid: 7011, sessionGuid: newGuid() });
        double.setDisplayName(call, 'Video Call');
        const created = ofType(await take(), 'session-created');
        assertEqual(
          created.map((event) => event.session.pid),
          [7011],
          'session-created',
        );
        assertEqual((await list(SPEAKERS)).find((record) => record.pid === 7011)?.displayName, 'Video Call', 'name once set');
        double.releaseStream(chat);
      },
    ],
    [
      'endpoints appear, change and become default: device notifications',
      async () => {
        await take();
        const usb = endpointId(0, 5);
        double.addEndpoint(usb, 'USB Headset', 'render');
        await settle();
        double.renameEndpoint(usb, 'USB Headset (renamed)');
        double.setDefault('render', 'multimedia', usb);
        double.setEndpointState(HDMI, DeviceStateFlag.DEVICE_STATE_ACTIVE);
        double.setEndpointVolume(SPEAKERS, 0.75, false, otherApp);
        const got = await take();
        const added = ofType(got, 'device-added');
        assertEqual(added.map((event) => event.device.name), ['USB Headset'], 'device-added');
        const defaults = ofType(got, 'default-device-changed');
        assertEqual(defaults, [{ type: 'default-device-changed', flow: 'render', role: 'multimedia', deviceId: usb }], 'default');
        const changed = ofType(got, 'device-changed').map((event) => `${event.device.name}:${event.device.state}:${event.device.volume}`);
        assert(changed.includes('USB Headset (renamed):active:1'), `no rename in ${JSON.stringify(changed)}`);
        assert(changed.some((line) => line.startsWith('HDMI Display:active')), `no HDMI state change in ${JSON.stringify(changed)}`);
        assert(changed.includes('Speakers (Double Audio):active:0.75'), `no volume change in ${JSON.stringify(changed)}`);
      },
    ],
    [
      'defect 8 (polling cost): default roles come from OnDefaultDeviceChanged, not GetDefaultAudioEndpoint on each poll and volume event; window titles are walked once per pid',
      async () => {
        const defaultReads = () =>
          double
            .calls()
            .byMethod.filter((line) => line.endsWith(' IMMDeviceEnumerator::GetDefaultAudioEndpoint'))
            .reduce((sum, line) => sum + Number.parseInt(line, 10), 0);
        await backend.listDevices();
        defaultReads();
        const devices = await backend.listDevices();
        assertEqual(defaultReads(), 0, 'GetDefaultAudioEndpoint calls in a poll');
        const usb = devices.find((device) => device.name === 'USB Headset (renamed)');
        assertEqual(usb?.defaultFor, ['multimedia'], 'the default role the notification gave');
        double.setEndpointVolume(SPEAKERS, 0.5, false, otherApp);
        await take();
        assertEqual(defaultReads(), 0, 'GetDefaultAudioEndpoint calls for a volume event');

        const shell = createWin32Shell();
        const walks: number[][] = [];
        const counting = {
          ...shell,
          mainWindowTitles: (pids: readonly number[]) => {
            walks.push([...pids]);
            return shell.mainWindowTitles(pids);
          },
        };
        const system = new ComAudioSystem(comRuntime(), counting);
        const polled = await createCoreAudioBackend({ system, onWarning: (message) => warnings.push(message) });
        let afterFirstPoll: number;
        try {
          await polled.listSessions(SPEAKERS);
          afterFirstPoll = walks.length;
          for (let poll = 0; poll < 3; poll++) await polled.listSessions(SPEAKERS);
        } finally {
          await polled.close();
        }
        const walked = walks.flat();
        assertEqual(walked.length, new Set(walked).size, `each pid walked for once (walks ${JSON.stringify(walks)})`);
        assertEqual(walks.length - afterFirstPoll, 0, 'window walks in the three polls after the first');
      },
    ],
    [
      'ducking: a communication stream ducks a session, and undocks it',
      async () => {
        await take();
        const record = byPid(7002);
        assert(backend.capabilities.ducking, 'ducking not supported');
        double.duck(SPEAKERS, record.sessionInstanceIdentifier, 1);
        double.duck(SPEAKERS, record.sessionInstanceIdentifier, -1);
        const got = (await take()).filter((event) => event.type === 'duck' || event.type === 'unduck');
        assertEqual(
          got,
          [
            { type: 'duck', deviceId: SPEAKERS, sessionId: record.id, communicationSessions: 1 },
            { type: 'unduck', deviceId: SPEAKERS, sessionId: record.id },
          ],
          'duck events',
        );
      },
    ],
    [
      'peak meters read through IAudioMeterInformation of each session',
      async () => {
        double.setSessionPeak(game, 0.5);
        const peaks = await backend.getPeaks([byPid(7001).id]);
        assertClose(peaks[byPid(7001).id] ?? -1, 0.5, 'peak');
      },
    ],
    [
      'a session expires (its process ended): its streams stop, then state-changed to expired',
      async () => {
        await take();
        const id = byPid(7002).id;
        double.expireSession(player);
        const got = ofType(await take(), 'state-changed').filter((event) => event.sessionId === id);
        assertEqual(got.map((event) => event.state), ['inactive', 'expired'], 'states');
      },
    ],
    [
      'every disconnect reason reaches the session as its name',
      async () => {
        await take();
        const reasons = Object.keys(AudioSessionDisconnectReason) as DisconnectReasonName[];
        const streams = reasons.map((_, index) => double.openStream(HEADPHONES, { pid: 7100 + index }));
        await list(HEADPHONES);
        await take();
        reasons.forEach((reason, index) => double.disconnectSession(streams[index] ?? 0, reason));
        const got = ofType(await take(), 'disconnected');
        const byId = new Map([...sessions.values()].map((record) => [record.id, record.pid]));
        assertEqual(
          got.map((event) => [byId.get(event.sessionId), event.reason]),
          reasons.map((_, index) => [7100 + index, DISCONNECT_REASONS[index]]),
          'disconnect events',
        );
      },
    ],
    [
      "defect 2 (dead record): after a disconnect, the app's new session of the same identity replaces the record and is controllable",
      async () => {
        await take();
        const guid = newGuid();
        const first = double.openStream(HEADPHONES, { pid: 7500, sessionGuid: guid });
        await settle();
        const before = (await list(HEADPHONES)).find((record) => record.pid === 7500);
        assert(before, 'the session of pid 7500 is not listed');
        double.disconnectSession(first, 'DisconnectReasonFormatChanged');
        await settle();
        const again = double.openStream(HEADPHONES, { pid: 7500, sessionGuid: guid });
        await settle();
        double.floatLog();
        try {
          await backend.setSessionVolume(before.id, 0.4, hostContext);
          assertEqual(double.floatLog(), [`ISimpleAudioVolume::SetMasterVolume ${floatBits(0.4)}`], 'floats received');
          const after = (await list(HEADPHONES)).find((record) => record.id === before.id);
          assertEqual(after?.disconnected, null, 'the record once the app came back');
        } finally {
          double.releaseStream(again);
        }
      },
    ],
    [
      'defect 3 (lifetime): a notified session the enumerator does not hold yet stays through polls; a disconnected one is let go of at once',
      async () => {
        await take();
        const hidden = double.openStream(SPEAKERS, { pid: 7600, flags: StreamFlags.hiddenFromEnumeration });
        const created = ofType(await take(), 'session-created');
        assertEqual(created.map((event) => event.session.pid), [7600], 'session-created');
        for (let poll = 1; poll <= 2; poll++) assert((await list(SPEAKERS)).some((record) => record.pid === 7600), `gone at poll ${poll}`);
        const terminated = ofType(await take(), 'state-changed').filter((event) => event.terminated && event.sessionId === created[0]?.session.id);
        assertEqual(terminated, [], 'terminated');
        const registered = () => double.ledger().filter((line) => line.includes('sink still registered')).length;
        const before = registered();
        double.disconnectSession(hidden, 'DisconnectReasonSessionLogoff');
        await settle();
        assertEqual(before - registered(), 1, 'sinks let go of on the disconnect');
        assert(!(await list(SPEAKERS)).some((record) => record.pid === 7600), 'the disconnected record outlived a listing without it');
        double.releaseStream(hidden);
      },
    ],
    [
      'defect 3 (lifetime): an expired session keeps its record but not its control or sink, so Windows can let it go; a new stream of its identity is followed again',
      async () => {
        await take();
        const guid = newGuid();
        const first = double.openStream(HEADPHONES, { pid: 7820, sessionGuid: guid });
        await settle();
        const record = (await list(HEADPHONES)).find((candidate) => candidate.pid === 7820);
        assert(record, 'the session of pid 7820 is not listed');
        const sinks = registrations().length;
        double.expireSession(first);
        const states = ofType(await take(), 'state-changed').filter((event) => event.sessionId === record.id);
        assertEqual(states.map((event) => [event.state, event.terminated]), [['expired', false]], 'states on expiry');
        assertEqual(heldFor(7820), [], 'objects of the expired session still held');
        assertEqual(sinks - registrations().length, 1, 'sinks let go of on expiry');
        // Nothing holds it: the double lets it go, and the next listing reports it ended.
        for (let poll = 0; poll < 2; poll++) await list(HEADPHONES);
        const ended = ofType(await take(), 'state-changed').filter((event) => event.sessionId === record.id && event.terminated);
        assertEqual(ended.length, 1, 'terminated once the service let it go');

        // The same identity again: a new session, followed and controllable under the same id.
        const again = double.openStream(HEADPHONES, { pid: 7820, sessionGuid: guid });
        await settle();
        try {
          double.floatLog();
          await backend.setSessionVolume(record.id, 0.45, hostContext);
          assertEqual(double.floatLog(), [`ISimpleAudioVolume::SetMasterVolume ${floatBits(0.45)}`], 'floats received');
          assertEqual((await list(HEADPHONES)).filter((candidate) => candidate.id === record.id).length, 1, 'listed once');
        } finally {
          double.releaseStream(again);
        }
        await take();
      },
    ],
    [
      "calls per poll (listDevices + listSessions of every device), counted by the double",
      async () => {
        double.calls();
        for (const device of await backend.listDevices()) if (device.state === 'active') await backend.listSessions(device.id);
        const { total, byMethod } = double.calls();
        figures.callsPerPoll = total;
        figures.callsPerPollByMethod = byMethod.join('; ');
        return `${total} COM calls`;
      },
    ],
    [
      'after a FormatChanged disconnect the same identity comes back as a new control (IAudioSessionNotification), the old one invalidated',
      async () => {
        const guid = newGuid();
        const first = double.openStream(HEADPHONES, { pid: 7400, sessionGuid: guid });
        // The backend reads the new session before it goes (a session gone before it was read
        // makes the backend warn: left to the backend's own tests).
        await settle();
        const system = openWindowsAudioSystem();
        const endpoint = system.openEndpoint(HEADPHONES);
        const manager = endpoint.sessionManager();
        const created: SessionControl[] = [];
        const watch = await manager.watchSessions((control) => created.push(control));
        const old = manager.listSessions();
        try {
          const before = old.find((control) => control.owner().pid === 7400);
          assert(before, 'the first session is not listed');
          const identifier = before.sessionIdentifier();
          double.disconnectSession(first, 'DisconnectReasonFormatChanged');
          const again = double.openStream(HEADPHONES, { pid: 7400, sessionGuid: guid });
          await settle();
          assertEqual(created.map((control) => control.sessionIdentifier()), [identifier], 'a new control, the same identity');
          assertEqual(created[0]?.state(), 'inactive', 'the new control answers');
          let invalidated: unknown = null;
          try {
            before.state();
          } catch (error) {
            invalidated = error;
          }
          assert(isComError(invalidated, AUDCLNT_E_DEVICE_INVALIDATED), `the old control: ${String(invalidated)}`);
          double.releaseStream(again);
        } finally {
          await watch.stop();
          for (const control of [...old, ...created]) control.release();
          endpoint.release();
          await system.close();
        }
      },
    ],
    [
      'the audio service stops: sessions disconnect with server-shutdown, new calls answer AUDCLNT_E_SERVICE_NOT_RUNNING, then it is back',
      async () => {
        await take();
        double.stopService();
        const got = ofType(await take(), 'disconnected');
        assert(got.length > 0 && got.every((event) => event.reason === 'server-shutdown'), `disconnects ${JSON.stringify(got)}`);
        const com = comRuntime();
        const enumerator = com.createInstance(CLSID_MMDeviceEnumerator, IMMDeviceEnumerator);
        const device = com.invoke(enumerator, 'GetDevice', SPEAKERS).out[0];
        assert(device, 'no device');
        let failure: unknown = null;
        try {
          com.release(com.invoke(device, 'Activate', IAudioSessionManager2, CLSCTX_ALL, 0n).out[0]);
        } catch (error) {
          failure = error;
        }
        double.startService();
        const manager = com.invoke(device, 'Activate', IAudioSessionManager2, CLSCTX_ALL, 0n).out[0];
        com.releaseAll([manager, device, enumerator]);
        assert(isComError(failure, AUDCLNT_E_SERVICE_NOT_RUNNING), `Activate while stopped: ${String(failure)}`);
      },
    ],
    [
      'defect 7 (service restart): the outage is reported, the old sinks stopped, and once the service is back devices and sessions are followed again with one registration each',
      async () => {
        await take();
        const changes: (string | null)[] = [];
        const stopListening = (backend as AudioBackend).onConnectionChange?.((disconnected) => changes.push(disconnected));
        assert(stopListening, 'the backend reports no connection changes');
        const playing = double.openStream(SPEAKERS, { pid: 7900 });
        try {
          // Followed again after the previous check's restart, with a session of this run.
          await poll();
          await settle();
          assert((await list(SPEAKERS)).some((candidate) => candidate.pid === 7900 && candidate.disconnected === null), 'pid 7900 followed');
          await take();
          changes.length = 0;
          const gameId = byPid(7001).id;
          double.stopService();
          const disconnects = ofType(await take(), 'disconnected');
          assert(disconnects.length > 0 && disconnects.every((event) => event.reason === 'server-shutdown'), `disconnects ${JSON.stringify(disconnects)}`);
          for (let round = 0; round < 3; round++) await poll();
          await settle();
          assertEqual(changes.length, 1, `connection changes while stopped: ${JSON.stringify(changes)}`);
          assert(typeof changes[0] === 'string' && /audio service/i.test(changes[0]), `the outage reported as ${JSON.stringify(changes[0])}`);
          const activeDevices = (await backend.listDevices()).filter((device) => device.state === 'active').length;
          const kind = (lines: string[], name: string) => lines.filter((line) => line.startsWith(`${name} `)).length;
          const stopped = registrations();
          assertEqual(
            ['IAudioSessionNotification', 'IAudioSessionEvents', 'IAudioVolumeDuckNotification'].map((name) => kind(stopped, name)),
            [0, 0, 0],
            `session sinks registered while the service is stopped (${stopped.join('; ')})`,
          );
          // Endpoint volume is not the service's in the double: one callback per active device, never more.
          assertEqual(kind(stopped, 'IAudioEndpointVolumeCallback'), activeDevices, 'endpoint volume callbacks while stopped');
          assert(
            (await list(SPEAKERS)).every((candidate) => candidate.disconnected === 'server-shutdown'),
            'sessions listed while the service is stopped are marked server-shutdown',
          );

          // The service is back; apps open their streams again (new session objects).
          double.startService();
          const gameAgain = double.openStream(SPEAKERS, { pid: 7001, sessionGuid: gameGuid, exe: GAME_EXE });
          const newcomer = double.openStream(HEADPHONES, { pid: 7901 });
          await poll();
          await settle();
          assertEqual(changes, [changes[0], null], 'connection changes once the service is back');
          const afterRecovery = registrations();
          for (let round = 0; round < 3; round++) await poll();
          await settle();
          assertEqual(registrations(), afterRecovery, 'sinks registered, three polls later');
          assertEqual(
            ['IAudioSessionNotification', 'IAudioVolumeDuckNotification', 'IAudioEndpointVolumeCallback'].map((name) => kind(afterRecovery, name)),
            [activeDevices, activeDevices, activeDevices],
            'session, duck and endpoint volume sinks after the restart (one per active device)',
          );
          const created = ofType(await take(), 'session-created').map((event) => event.session.id);
          assertEqual(created.length, new Set(created).size, `session-created announced twice: ${JSON.stringify(created)}`);
          const gameRecord = (await list(SPEAKERS)).find((candidate) => candidate.id === gameId);
          assertEqual(gameRecord?.disconnected, null, 'the game after the restart');
          assert((await list(HEADPHONES)).some((candidate) => candidate.pid === 7901), 'the newcomer is listed');
          double.floatLog();
          await backend.setSessionVolume(gameId, 0.6, hostContext);
          assertEqual(double.floatLog(), [`ISimpleAudioVolume::SetMasterVolume ${floatBits(0.6)}`], 'floats received');
          double.releaseStream(gameAgain);
          double.releaseStream(newcomer);
          await take();
        } finally {
          stopListening?.();
          double.releaseStream(playing);
        }
      },
    ],
    [
      "the sink thread answers while Node's main thread is in a long native call it makes for the first time (ffi-rs's table lock covers a lookup, never a call)",
      async () => {
        const { stream, control, close } = await ownSessionOf(7310);
        try {
          assert(control, 'the session of pid 7310 is not listed');
          const renamed: string[] = [];
          const watch = await control.watch({ ...IGNORE_SESSION_EVENTS, displayNameChanged: (name) => renamed.push(name) });
          // ffi-rs has not seen dbl_slow_call before: this is its first lookup and call, 400 ms long,
          // while the double's thread delivers the rename to the sink thread.
          double.slowCall(stream, 'Renamed during a long call', 400);
          await settle();
          await watch.stop();
          assertEqual(renamed, ['Renamed during a long call'], 'renames handed on');
          assertEqual(double.violations().filter((line) => line.startsWith('watchdog:')), [], 'watchdog reports');
        } finally {
          await close();
          double.releaseStream(stream);
          await take();
        }
      },
    ],
    [
      'the double lets go of registrations only after a delivery in flight (dbl_session_drop_registrations waits, as Unregister* does)',
      async () => {
        const { stream, control, close } = await ownSessionOf(7320);
        let deliveringWhenDropped: boolean | undefined;
        try {
          assert(control, 'the session of pid 7320 is not listed');
          const watches = [await control.watch(IGNORE_SESSION_EVENTS), await control.watch(IGNORE_SESSION_EVENTS)];
          double.slowDelivery(300);
          double.setDisplayName(stream, 'Renamed while its registrations go');
          for (let waited = 0; !double.delivering() && waited < 2000; waited += 5) await new Promise((done) => setTimeout(done, 5));
          assert(double.delivering(), 'the rename was never in delivery');
          double.dropRegistrations(stream);
          deliveringWhenDropped = double.delivering();
          await settle();
          for (const watch of watches) await watch.stop().catch(() => undefined);
        } finally {
          await close();
          double.releaseStream(stream);
          await take();
          // The backend's own registration went with the others: its Unregister answers E_NOTFOUND (and warns), as it should.
          expectedWarnings.push('IAudioSessionControl2.UnregisterAudioSessionNotification failed: E_NOTFOUND');
        }
        assertEqual(deliveringWhenDropped, false, 'a delivery still in flight when the registrations were freed');
      },
    ],
    [
      "a lent control is AddRef'd into live memory after the sink thread's garbage collections (the Wine heap corruption)",
      async () => {
        const heapIsValid = () => {
          open({ library: 'kernel32', path: 'kernel32.dll' });
          const heap = load({ library: 'kernel32', funcName: 'GetProcessHeap', retType: DataType.BigInt, paramsType: [], paramsValue: [] });
          const valid = load({
            library: 'kernel32', funcName: 'HeapValidate', retType: DataType.I32,
            paramsType: [DataType.BigInt, DataType.I32, DataType.BigInt], paramsValue: [heap, 0, 0n],
          });
          return valid !== 0;
        };
        assert(heapIsValid(), 'the process heap is corrupt before the check');
        const { stream, control, close } = await ownSessionOf(7330);
        const newcomers: number[] = [];
        let renames = 0;
        try {
          assert(control, 'the session of pid 7330 is not listed');
          const watch = await control.watch({ ...IGNORE_SESSION_EVENTS, displayNameChanged: () => void renames++ });
          // Long lent names: the sink thread copies each (megabytes in all), so its garbage collector runs.
          for (let round = 0; round < 600; round++) double.setDisplayName(stream, `${round} ${'x'.repeat(4000)}`);
          await settle();
          await watch.stop();
          // Then sessions appear: the backend's OnSessionCreated sink is lent a control, which the sink thread AddRefs.
          for (let pid = 7331; pid <= 7335; pid++) newcomers.push(double.openStream(HEADPHONES, { pid }));
          await settle();
        } finally {
          await close();
          for (const newcomer of [stream, ...newcomers]) double.releaseStream(newcomer);
          await take();
        }
        assertEqual(renames, 600, 'renames handed on');
        assert(heapIsValid(), 'the process heap is corrupt after the lent controls were AddRef\'d');
      },
    ],
    [
      'shutdown: the double holds no reference and no registration once the backend closed',
      async () => {
        await backend.close();
        await settle();
        assertEqual(double.ledger(), [], 'outstanding in the double');
        assertEqual(comRuntime().liveReferences(), {}, 'live references in the runtime');
      },
    ],
    [
      'no contract violation: apartment, released objects, deadlocks, the 200 ms watchdog',
      () => {
        assertEqual(double.violations(), [], 'violations');
        // What a check caused on purpose leaves the warnings (once each); the rest stay for "logged no warnings".
        for (const expected of expectedWarnings) {
          const index = warnings.findIndex((warning) => warning.includes(expected));
          assert(index >= 0, `the expected warning never came: ${expected}`);
          warnings.splice(index, 1);
        }
      },
    ],
  ];
  // Streams never started keep their sessions inactive; `own` and `packaged` only need to exist.
  void own;
  void packaged;
  void systemSounds;
  return runChecks(checks, reportPath, { figures, warnings });
}

const [reportPath, dllPath] = process.argv.slice(2);
if (!reportPath || !dllPath) throw new Error('usage: double.cjs <report.json> <double.dll>');
main(reportPath, dllPath).then(
  (ok) => setTimeout(() => process.exit(ok ? 0 : 1), 200),
  (error: unknown) => {
    writeFileSync(
      reportPath,
      JSON.stringify({ planned: [], results: [], figures: {}, warnings: [], fatal: String((error as Error).stack ?? error) }),
    );
    process.exit(2);
  },
);
