// The AudioSystem on Windows: a thin layer over the Core Audio COM interfaces. Every
// reference it obtains is released exactly once (see ComRuntime.liveReferences).
// Sink calls are answered by the sink thread (../com/sink-thread.ts); their handlers read
// the copy of what the caller lent and hand the event on with setImmediate.
import { AUDCLNT_S_NO_SINGLE_PROCESS, ComError, E_NOINTERFACE, E_NOTFOUND, isComError } from '../com/hresult';
import { CLSCTX_ALL, type ComRef } from '../com/interface';
import type { ComRuntime } from '../com/runtime';
import type { Sink, SinkHandlers } from '../com/sink';
import type { DeviceRole, Flow } from '../types';
import {
  AudioSessionState,
  DeviceStateFlag,
  deviceStateOf,
  EDataFlow,
  flowOf,
  FLOW_TO_EDATAFLOW,
  Misc,
  PropertyKeys,
  roleOf,
  ROLE_TO_EROLE,
  sessionStateOf,
} from './constants';
import { IAudioEndpointVolume } from './interfaces/IAudioEndpointVolume';
import { IAudioEndpointVolumeCallback } from './interfaces/IAudioEndpointVolumeCallback';
import { IAudioMeterInformation } from './interfaces/IAudioMeterInformation';
import { IAudioSessionControl2 } from './interfaces/IAudioSessionControl2';
import { IAudioSessionEvents } from './interfaces/IAudioSessionEvents';
import { IAudioSessionManager2 } from './interfaces/IAudioSessionManager2';
import { IAudioSessionNotification } from './interfaces/IAudioSessionNotification';
import { IAudioVolumeDuckNotification } from './interfaces/IAudioVolumeDuckNotification';
import { IChannelAudioVolume } from './interfaces/IChannelAudioVolume';
import type { IMMDevice } from './interfaces/IMMDevice';
import { CLSID_MMDeviceEnumerator, IMMDeviceEnumerator } from './interfaces/IMMDeviceEnumerator';
import { IMMEndpoint } from './interfaces/IMMEndpoint';
import { IMMNotificationClient } from './interfaces/IMMNotificationClient';
import { ISimpleAudioVolume } from './interfaces/ISimpleAudioVolume';
import { readFloats, readVolumeNotification } from './structs';
import { openWinRt } from '../com/winrt';
import { openAppEndpointPolicy, windowsBuild, type OpenedPolicy } from './policy-config';
import type {
  AppEndpointPolicy,
  AppEndpointPolicyAbsent,
  AudioSystem,
  DuckEvents,
  Endpoint,
  EndpointEvents,
  EndpointInfo,
  EndpointVolumeEvent,
  EndpointVolumeRange,
  EndpointVolumeReading,
  ProcessDetails,
  ProcessOwner,
  SessionControl,
  SessionEvents,
  SessionManager,
  Watch,
} from './system';
import type { Win32Shell } from './win32-shell';

type ChannelVolumeRef = ComRef<typeof IChannelAudioVolume>;

export interface ComAudioSystemOptions {
  /**
   * Where a session control does not expose IChannelAudioVolume (Wine), a provider may
   * supply one for a session opened by GUID: Wine reaches a session's channel volumes only
   * through a stream's IAudioClient::GetService, which only the stream's owner holds.
   * The returned reference becomes the session control's, released with it.
   */
  channelVolumeFor?: (deviceId: string, sessionGuid: string) => ChannelVolumeRef | null;
  /** Where a failure in handling a notification goes (it must never crash the process). */
  onError?: (error: unknown) => void;
}

type Defer = (action: () => void) => void;

/** Runs an event handler after the native caller has been answered; failures are reported, never thrown. */
function deferrer(onError: (error: unknown) => void): Defer {
  return (action) =>
    setImmediate(() => {
      try {
        action();
      } catch (error) {
        onError(error);
      }
    });
}

/**
 * A registration: unregister off the main thread (it may wait for a callback in flight),
 * then let go of our sink. If Unregister* failed, Core Audio may still call the sink: it is
 * abandoned (kept for good), never freed (see sink.ts).
 */
