// Runs under Windows Node in Wine (bundled by harness.ts): the coreaudio backend's own
// code against Wine's Core Audio, with streams of our own in several sessions.
// Usage: node integration.cjs <report.json>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newGuid } from '../../com/guid';
import { E_NOINTERFACE, S_OK } from '../../com/hresult';
import { CLSCTX_ALL, IUnknown, type ComRef } from '../../com/interface';
import { comRuntime } from '../../com/runtime';
import type { Sink } from '../../com/sink';
import type { BackendEvent } from '../../types';
import type { BackendError } from '../../types';
import { createCoreAudioBackend } from '../backend';
import { AudioSessionState, DeviceStateFlag, EDataFlow, ERole, PropertyKeys } from '../constants';
import { IAudioEndpointVolumeCallback } from '../interfaces/IAudioEndpointVolumeCallback';
import { IAudioSessionControl2 } from '../interfaces/IAudioSessionControl2';
import { IAudioSessionEvents } from '../interfaces/IAudioSessionEvents';
import { IAudioSessionManager2 } from '../interfaces/IAudioSessionManager2';
import { IAudioSessionNotification } from '../interfaces/IAudioSessionNotification';
import { IAudioVolumeDuckNotification } from '../interfaces/IAudioVolumeDuckNotification';
import type { IMMDevice } from '../interfaces/IMMDevice';
import { CLSID_MMDeviceEnumerator, IMMDeviceEnumerator } from '../interfaces/IMMDeviceEnumerator';
import { IMMNotificationClient } from '../interfaces/IMMNotificationClient';
import type { ISimpleAudioVolume } from '../interfaces/ISimpleAudioVolume';
import { AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT } from '../structs';
import { openWindowsAudioSystem } from '../windows';
import { assert, assertClose, assertEqual, expectRejection, runChecks, type Check } from './checks';
import { decodePngDataUrl, writeTestIcon } from './icon-fixture';
import { TestStream } from './streams';