function sinkWatch(com: ComRuntime, sink: Sink, unregister: () => Promise<unknown>): Watch {
  let stopped = false;
  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await unregister();
      } catch (error) {
        com.sinks.abandon(sink);
        throw error;
      }
      com.sinks.release(sink);
    },
  };
}

/** Register*: a failed registration left Core Audio no reference to the sink. */
async function register(com: ComRuntime, sink: Sink, registration: () => Promise<unknown>): Promise<void> {
  try {
    await registration();
  } catch (error) {
    com.sinks.release(sink);
    throw error;
  }
}

export class ComAudioSystem implements AudioSystem {
  readonly runsPackagedApps = true;
  private readonly enumerator: ComRef<typeof IMMDeviceEnumerator>;
  private readonly defer: Defer;
  private closed = false;
  /**
   * Default endpoints by "flow role", kept by OnDefaultDeviceChanged while an endpoint watch
   * runs (issue 15, defect 8: a poll or a volume event read all six with GetDefaultAudioEndpoint).
   */
  private readonly defaults = new Map<string, string | null>();
  private endpointWatches = 0;
  /** Window titles by pid (defect 8: every poll walked every top-level window). */
  private readonly titles = new WindowTitleCache();
  private policy: OpenedPolicy | null = null;

  constructor(
    private readonly com: ComRuntime,
    private readonly shell: Win32Shell,
    private readonly options: ComAudioSystemOptions = {},
  ) {
    this.defer = deferrer(options.onError ?? ((error) => console.error('sndmix: coreaudio notification failed:', error)));
    this.enumerator = com.createInstance(CLSID_MMDeviceEnumerator, IMMDeviceEnumerator);
  }

  listEndpoints(): EndpointInfo[] {
    const { out } = this.com.invoke(this.enumerator, 'EnumAudioEndpoints', EDataFlow.eAll, DeviceStateFlag.DEVICE_STATEMASK_ALL);
    const collection = out[0];
    if (!collection) return [];
    try {
      const [count] = this.com.invoke(collection, 'GetCount').out;
      const endpoints: EndpointInfo[] = [];
      for (let index = 0; index < count; index++) {
        const device = this.com.invoke(collection, 'Item', index).out[0];
        if (!device) continue;
        try {
          endpoints.push(this.describe(device));
        } finally {
          this.com.release(device);
        }
      }
      return endpoints;
    } finally {
      this.com.release(collection);
    }
  }

  endpointInfo(deviceId: string): EndpointInfo {
    const device = this.device(deviceId);
    try {
      return this.describe(device);
    } finally {
      this.com.release(device);
    }
  }

  defaultEndpointId(flow: Flow, role: DeviceRole): string | null {
    const key = `${flow} ${role}`;
    const known = this.defaults.get(key);
    if (known !== undefined) return known;
    const id = this.readDefaultEndpointId(flow, role);
    if (this.endpointWatches > 0) this.defaults.set(key, id);
    return id;
  }

  private readDefaultEndpointId(flow: Flow, role: DeviceRole): string | null {
    let device: ComRef<typeof IMMDevice> | null;
    try {
      device = this.com.invoke(this.enumerator, 'GetDefaultAudioEndpoint', FLOW_TO_EDATAFLOW[flow], ROLE_TO_EROLE[role]).out[0];
    } catch (error) {
      // E_NOTFOUND: no device of that flow at all.
      if (isComError(error, E_NOTFOUND)) return null;
      throw error;
    }
    if (!device) return null;
    try {
      return this.com.invoke(device, 'GetId').out[0];
    } finally {
      this.com.release(device);
    }
  }

  openEndpoint(deviceId: string): Endpoint {
    return new ComEndpoint(this.com, this.device(deviceId), deviceId, this.options, this.defer);
  }

  async watchEndpoints(events: EndpointEvents): Promise<Watch> {
    const defer = this.defer;
    const handlers: SinkHandlers<typeof IMMNotificationClient> = {
      OnDeviceStateChanged: (deviceId, state) => {
        if (deviceId) defer(() => events.stateChanged(deviceId, deviceStateOf(state)));
      },
      OnDeviceAdded: (deviceId) => {
        if (deviceId) defer(() => events.deviceAdded(deviceId));
      },
      OnDeviceRemoved: (deviceId) => {
        if (deviceId) defer(() => events.deviceRemoved(deviceId));
      },
      OnDefaultDeviceChanged: (dataFlow, role, deviceId) => {
        const flow = flowOf(dataFlow);
        const deviceRole = roleOf(role);
        this.defaults.set(`${flow} ${deviceRole}`, deviceId);
        defer(() => events.defaultChanged(flow, deviceRole, deviceId));
      },
      OnPropertyValueChanged: (deviceId, key) => {
        if (deviceId) defer(() => events.propertyChanged(deviceId, key));
      },
    };
    const sink = this.com.sinks.create(IMMNotificationClient, handlers);
    await register(this.com, sink, () => this.com.invokeOffThread(this.enumerator, 'RegisterEndpointNotificationCallback', sink));
    this.endpointWatches++;
    const watch = sinkWatch(this.com, sink, () =>
      this.com.invokeOffThread(this.enumerator, 'UnregisterEndpointNotificationCallback', sink),
    );
    return {
      stop: async () => {
        // Without notifications the cache would go stale: read the defaults again.
        this.endpointWatches = Math.max(0, this.endpointWatches - 1);
        if (this.endpointWatches === 0) this.defaults.clear();
        await watch.stop();
      },
    };
  }

  appEndpointPolicy(): AppEndpointPolicy | AppEndpointPolicyAbsent {
    if (this.policy) return this.policy.policy;
    const opened = openAppEndpointPolicy(this.com, openWinRt(), windowsBuild());
    if ('unsupported' in opened) return opened;
    this.policy = opened;
    return opened.policy;
  }

  processDetails(pid: number): ProcessDetails {
    // A process that cannot be opened (access denied) is still named from its image path.
    return this.shell.openProcess(pid) ?? { executablePath: this.shell.systemImagePath(pid), packageFullName: null, appUserModelId: null };
  }

  packageInstallPath(packageFullName: string): string | null {
    return this.shell.packageInstallPath(packageFullName);
  }

  win32Path(nativePath: string): string | null {
    return this.shell.win32Path(nativePath);
  }

  mainWindowTitles(pids: readonly number[]): Map<number, string> {
    return this.titles.lookUp(pids, (missing) => this.shell.mainWindowTitles(missing));
  }

  fileDescription(executablePath: string): string | null {
    return this.shell.fileDescription(executablePath);
  }

  resolveIndirectString(text: string): string | null {
    return this.shell.resolveIndirectString(text);
  }

  renderIcon(iconPath: string): string | null {
    return this.shell.renderIcon(iconPath);
  }

  liveReferences(): number {
    return this.com.liveReferenceCount() + this.com.sinks.liveSinkCount() + this.com.sinks.abandonedSinkCount();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.policy?.release();
    this.policy = null;
    this.com.release(this.enumerator);
    this.com.sinks.disposeWhenIdle();
  }

  private device(deviceId: string): ComRef<typeof IMMDevice> {
    const device = this.com.invoke(this.enumerator, 'GetDevice', deviceId).out[0];
    if (!device) throw new ComError(E_NOTFOUND, 'IMMDeviceEnumerator.GetDevice');
    return device;
  }

  private describe(device: ComRef<typeof IMMDevice>): EndpointInfo {
    const id = this.com.invoke(device, 'GetId').out[0] ?? '';
    const state = deviceStateOf(this.com.invoke(device, 'GetState').out[0]);
    const endpoint = this.com.queryInterface(device, IMMEndpoint);
    if (!endpoint) throw new ComError(E_NOINTERFACE, 'IMMDevice.QueryInterface(IMMEndpoint)');
    let flow: Flow;
    try {
      flow = flowOf(this.com.invoke(endpoint, 'GetDataFlow').out[0]);
    } finally {
      this.com.release(endpoint);
    }
    return { id, name: this.friendlyName(device), flow, state };
  }