async function main(reportPath: string): Promise<boolean> {
  const com = comRuntime();
  const warnings: string[] = [];
  const events: BackendEvent[] = [];
  // The engine host spells its context in lower case: echoes must come back spelled the same.
  const hostContext = newGuid().toLowerCase();
  const streams = new Map<string, TestStream>();
  const guids = [newGuid(), newGuid(), newGuid()] as const;
  const [guidA, guidB, guidC] = guids;

  const enumerator = com.createInstance(CLSID_MMDeviceEnumerator, IMMDeviceEnumerator);
  const defaultDevice = com.invoke(enumerator, 'GetDefaultAudioEndpoint', EDataFlow.eRender, ERole.eConsole).out[0] as ComRef<
    typeof IMMDevice
  >;
  const defaultId = com.invoke(defaultDevice, 'GetId').out[0] ?? '';
  for (const guid of guids) streams.set(guid, TestStream.open(com, defaultDevice, guid));

  const system = openWindowsAudioSystem({
    channelVolumeFor: (_deviceId, sessionGuid) => streams.get(sessionGuid)?.channelVolume() ?? null,
    onError: (error) => warnings.push(`notification: ${String(error)}`),
  });
  const backend = await createCoreAudioBackend({ system, pollIntervalMs: 500, onWarning: (message) => warnings.push(message) });
  backend.subscribe((event) => events.push(event));

  const ids: Record<string, string> = {};
  const sessionId = (guid: string): string => {
    const id = ids[guid];
    assert(id, `session ${guid} is not tracked`);
    return id;
  };
  const sessionNamed = async (guid: string) => {
    const found = (await backend.listSessions(defaultId)).find((session) => session.id === sessionId(guid));
    assert(found, `session ${guid} is not listed`);
    return found;
  };
  /** Waits for events a sink call queued (handlers run on setImmediate after the native caller is answered). */
  const settle = () => new Promise((done) => setTimeout(done, 50));
  const takeEvents = async () => {
    await settle();
    return events.splice(0);
  };

  /** Calls a sink method the way Core Audio does: from a native thread other than Node's main one. */
  const fromNativeThread = com.invokeAtOffThread.bind(com);

  const sinksOf = (name: string): Sink[] => com.sinks.liveSinks().filter((sink) => sink.iface.name === name);

  function nativeFloats(values: number[]): bigint {
    const address = com.allocate(values.length * 4);
    const bytes = Buffer.alloc(values.length * 4);
    values.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
    com.write(address, bytes);
    return address;
  }

  const iconFile = join(process.cwd(), 'sndmix-test-icon.ico');
  writeTestIcon(iconFile);

  const checks: Check[] = [
    [
      'capabilities: Wine stubs become "not supported" (meters at start, device volume at its first call), the rest stays',
      async () => {
        assertEqual(backend.capabilities.deviceVolume, true, 'deviceVolume before any call (nothing written at start)');
        let failure: unknown = null;
        await backend.setDeviceVolume(defaultId, 0.5).catch((error: unknown) => (failure = error));
        assertEqual((failure as { code?: string } | null)?.code, 'not-supported', 'setDeviceVolume (SetMasterVolumeLevelScalar is E_NOTIMPL)');
        assertEqual(backend.capabilities.deviceVolume, false, 'deviceVolume after the first call');
        assertEqual(backend.capabilities.peakMeters, false, 'peakMeters (no IAudioMeterInformation)');
        assertEqual(backend.capabilities.icons, true, 'icons');
        assertEqual(backend.capabilities.channelVolumes, true, 'channelVolumes');
        return JSON.stringify(backend.capabilities);
      },
    ],
    [
      'devices: render and capture endpoints with friendly names and states',
      async () => {
        const devices = await backend.listDevices();
        const render = devices.filter((device) => device.flow === 'render');
        assert(render.length >= 2, `expected the PulseAudio default and the null sink, got ${render.length} render devices`);
        assert(
          devices.some((device) => /null output/i.test(device.name)),
          `no "Null Output" among ${devices.map((device) => device.name).join(', ')}`,
        );
        assert(
          devices.every((device) => device.name.length > 0 && device.id.length > 0),
          'a device without name or id',
        );
        assert(
          devices.every((device) => device.state === 'active'),
          'a device that is not active',
        );
        return devices.map((device) => `${device.flow}:${device.name}`).join('; ');
      },
    ],
    [
      "per-app output device: not supported in Wine's own prefix (no Windows.Media.Internal.AudioPolicyConfig class); volume ranges as Wine answers GetVolumeRange",
      async () => {
        assertEqual(backend.capabilities.outputDevice, false, 'capabilities.outputDevice');
        const devices = await backend.listDevices();
        // Wine 8's GetVolumeRange answers the same for every endpoint (measured): three distinct
        // floats through DispCallFunc's out-pointers.
        for (const device of devices) assertEqual(device.volumeRangeDb, { minDb: -100, maxDb: 0, stepDb: 1, curve: 'linear-db' }, `${device.name}'s range`);
        return devices.map((device) => `${device.name}: ${JSON.stringify(device.volumeRangeDb)}`).join('; ');
      },
    ],
    [
      'default device: the render default has every role, as IMMDeviceEnumerator says',
      async () => {
        const devices = await backend.listDevices();
        const defaults = devices.filter((device) => device.flow === 'render' && device.defaultFor.length > 0);
        assertEqual(
          defaults.map((device) => device.id),
          [defaultId],
          'render devices with a default role',
        );
        assertEqual([...(defaults[0]?.defaultFor ?? [])].sort(), ['communications', 'console', 'multimedia'], 'roles');
      },
    ],
    [
      'endpoint volume read through IAudioEndpointVolume',
      async () => {
        const device = (await backend.listDevices()).find((candidate) => candidate.id === defaultId);
        assert(
          device && typeof device.volume === 'number' && device.volume >= 0 && device.volume <= 1,
          `volume ${device?.volume}`,
        );
        assertEqual(typeof device.muted, 'boolean', 'muted');
        return `volume ${device.volume}, muted ${device.muted}`;
      },
    ],
    [
      'device mute set and read back through IAudioEndpointVolume',
      async () => {
        assertEqual(backend.capabilities.deviceMute, true, 'deviceMute (Wine implements SetMute)');
        await backend.setDeviceMute(defaultId, true);
        const muted = (await backend.listDevices()).find((device) => device.id === defaultId);
        await backend.setDeviceMute(defaultId, false);
        const unmuted = (await backend.listDevices()).find((device) => device.id === defaultId);
        assertEqual([muted?.muted, unmuted?.muted], [true, false], 'muted after set, then unmuted');
      },
    ],
    [
      'sessions by GUID: this process, render flow, R1 identity, stable ids',
      async () => {
        for (const guid of guids) {
          const record = await backend.trackSession(defaultId, guid);
          ids[guid] = record.id;
          assertEqual(record.sessionGuid, guid, 'sessionGuid');
          assertEqual(record.pid, process.pid, 'pid (GetProcessId)');
          assertEqual(record.crossProcess, false, 'crossProcess');
          assertEqual(record.flow, 'render', 'flow');
          assertEqual(record.deviceId, defaultId, 'deviceId');
          assertEqual(record.isSystemSounds, false, 'isSystemSounds (S_FALSE)');
        }
        assertEqual(new Set(Object.values(ids)).size, 3, 'three distinct ids');
        const again = await backend.trackSession(defaultId, guidA.toLowerCase());
        assertEqual(again.id, sessionId(guidA), 'the same session tracked again (GUID spelled differently)');
        const created = (await takeEvents()).filter((event) => event.type === 'session-created');
        assertEqual(created.length, 3, 'session-created events');
      },
    ],
    [
      'listSessions: E_NOTIMPL enumeration degrades to the tracked sessions',
      async () => {
        const listed = await backend.listSessions(defaultId);
        assertEqual(listed.map((session) => session.id).sort(), Object.values(ids).sort(), 'listed ids');
      },
    ],
    [
      'state follows Start/Stop: inactive -> active -> inactive',
      async () => {
        assertEqual((await sessionNamed(guidA)).state, 'inactive', 'before Start');
        streams.get(guidA)?.start();
        assertEqual((await sessionNamed(guidA)).state, 'active', 'after Start');
        assertEqual((await sessionNamed(guidB)).state, 'inactive', 'another session');
        streams.get(guidA)?.stop();
        assertEqual((await sessionNamed(guidA)).state, 'inactive', 'after Stop');
      },
    ],
    [
      'volume and mute: set with the host event context, read back (backend and ISimpleAudioVolume)',
      async () => {
        await backend.setSessionVolume(sessionId(guidA), 0.3, hostContext);
        await backend.setSessionMute(sessionId(guidB), true, hostContext);
        const a = await sessionNamed(guidA);
        const b = await sessionNamed(guidB);
        assertClose(a.volume, 0.3, 'A volume');
        assertEqual(a.muted, false, 'A muted');
        assertEqual(b.muted, true, 'B muted');
        assertClose(b.volume, 1, 'B volume');
        const manager = com.invoke(defaultDevice, 'Activate', IAudioSessionManager2, CLSCTX_ALL, 0n).out[0] as ComRef<
          typeof IAudioSessionManager2
        >;
        const simple = com.invoke(manager, 'GetSimpleAudioVolume', guidA, 0).out[0] as ComRef<typeof ISimpleAudioVolume>;
        try {
          assertClose(com.invoke(simple, 'GetMasterVolume').out[0], 0.3, 'A volume read independently');
        } finally {
          com.releaseAll([simple, manager]);
        }
        await backend.setSessionMute(sessionId(guidB), false, hostContext);
        assertEqual((await sessionNamed(guidB)).muted, false, 'B unmuted');
      },
    ],
    [
      'channel volumes through IChannelAudioVolume',
      async () => {
        const before = await sessionNamed(guidC);
        assert(before.channelVolumes.length >= 1, `channels ${JSON.stringify(before.channelVolumes)}`);
        const last = before.channelVolumes.length - 1;
        await backend.setChannelVolume(sessionId(guidC), last, 0.5, hostContext);
        const after = await sessionNamed(guidC);
        assertClose(after.channelVolumes[last] ?? -1, 0.5, `channel ${last}`);
        const invalid = await expectRejection(
          backend.setChannelVolume(sessionId(guidC), last + 1, 0.5, hostContext),
          'channel out of range',
        );
        assertEqual((invalid as BackendError).code, 'invalid-argument', 'error code');
        return `channels ${JSON.stringify(after.channelVolumes)}`;
      },
    ],
    [
      'display name without a client name (GetDisplayName is E_NOTIMPL): the executable FileDescription',
      async () => {
        const record = await sessionNamed(guidA);
        assertEqual(record.displayNameSource, 'file-description', 'source');
        assertEqual(record.displayName, 'Node.js JavaScript Runtime', 'name');
        assertEqual(record.processName, 'node.exe', 'processName');
      },
    ],
    [
      "icon: the executable's icon rendered to PNG through Win32",
      async () => {
        const record = await sessionNamed(guidA);
        assert(record.icon, 'no icon');
        const png = decodePngDataUrl(record.icon);
        assertEqual([png.width, png.height], [32, 32], 'size');
        assert(png.opaquePixels > 0, 'an empty icon');
        return `${record.icon.length} bytes of data URL`;
      },
    ],
    [
      'icon paths: .ico file, "file,index" and "%SystemRoot%\\...,-resourceId" render; a missing file gives null',
      () => {
        const ico = system.renderIcon(iconFile);
        assert(ico, '.ico did not render');
        const png = decodePngDataUrl(ico);
        assertEqual(png.pixel(0, 0), [255, 0, 0, 255], 'top-left pixel of the test icon (opaque red)');
        assertEqual(png.pixel(31, 31)[3], 0, 'bottom-right pixel of the test icon is transparent');
        assert(system.renderIcon(`${process.execPath},0`), '"node.exe,0" did not render');
        assert(
          system.renderIcon('%SystemRoot%\\System32\\user32.dll,-32512'),
          '"user32.dll,-32512" (resource id IDI_APPLICATION) did not render',
        );
        assertEqual(system.renderIcon('C:\\nowhere\\missing.exe,0'), null, 'a missing file');
      },
    ],
    [
      'E_NOTIMPL paths: device volume and peaks report "not supported" without calling again',
      async () => {
        const volume = await expectRejection(backend.setDeviceVolume(defaultId, 0.5), 'device volume');
        assertEqual((volume as BackendError).code, 'not-supported', 'device volume error code');
        const peaks = await expectRejection(backend.getPeaks([sessionId(guidA)]), 'peaks');
        assertEqual((peaks as BackendError).code, 'not-supported', 'peaks error code');
        const stubWarnings = warnings.filter((warning) => /E_NOTIMPL/.test(warning));
        assertEqual(stubWarnings, [], 'warnings about stubs');
      },
    ],
    [
      'IAudioSessionEvents sinks, called from a native thread through DispCallFunc: all seven methods reach JS',
      async () => {
        const sinks = sinksOf('IAudioSessionEvents');
        assertEqual(sinks.length, 3, 'one sink per tracked session');
        // Which sink is whose: rename through each and see which session answers.
        const owner = new Map<Sink, string>();
        for (const [index, sink] of sinks.entries()) {
          const { hr } = await fromNativeThread(
            sink.address,
            IAudioSessionEvents,
            'OnDisplayNameChanged',
            `Probe ${index}`,
            hostContext,
          );
          assertEqual(hr, S_OK, 'OnDisplayNameChanged HRESULT');
          const renamed = (await takeEvents()).find((event) => event.type === 'display-name-changed');
          assert(renamed?.type === 'display-name-changed', 'no display-name-changed event');
          assertEqual(renamed.displayName, `Probe ${index}`, 'display name');
          assertEqual(renamed.displayNameSource, 'client', 'display name source');
          owner.set(sink, renamed.sessionId);
        }
        // A resource string as System Sounds uses ("@%SystemRoot%\\System32\\AudioSrv.Dll,-202"), resolved.
        const [first] = sinks;
        assert(first, 'no sink');
        await fromNativeThread(
          first.address,
          IAudioSessionEvents,
          'OnDisplayNameChanged',
          '@%SystemRoot%\\system32\\shell32.dll,-21',
          hostContext,
        );
        const indirect = (await takeEvents()).find((event) => event.type === 'display-name-changed');
        assertEqual(indirect?.type === 'display-name-changed' && indirect.displayName, 'My Computer', 'indirect display name');
        const sink = sinks.find((candidate) => owner.get(candidate) === sessionId(guidB));
        assert(sink, 'no sink for session B');
        const id = sessionId(guidB);
        const otherContext = newGuid();
        const calls: [string, () => Promise<{ hr: number }>, Partial<BackendEvent>][] = [
          [
            'OnIconPathChanged',
            () => fromNativeThread(sink.address, IAudioSessionEvents, 'OnIconPathChanged', iconFile, hostContext),
            { type: 'icon-changed', sessionId: id },
          ],
          [
            'OnSimpleVolumeChanged',
            () => fromNativeThread(sink.address, IAudioSessionEvents, 'OnSimpleVolumeChanged', 0.75, true, hostContext),
            { type: 'volume-changed', sessionId: id, volume: 0.75, muted: true, eventContext: hostContext },
          ],
          [
            'OnChannelVolumeChanged',
            async () => {
              const array = nativeFloats([0.25, 0.5]);
              try {
                return await fromNativeThread(
                  sink.address,
                  IAudioSessionEvents,
                  'OnChannelVolumeChanged',
                  2,
                  array,
                  1,
                  otherContext,
                );
              } finally {
                com.coTaskMemFree(array);
              }
            },
            {
              type: 'channel-volume-changed',
              sessionId: id,
              channelVolumes: [0.25, 0.5],
              changedChannel: 1,
              eventContext: otherContext,
            },
          ],
          [
            'OnGroupingParamChanged',
            () => fromNativeThread(sink.address, IAudioSessionEvents, 'OnGroupingParamChanged', guidC, otherContext),
            { type: 'grouping-changed', sessionId: id, groupingParam: guidC, eventContext: otherContext },
          ],
          [
            'OnStateChanged',
            () =>
              fromNativeThread(sink.address, IAudioSessionEvents, 'OnStateChanged', AudioSessionState.AudioSessionStateActive),
            { type: 'state-changed', sessionId: id, state: 'active', terminated: false },
          ],
          [
            'OnSessionDisconnected',
            () => fromNativeThread(sink.address, IAudioSessionEvents, 'OnSessionDisconnected', 0),
            { type: 'disconnected', sessionId: id, reason: 'device-removed' },
          ],
        ];
        for (const [method, call, expected] of calls) {
          const { hr } = await call();
          assertEqual(hr, S_OK, `${method} HRESULT`);
          const got = await takeEvents();
          assertEqual(got.length, 1, `${method}: events ${JSON.stringify(got)}`);
          const event = got[0] as unknown as Record<string, unknown>;
          for (const [key, value] of Object.entries(expected)) assertEqual(event[key], value, `${method} ${key}`);
          if (method === 'OnIconPathChanged')
            assert(decodePngDataUrl(String(event.icon)).width === 32, 'icon-changed carries the rendered icon');
        }
        const disconnected = await expectRejection(
          backend.setSessionVolume(id, 0.5, hostContext),
          'volume on a disconnected session',
        );
        assertEqual((disconnected as BackendError).code, 'disconnected', 'error code');
        assertEqual((await sessionNamed(guidB)).disconnected, 'device-removed', 'record marked disconnected');
      },
    ],
    [
      "a sink's IUnknown from a native thread: QueryInterface answers IUnknown and its IID only, AddRef/Release run no JS",
      async () => {
        const [sink] = sinksOf('IAudioSessionEvents');
        assert(sink, 'no sink');
        const asUnknown = await fromNativeThread(sink.address, IUnknown, 'QueryInterface', IUnknown);
        assertEqual(asUnknown.hr, S_OK, 'QI(IUnknown)');
        assertEqual(asUnknown.out[0]?.address, sink.address, 'QI(IUnknown) pointer');
        const asOwn = await fromNativeThread(sink.address, IUnknown, 'QueryInterface', IAudioSessionEvents);
        assertEqual(asOwn.hr, S_OK, 'QI(IAudioSessionEvents)');
        const asOther = await fromNativeThread(sink.address, IUnknown, 'QueryInterface', IMMNotificationClient);
        assertEqual(asOther.hr >>> 0, E_NOINTERFACE, 'QI(another IID)');
        assertEqual(asOther.out[0] ?? null, null, 'QI(another IID) pointer');
        // AddRef/Release are a native function (a static object: no JS runs, nothing waits on Node's main thread).
        for (const reference of [asUnknown.out[0], asOwn.out[0]]) await com.releaseOffThread(reference);
        const added = await fromNativeThread(sink.address, IUnknown, 'AddRef');
        assert(added.hr !== 0, 'AddRef answers a non-zero count');
        const released = await fromNativeThread(sink.address, IUnknown, 'Release');
        assert(released.hr !== 0, 'Release answers a non-zero count');
        assertEqual(sink.alive, true, 'the sink lives on: its lifetime is ours');
      },
    ],
    [
      'IMMNotificationClient and IAudioEndpointVolumeCallback sinks from a native thread: device events',
      async () => {
        const [client] = sinksOf('IMMNotificationClient');
        assert(client, 'the backend has no IMMNotificationClient sink');
        await fromNativeThread(
          client.address,
          IMMNotificationClient,
          'OnDefaultDeviceChanged',
          EDataFlow.eRender,
          ERole.eMultimedia,
          defaultId,
        );
        await fromNativeThread(
          client.address,
          IMMNotificationClient,
          'OnDefaultDeviceChanged',
          EDataFlow.eCapture,
          ERole.eConsole,
          null,
        );
        await fromNativeThread(
          client.address,
          IMMNotificationClient,
          'OnPropertyValueChanged',
          defaultId,
          PropertyKeys.PKEY_Device_FriendlyName,
        );
        await fromNativeThread(
          client.address,
          IMMNotificationClient,
          'OnDeviceStateChanged',
          defaultId,
          DeviceStateFlag.DEVICE_STATE_ACTIVE,
        );
        const got = await takeEvents();
        assertEqual(
          got.map((event) => event.type),
          ['default-device-changed', 'default-device-changed', 'device-changed', 'device-changed'],
          'event types',
        );
        assertEqual(got[0], { type: 'default-device-changed', flow: 'render', role: 'multimedia', deviceId: defaultId }, 'first');
        assertEqual(
          got[1],
          { type: 'default-device-changed', flow: 'capture', role: 'console', deviceId: null },
          'NULL device id',
        );
        const volumeSinks = sinksOf('IAudioEndpointVolumeCallback');
        assert(volumeSinks.length > 0, 'no IAudioEndpointVolumeCallback sink');
        const { offsets } = AUDIO_VOLUME_NOTIFICATION_DATA_LAYOUT;
        const data = Buffer.alloc(offsets.afChannelVolumes + 8);
        data.writeInt32LE(1, offsets.bMuted);
        data.writeFloatLE(0.5, offsets.fMasterVolume);
        data.writeUInt32LE(2, offsets.nChannels);
        const address = com.allocate(data.length);
        com.write(address, data);
        try {
          for (const sink of volumeSinks) await fromNativeThread(sink.address, IAudioEndpointVolumeCallback, 'OnNotify', address);
        } finally {
          com.coTaskMemFree(address);
        }
        const changed = (await takeEvents()).filter((event) => event.type === 'device-changed');
        assertEqual(changed.length, volumeSinks.length, 'one device-changed per endpoint notified');
        assert(
          changed.every((event) => event.type === 'device-changed' && event.device.volume === 0.5 && event.device.muted),
          'volume and mute from the notification',
        );
      },
    ],
    [
      'IAudioSessionNotification sink from a native thread: the lent control is QueryInterfaced in the callback',
      async () => {
        const manager = com.invoke(defaultDevice, 'Activate', IAudioSessionManager2, CLSCTX_ALL, 0n).out[0] as ComRef<
          typeof IAudioSessionManager2
        >;
        const control = com.invoke(manager, 'GetAudioSessionControl', guidC, 0).out[0];
        assert(control, 'no session control');
        const received: number[] = [];
        const sink = com.sinks.create(IAudioSessionNotification, {
          OnSessionCreated: (lent) => {
            const own = com.queryInterface(lent, IAudioSessionControl2);
            assert(own, 'QI of the lent control failed');
            received.push(com.invoke(own, 'GetProcessId').out[0]);
            com.release(own);
          },
        });
        try {
          const { hr } = await fromNativeThread(sink.address, IAudioSessionNotification, 'OnSessionCreated', control);
          assertEqual(hr, S_OK, 'HRESULT');
          assertEqual(received, [process.pid], 'the handler read the lent control');
        } finally {
          com.sinks.release(sink, 0);
          com.releaseAll([control, manager]);
        }
        assertEqual(sink.alive, false, 'sink freed once released (it was never registered)');
      },
    ],
    [
      'IAudioVolumeDuckNotification sink from a native thread; Wine does not implement ducking registration',
      async () => {
        assertEqual(backend.capabilities.ducking, false, 'ducking after RegisterDuckNotification answered E_NOTIMPL');
        const received: [string | null, number][] = [];
        const sink = com.sinks.create(IAudioVolumeDuckNotification, {
          OnVolumeDuckNotification: (session, count) => received.push([session, count]),
          OnVolumeUnduckNotification: (session) => received.push([session, -1]),
        });
        try {
          await fromNativeThread(sink.address, IAudioVolumeDuckNotification, 'OnVolumeDuckNotification', 'instance|1%b42', 2);
          await fromNativeThread(sink.address, IAudioVolumeDuckNotification, 'OnVolumeUnduckNotification', 'instance|1%b42');
        } finally {
          com.sinks.release(sink);
        }
        assertEqual(
          received,
          [
            ['instance|1%b42', 2],
            ['instance|1%b42', -1],
          ],
          'calls received',
        );
      },
    ],
    [
      'reference accounting: a full poll leaves the live count unchanged',
      async () => {
        const fullPoll = async () => {
          for (const device of await backend.listDevices()) await backend.listSessions(device.id);
        };
        // The first poll of a device opens its session manager; later polls must add nothing.
        await fullPoll();
        const before = backend.liveReferences();
        for (let round = 0; round < 5; round++) await fullPoll();
        assertEqual(backend.liveReferences(), before, 'live references after 5 full polls');
        return `live references while running: ${before} ${JSON.stringify(com.liveReferences())}`;
      },
    ],
    [
      'shutdown: every reference and sink released (count back to zero)',
      async () => {
        await backend.close();
        for (const stream of streams.values()) stream.release();
        com.releaseAll([defaultDevice, enumerator]);
        await settle();
        assertEqual(com.liveReferences(), {}, 'live COM references');
        assertEqual(com.sinks.liveSinkCount(), 0, 'live sinks');
        assertEqual(backend.liveReferences(), 0, 'backend count');
      },
    ],
  ];

  return runChecks(checks, reportPath, { figures: {}, warnings });
}

const reportPath = process.argv[2];
if (!reportPath) throw new Error('usage: integration.cjs <report.json>');
main(reportPath).then(
  (ok) => setTimeout(() => process.exit(ok ? 0 : 1), 200),
  (error: unknown) => {
    writeFileSync(
      reportPath,
      JSON.stringify({ planned: [], results: [], figures: {}, warnings: [], fatal: String((error as Error).stack ?? error) }),
    );
    process.exit(2);
  },
);