  private friendlyName(device: ComRef<typeof IMMDevice>): string {
    const store = this.com.invoke(device, 'OpenPropertyStore', Misc.STGM_READ).out[0];
    if (!store) return '';
    try {
      const [value] = this.com.invoke(store, 'GetValue', PropertyKeys.PKEY_Device_FriendlyName).out;
      return value.type === 'string' ? value.value : '';
    } finally {
      this.com.release(store);
    }
  }
}

/**
 * Window titles by pid: a pid's title is walked for again only once it is older than
 * TITLE_TTL_MS (NO_TITLE_TTL_MS when it had none, e.g. a window not yet shown), so a poll
 * of sessions whose titles are known walks no window; entries of pids nobody asked about
 * for a while are dropped (pids are reused).
 */
class WindowTitleCache {
  private static readonly TITLE_TTL_MS = 30_000;
  private static readonly NO_TITLE_TTL_MS = 5_000;
  private readonly entries = new Map<number, { title: string | null; readAt: number; askedAt: number }>();

  lookUp(pids: readonly number[], walk: (pids: readonly number[]) => Map<number, string>): Map<number, string> {
    const now = Date.now();
    const stale = (entry: { title: string | null; readAt: number }) =>
      now - entry.readAt > (entry.title === null ? WindowTitleCache.NO_TITLE_TTL_MS : WindowTitleCache.TITLE_TTL_MS);
    const missing = pids.filter((pid) => {
      const entry = this.entries.get(pid);
      return !entry || stale(entry);
    });
    if (missing.length > 0) {
      const found = walk(missing);
      for (const pid of missing) this.entries.set(pid, { title: found.get(pid) ?? null, readAt: now, askedAt: now });
    }
    const titles = new Map<number, string>();
    for (const pid of pids) {
      const entry = this.entries.get(pid);
      if (!entry) continue;
      entry.askedAt = now;
      if (entry.title !== null) titles.set(pid, entry.title);
    }
    for (const [pid, entry] of this.entries) if (now - entry.askedAt > WindowTitleCache.TITLE_TTL_MS * 2) this.entries.delete(pid);
    return titles;
  }
}

class ComEndpoint implements Endpoint {
  private endpointVolume: ComRef<typeof IAudioEndpointVolume> | null = null;
  private meter: ComRef<typeof IAudioMeterInformation> | null = null;
  private manager: ComSessionManager | null = null;

  constructor(
    private readonly com: ComRuntime,
    private readonly device: ComRef<typeof IMMDevice>,
    readonly id: string,
    private readonly options: ComAudioSystemOptions,
    private readonly defer: Defer,
  ) {}

  volume(): EndpointVolumeReading {
    const volume = this.volumeControl();
    return {
      volume: this.com.invoke(volume, 'GetMasterVolumeLevelScalar').out[0],
      muted: this.com.invoke(volume, 'GetMute').out[0],
    };
  }

  async setVolume(volume: number, eventContext: string): Promise<void> {
    await this.com.invokeOffThread(this.volumeControl(), 'SetMasterVolumeLevelScalar', volume, eventContext);
  }

  async setMute(muted: boolean, eventContext: string): Promise<void> {
    await this.com.invokeOffThread(this.volumeControl(), 'SetMute', muted, eventContext);
  }

  async watchVolume(changed: (event: EndpointVolumeEvent) => void): Promise<Watch> {
    const control = this.volumeControl();
    const sink = this.com.sinks.create(IAudioEndpointVolumeCallback, {
      OnNotify: (data, lent) => {
        if (data === 0n) return;
        const notification = readVolumeNotification(lent, data);
        this.defer(() =>
          changed({ volume: notification.masterVolume, muted: notification.muted, eventContext: notification.eventContext }),
        );
      },
    });
    await register(this.com, sink, () => this.com.invokeOffThread(control, 'RegisterControlChangeNotify', sink));
    return sinkWatch(this.com, sink, () => this.com.invokeOffThread(control, 'UnregisterControlChangeNotify', sink));
  }

  sessionManager(): SessionManager {
    if (!this.manager) {
      const manager = this.activate(IAudioSessionManager2);
      this.manager = new ComSessionManager(this.com, manager, this.id, this.options, this.defer);
    }
    return this.manager;
  }

  hasMeter(): boolean {
    try {
      this.com.release(this.activate(IAudioMeterInformation));
      return true;
    } catch (error) {
      if (isComError(error)) return false;
      throw error;
    }
  }

  volumeRange(): EndpointVolumeRange {
    const [minDb, maxDb, incrementDb] = this.com.invoke(this.volumeControl(), 'GetVolumeRange').out;
    return { minDb, maxDb, incrementDb };
  }

  peak(): number {
    this.meter ??= this.activate(IAudioMeterInformation);
    return this.com.invoke(this.meter, 'GetPeakValue').out[0];
  }

  release(): void {
    this.manager?.release();
    this.manager = null;
    this.com.release(this.endpointVolume);
    this.endpointVolume = null;
    this.com.release(this.meter);
    this.meter = null;
    this.com.release(this.device);
  }

  private volumeControl(): ComRef<typeof IAudioEndpointVolume> {
    this.endpointVolume ??= this.activate(IAudioEndpointVolume);
    return this.endpointVolume;
  }

  private activate<I extends typeof IAudioEndpointVolume | typeof IAudioSessionManager2 | typeof IAudioMeterInformation>(
    iface: I,
  ): ComRef<I> {
    const activated = this.com.invoke(this.device, 'Activate', iface, CLSCTX_ALL, 0n).out[0];
    if (!activated) throw new ComError(E_NOINTERFACE, `IMMDevice.Activate(${iface.name})`);
    return activated as ComRef<I>;
  }
}

class ComSessionManager implements SessionManager {
  constructor(
    private readonly com: ComRuntime,
    private readonly manager: ComRef<typeof IAudioSessionManager2>,
    private readonly deviceId: string,
    private readonly options: ComAudioSystemOptions,
    private readonly defer: Defer,
  ) {}

  listSessions(): SessionControl[] {
    const enumerator = this.com.invoke(this.manager, 'GetSessionEnumerator').out[0];
    if (!enumerator) return [];
    const controls: SessionControl[] = [];
    try {
      const [count] = this.com.invoke(enumerator, 'GetCount').out;
      for (let index = 0; index < count; index++) {
        const control = this.com.invoke(enumerator, 'GetSession', index).out[0];
        if (!control) continue;
        const control2 = this.com.queryInterface(control, IAudioSessionControl2);
        this.com.release(control);
        if (control2) controls.push(this.wrap(control2, null));
      }
      return controls;
    } catch (error) {
      for (const control of controls) control.release();
      throw error;
    } finally {
      this.com.release(enumerator);
    }
  }

  openSession(sessionGuid: string, crossProcess: boolean): SessionControl {
    const flags = crossProcess ? Misc.AUDCLNT_STREAMFLAGS_CROSSPROCESS : 0;
    const control = this.com.invoke(this.manager, 'GetAudioSessionControl', sessionGuid, flags).out[0];
    if (!control) throw new ComError(E_NOINTERFACE, 'IAudioSessionManager.GetAudioSessionControl');
    const control2 = this.com.queryInterface(control, IAudioSessionControl2);
    this.com.release(control);
    if (!control2) throw new ComError(E_NOINTERFACE, 'IAudioSessionControl.QueryInterface(IAudioSessionControl2)');
    return this.wrap(control2, { sessionGuid, crossProcess });
  }

  async watchSessions(created: (control: SessionControl) => void): Promise<Watch> {
    const sink = this.com.sinks.create(IAudioSessionNotification, {
      OnSessionCreated: (lent) => {
        if (lent === 0n) return;
        // The control is lent for this call only: QueryInterface gives us our own reference.
        const control2 = this.com.queryInterface(lent, IAudioSessionControl2);
        if (control2) {
          const control = this.wrap(control2, null);
          this.defer(() => created(control));
        }
      },
    });
    await register(this.com, sink, () => this.com.invokeOffThread(this.manager, 'RegisterSessionNotification', sink));
    return sinkWatch(this.com, sink, () => this.com.invokeOffThread(this.manager, 'UnregisterSessionNotification', sink));
  }

  async watchDucking(events: DuckEvents): Promise<Watch> {
    const sink = this.com.sinks.create(IAudioVolumeDuckNotification, {
      OnVolumeDuckNotification: (sessionId, count) => {
        if (sessionId !== null) this.defer(() => events.duck(sessionId, count));
      },
      OnVolumeUnduckNotification: (sessionId) => {
        if (sessionId !== null) this.defer(() => events.unduck(sessionId));
      },
    });
    // NULL session: every ducking notification of the device, not only our own streams'.
    await register(this.com, sink, () => this.com.invokeOffThread(this.manager, 'RegisterDuckNotification', null, sink));
    return sinkWatch(this.com, sink, () => this.com.invokeOffThread(this.manager, 'UnregisterDuckNotification', sink));
  }

  release(): void {
    this.com.release(this.manager);
  }

  private wrap(control: ComRef<typeof IAudioSessionControl2>, opened: OpenedBy | null): ComSessionControl {
    const simpleVolume = (): ComRef<typeof ISimpleAudioVolume> | null => {
      // Windows' session control answers QueryInterface; Wine's only the manager, by GUID.
      const viaControl = this.com.queryInterface(control, ISimpleAudioVolume);
      if (viaControl || !opened) return viaControl;
      const flags = opened.crossProcess ? Misc.AUDCLNT_STREAMFLAGS_CROSSPROCESS : 0;
      return this.com.invoke(this.manager, 'GetSimpleAudioVolume', opened.sessionGuid, flags).out[0];
    };
    const channelVolume = (): ChannelVolumeRef | null => {
      const viaControl = this.com.queryInterface(control, IChannelAudioVolume);
      if (viaControl || !opened) return viaControl;
      return this.options.channelVolumeFor?.(this.deviceId, opened.sessionGuid) ?? null;
    };
    return new ComSessionControl(this.com, control, opened, simpleVolume, channelVolume, this.defer);
  }
}

interface OpenedBy {
  sessionGuid: string;
  crossProcess: boolean;
}

/** An interface obtained on first use; `null` remembered once it proved unavailable. */
class Lazy<T> {
  private value: T | null | undefined;
  constructor(private readonly obtain: () => T | null) {}
  get(): T | null {
    if (this.value === undefined) this.value = this.obtain();
    return this.value;
  }
  take(): T | null | undefined {
    const value = this.value;
    this.value = undefined;
    return value;
  }
}

class ComSessionControl implements SessionControl {
  private readonly simple: Lazy<ComRef<typeof ISimpleAudioVolume>>;
  private readonly channels: Lazy<ChannelVolumeRef>;
  private readonly meter: Lazy<ComRef<typeof IAudioMeterInformation>>;
  readonly openedGuid: string | null;

  constructor(
    private readonly com: ComRuntime,
    private readonly control: ComRef<typeof IAudioSessionControl2>,
    opened: OpenedBy | null,
    simpleVolume: () => ComRef<typeof ISimpleAudioVolume> | null,
    channelVolume: () => ChannelVolumeRef | null,
    private readonly defer: Defer,
  ) {
    this.openedGuid = opened?.sessionGuid ?? null;
    this.simple = new Lazy(simpleVolume);
    this.channels = new Lazy(channelVolume);
    this.meter = new Lazy(() => com.queryInterface(control, IAudioMeterInformation));
  }

  state() {
    return sessionStateOf(this.com.invoke(this.control, 'GetState').out[0] ?? AudioSessionState.AudioSessionStateInactive);
  }

  owner(): ProcessOwner {
    const { hr, out } = this.com.invoke(this.control, 'GetProcessId');
    if (hr === AUDCLNT_S_NO_SINGLE_PROCESS) return { pid: 0, crossProcess: true };
    return { pid: out[0], crossProcess: false };
  }

  isSystemSounds(): boolean {
    // S_OK: it is; S_FALSE: it is not.
    return this.com.invoke(this.control, 'IsSystemSoundsSession').hr === 0;
  }

  displayName(): string {
    return this.com.invoke(this.control, 'GetDisplayName').out[0] ?? '';
  }

  iconPath(): string {
    return this.com.invoke(this.control, 'GetIconPath').out[0] ?? '';
  }

  groupingParam(): string {
    return this.com.invoke(this.control, 'GetGroupingParam').out[0];
  }

  sessionIdentifier(): string {
    return this.com.invoke(this.control, 'GetSessionIdentifier').out[0] ?? '';
  }

  sessionInstanceIdentifier(): string {
    return this.com.invoke(this.control, 'GetSessionInstanceIdentifier').out[0] ?? '';
  }

  volume(): { volume: number; muted: boolean } {
    const simple = this.require(this.simple.get(), 'ISimpleAudioVolume');
    return { volume: this.com.invoke(simple, 'GetMasterVolume').out[0], muted: this.com.invoke(simple, 'GetMute').out[0] };
  }

  channelVolumes(): number[] {
    const channels = this.require(this.channels.get(), 'IChannelAudioVolume');
    const [count] = this.com.invoke(channels, 'GetChannelCount').out;
    return Array.from({ length: count }, (_, index) => this.com.invoke(channels, 'GetChannelVolume', index).out[0]);
  }

  peak(): number {
    return this.com.invoke(this.require(this.meter.get(), 'IAudioMeterInformation'), 'GetPeakValue').out[0];
  }

  async setVolume(volume: number, eventContext: string): Promise<void> {
    await this.com.invokeOffThread(
      this.require(this.simple.get(), 'ISimpleAudioVolume'),
      'SetMasterVolume',
      volume,
      eventContext,
    );
  }

  async setMute(muted: boolean, eventContext: string): Promise<void> {
    await this.com.invokeOffThread(this.require(this.simple.get(), 'ISimpleAudioVolume'), 'SetMute', muted, eventContext);
  }

  async setChannelVolume(channel: number, volume: number, eventContext: string): Promise<void> {
    const channels = this.require(this.channels.get(), 'IChannelAudioVolume');
    await this.com.invokeOffThread(channels, 'SetChannelVolume', channel, volume, eventContext);
  }

  async watch(events: SessionEvents): Promise<Watch> {
    const defer = this.defer;
    const sink = this.com.sinks.create(IAudioSessionEvents, {
      OnDisplayNameChanged: (name, context) => defer(() => events.displayNameChanged(name ?? '', context ?? '')),
      OnIconPathChanged: (path, context) => defer(() => events.iconPathChanged(path ?? '', context ?? '')),
      OnSimpleVolumeChanged: (volume, muted, context) => defer(() => events.volumeChanged(volume, muted, context ?? '')),
      OnChannelVolumeChanged: (count, array, changed, context, lent) => {
        const volumes = readFloats(lent, array, count);
        // ChangedChannel is (DWORD)-1 when every channel changed.
        const changedChannel = changed === 0xffffffff ? -1 : changed;
        defer(() => events.channelVolumeChanged(volumes, changedChannel, context ?? ''));
      },
      OnGroupingParamChanged: (grouping, context) => defer(() => events.groupingParamChanged(grouping ?? '', context ?? '')),
      OnStateChanged: (state) => defer(() => events.stateChanged(sessionStateOf(state))),
      OnSessionDisconnected: (reason) => defer(() => events.disconnected(reason)),
    });
    const control = this.control;
    await register(this.com, sink, () => this.com.invokeOffThread(control, 'RegisterAudioSessionNotification', sink));
    return sinkWatch(this.com, sink, () => this.com.invokeOffThread(control, 'UnregisterAudioSessionNotification', sink));
  }

  release(): void {
    for (const lazy of [this.simple, this.channels, this.meter] as Lazy<ComRef>[]) {
      const reference = lazy.take();
      if (reference) this.com.release(reference);
    }
    this.com.release(this.control);
  }

  private require<T>(reference: T | null, name: string): T {
    if (!reference) throw new ComError(E_NOINTERFACE, `IAudioSessionControl2.QueryInterface(${name})`);
    return reference;
  }
}
