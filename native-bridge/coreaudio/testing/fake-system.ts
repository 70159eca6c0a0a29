// An in-memory AudioSystem for the backend's unit tests: devices and sessions as Core
// Audio would report them, failures as the HRESULTs Windows (or Wine) gives, and exact
// reference counting so tests can assert that every control handed out is released.
import { canonicalGuid, GUID_NULL } from '../../com/guid';
import { AUDCLNT_E_DEVICE_INVALIDATED, ComError, E_INVALIDARG, E_NOINTERFACE, E_NOTFOUND, E_NOTIMPL } from '../../com/hresult';
import type { DeviceRole, DeviceState, Flow, SessionState } from '../../types';
import type {
  AudioSystem,
  DuckEvents,
  Endpoint,
  EndpointEvents,
  EndpointInfo,
  EndpointVolumeEvent,
  ProcessDetails,
  ProcessOwner,
  SessionControl,
  SessionEvents,
  SessionManager,
  Watch,
} from '../system';

/** Names of operations a test can make fail with E_NOTIMPL (as Wine's stubs do). */
export type FakeOperation =
  | 'GetSessionEnumerator'
  | 'RegisterSessionNotification'
  | 'RegisterDuckNotification'
  | 'RegisterAudioSessionNotification'
  | 'GetDisplayName'
  | 'GetIconPath'
  | 'GetGroupingParam'
  | 'GetSessionIdentifier'
  | 'GetSessionInstanceIdentifier'
  | 'SetMasterVolumeLevelScalar'
  | 'SetMute(endpoint)';

export interface FakeSessionSpec {
  guid?: string;
  pid?: number;
  crossProcess?: boolean;
  systemSounds?: boolean;
  displayName?: string;
  iconPath?: string;
  groupingParam?: string;
  state?: SessionState;
  volume?: number;
  muted?: boolean;
  channels?: number[];
  peak?: number;
  /** The session control exposes no ISimpleAudioVolume / IChannelAudioVolume / meter. */
  noVolume?: boolean;
  noChannels?: boolean;
  noMeter?: boolean;
}

export class FakeSession {
  readonly guid: string;
  readonly pid: number;
  readonly crossProcess: boolean;
  readonly systemSounds: boolean;
  displayName: string;
  iconPath: string;
  groupingParam: string;
  state: SessionState;
  volume: number;
  muted: boolean;
  channels: number[];
  peak: number;
  invalidated = false;
  readonly noVolume: boolean;
  readonly noChannels: boolean;
  readonly noMeter: boolean;
  readonly watchers = new Set<SessionEvents>();

  constructor(
    readonly device: FakeDevice,
    spec: FakeSessionSpec,
  ) {
    this.guid = canonicalGuid(spec.guid ?? GUID_NULL);
    this.crossProcess = spec.crossProcess ?? false;
    this.pid = this.crossProcess ? 0 : (spec.pid ?? 100);
    this.systemSounds = spec.systemSounds ?? false;
    this.displayName = spec.displayName ?? '';
    this.iconPath = spec.iconPath ?? '';
    this.groupingParam = canonicalGuid(spec.groupingParam ?? GUID_NULL);
    this.state = spec.state ?? 'inactive';
    this.volume = spec.volume ?? 1;
    this.muted = spec.muted ?? false;
    this.channels = spec.channels ?? [1, 1];
    this.peak = spec.peak ?? 0;
    this.noVolume = spec.noVolume ?? false;
    this.noChannels = spec.noChannels ?? false;
    this.noMeter = spec.noMeter ?? false;
  }

  get identifier(): string {
    const owner = this.crossProcess ? '#' : `\\Device\\HarddiskVolume3\\Apps\\app${this.pid}.exe`;
    return `{0.0.0.00000000}.{${this.device.info.id}}|${owner}%b${this.guid}`;
  }

  get instanceIdentifier(): string {
    return `${this.identifier}|1%b${this.pid}`;
  }

  /** Tells every registered IAudioSessionEvents sink. */
  notify(call: (events: SessionEvents) => void): void {
    for (const watcher of this.watchers) call(watcher);
  }
}

export interface FakeDevice {
  info: EndpointInfo;
  volume: number;
  muted: boolean;
  hasMeter: boolean;
  sessions: FakeSession[];
  invalidated: boolean;
  sessionWatchers: Set<(control: SessionControl) => void>;
  duckWatchers: Set<DuckEvents>;
  volumeWatchers: Set<(event: EndpointVolumeEvent) => void>;
}

export interface FakeProcess {
  executablePath: string | null;
  windowTitle?: string;
  fileDescription?: string;
}

export class FakeAudioSystem implements AudioSystem {
  readonly devices = new Map<string, FakeDevice>();
  readonly defaults = new Map<string, string>();
  readonly processes = new Map<number, FakeProcess>();
  readonly icons = new Map<string, string>();
  readonly indirectStrings = new Map<string, string>();
  readonly notImplemented = new Set<FakeOperation>();
  /** Every call the backend made, by name: tests count them ("not an error storm"). */
  readonly calls: string[] = [];
  readonly endpointWatchers = new Set<EndpointEvents>();
  private references = 0;
  private sinks = 0;
  closed = false;

  addDevice(
    id: string,
    flow: Flow,
    options: { name?: string; state?: DeviceState; volume?: number; muted?: boolean; hasMeter?: boolean } = {},
  ): FakeDevice {
    const device: FakeDevice = {
      info: { id, name: options.name ?? `Device ${id}`, flow, state: options.state ?? 'active' },
      volume: options.volume ?? 0.5,
      muted: options.muted ?? false,
      hasMeter: options.hasMeter ?? true,
      sessions: [],
      invalidated: false,
      sessionWatchers: new Set(),
      duckWatchers: new Set(),
      volumeWatchers: new Set(),
    };
    this.devices.set(id, device);
    return device;
  }

  setDefault(flow: Flow, role: DeviceRole, id: string | null): void {
    if (id === null) this.defaults.delete(`${flow}:${role}`);
    else this.defaults.set(`${flow}:${role}`, id);
  }

  /** A session appears on a device; `notify` sends OnSessionCreated to registered sinks. */
  addSession(deviceId: string, spec: FakeSessionSpec = {}, notify = true): FakeSession {
    const device = this.device(deviceId);
    const session = new FakeSession(device, spec);
    device.sessions.push(session);
    if (notify) for (const watcher of device.sessionWatchers) watcher(this.control(session, null));
    return session;
  }

  /** The session's last stream is released: it is gone from the device (R10). */
  removeSession(session: FakeSession): void {
    session.device.sessions = session.device.sessions.filter((candidate) => candidate !== session);
  }

  duck(deviceId: string, instanceIdentifier: string, count: number | null): void {
    for (const watcher of this.device(deviceId).duckWatchers) {
      if (count === null) watcher.unduck(instanceIdentifier);
      else watcher.duck(instanceIdentifier, count);
    }
  }

  endpointEvent(call: (events: EndpointEvents) => void): void {
    for (const watcher of this.endpointWatchers) call(watcher);
  }

  // ---- AudioSystem ---------------------------------------------------------------------

  listEndpoints(): EndpointInfo[] {
    this.calls.push('listEndpoints');
    return [...this.devices.values()].map((device) => ({ ...device.info }));
  }

  endpointInfo(deviceId: string): EndpointInfo {
    return { ...this.device(deviceId).info };
  }

  defaultEndpointId(flow: Flow, role: DeviceRole): string | null {
    return this.defaults.get(`${flow}:${role}`) ?? null;
  }

  openEndpoint(deviceId: string): Endpoint {
    const device = this.device(deviceId);
    this.references++;
    let released = false;
    let manager: SessionManager | null = null;
    const check = () => {
      if (device.invalidated) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, 'IAudioEndpointVolume');
    };
    return {
      id: deviceId,
      volume: () => {
        check();
        return { volume: device.volume, muted: device.muted };
      },
      setVolume: async (volume, eventContext) => {
        this.calls.push('SetMasterVolumeLevelScalar');
        this.fail('SetMasterVolumeLevelScalar', 'IAudioEndpointVolume.SetMasterVolumeLevelScalar');
        check();
        if (volume < 0 || volume > 1) throw new ComError(E_INVALIDARG, 'IAudioEndpointVolume.SetMasterVolumeLevelScalar');
        device.volume = volume;
        for (const watcher of device.volumeWatchers) watcher({ volume, muted: device.muted, eventContext });
      },
      setMute: async (muted, eventContext) => {
        this.calls.push('SetMute(endpoint)');
        this.fail('SetMute(endpoint)', 'IAudioEndpointVolume.SetMute');
        check();
        if (device.muted === muted) return;
        device.muted = muted;
        for (const watcher of device.volumeWatchers) watcher({ volume: device.volume, muted, eventContext });
      },
      watchVolume: async (changed) => this.watch(device.volumeWatchers, changed),
      sessionManager: () => {
        manager ??= this.manager(device);
        return manager;
      },
      hasMeter: () => device.hasMeter,
      release: () => {
        if (released) throw new Error(`endpoint ${deviceId} released twice`);
        released = true;
        this.references--;
        manager?.release();
      },
    };
  }

  async watchEndpoints(events: EndpointEvents): Promise<Watch> {
    return this.watch(this.endpointWatchers, events);
  }

  processDetails(pid: number): ProcessDetails {
    return { executablePath: this.processes.get(pid)?.executablePath ?? null };
  }

  mainWindowTitles(pids: readonly number[]): Map<number, string> {
    this.calls.push('mainWindowTitles');
    const titles = new Map<number, string>();
    for (const pid of pids) {
      const title = this.processes.get(pid)?.windowTitle;
      if (title) titles.set(pid, title);
    }
    return titles;
  }

  fileDescription(executablePath: string): string | null {
    this.calls.push('fileDescription');
    return [...this.processes.values()].find((process) => process.executablePath === executablePath)?.fileDescription ?? null;
  }

  resolveIndirectString(text: string): string | null {
    return this.indirectStrings.get(text) ?? null;
  }

  renderIcon(iconPath: string): string | null {
    this.calls.push(`renderIcon ${iconPath}`);
    return this.icons.get(iconPath) ?? null;
  }

  liveReferences(): number {
    return this.references + this.sinks;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  // ---- internals ---------------------------------------------------------------------------

  private device(deviceId: string): FakeDevice {
    const device = this.devices.get(deviceId);
    if (!device) throw new ComError(E_NOTFOUND, 'IMMDeviceEnumerator.GetDevice');
    return device;
  }

  private fail(operation: FakeOperation, call: string): void {
    if (this.notImplemented.has(operation)) throw new ComError(E_NOTIMPL, call);
  }

  /** A registration: a sink reference until stopped. */
  private watch<T>(set: Set<T>, watcher: T): Watch {
    set.add(watcher);
    this.sinks++;
    let stopped = false;
    return {
      stop: async () => {
        if (stopped) throw new Error('watch stopped twice');
        stopped = true;
        set.delete(watcher);
        this.sinks--;
      },
    };
  }

  private manager(device: FakeDevice): SessionManager {
    this.references++;
    let released = false;
    return {
      listSessions: () => {
        this.calls.push('GetSessionEnumerator');
        this.fail('GetSessionEnumerator', 'IAudioSessionManager2.GetSessionEnumerator');
        if (device.invalidated) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, 'IAudioSessionManager2.GetSessionEnumerator');
        return device.sessions.map((session) => this.control(session, null));
      },
      openSession: (sessionGuid, crossProcess) => {
        const guid = canonicalGuid(sessionGuid);
        const session =
          device.sessions.find((candidate) => candidate.guid === guid && candidate.crossProcess === crossProcess) ??
          this.addSession(device.info.id, { guid, crossProcess, pid: 4242 }, false);
        return this.control(session, guid);
      },
      watchSessions: async (created) => {
        this.calls.push('RegisterSessionNotification');
        this.fail('RegisterSessionNotification', 'IAudioSessionManager2.RegisterSessionNotification');
        return this.watch(device.sessionWatchers, created);
      },
      watchDucking: async (events) => {
        this.calls.push('RegisterDuckNotification');
        this.fail('RegisterDuckNotification', 'IAudioSessionManager2.RegisterDuckNotification');
        return this.watch(device.duckWatchers, events);
      },
      release: () => {
        if (released) throw new Error('session manager released twice');
        released = true;
        this.references--;
      },
    };
  }

  private control(session: FakeSession, openedGuid: string | null): SessionControl {
    this.references++;
    let released = false;
    const live = (call: string) => {
      if (released) throw new Error(`${call} on a released session control`);
      this.calls.push(call);
      if (session.invalidated) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, call);
    };
    const optional = (operation: FakeOperation) => {
      live(operation);
      this.fail(operation, `IAudioSessionControl2.${operation}`);
    };
    const requires = (missing: boolean, name: string) => {
      if (missing) throw new ComError(E_NOINTERFACE, `QueryInterface(${name})`);
    };
    return {
      openedGuid,
      state: () => {
        live('GetState');
        return session.state;
      },
      owner: (): ProcessOwner => {
        live('GetProcessId');
        return { pid: session.pid, crossProcess: session.crossProcess };
      },
      isSystemSounds: () => {
        live('IsSystemSoundsSession');
        return session.systemSounds;
      },
      displayName: () => {
        optional('GetDisplayName');
        return session.displayName;
      },
      iconPath: () => {
        optional('GetIconPath');
        return session.iconPath;
      },
      groupingParam: () => {
        optional('GetGroupingParam');
        return session.groupingParam;
      },
      sessionIdentifier: () => {
        optional('GetSessionIdentifier');
        return session.identifier;
      },
      sessionInstanceIdentifier: () => {
        optional('GetSessionInstanceIdentifier');
        return session.instanceIdentifier;
      },
      volume: () => {
        live('GetMasterVolume');
        requires(session.noVolume, 'ISimpleAudioVolume');
        return { volume: session.volume, muted: session.muted };
      },
      channelVolumes: () => {
        live('GetChannelVolumes');
        requires(session.noChannels, 'IChannelAudioVolume');
        return [...session.channels];
      },
      peak: () => {
        live('GetPeakValue');
        requires(session.noMeter, 'IAudioMeterInformation');
        return session.peak;
      },
      setVolume: async (volume, eventContext) => {
        live('SetMasterVolume');
        requires(session.noVolume, 'ISimpleAudioVolume');
        session.volume = volume;
        session.notify((events) => events.volumeChanged(volume, session.muted, eventContext));
      },
      setMute: async (muted, eventContext) => {
        live('SetMute');
        requires(session.noVolume, 'ISimpleAudioVolume');
        session.muted = muted;
        session.notify((events) => events.volumeChanged(session.volume, muted, eventContext));
      },
      setChannelVolume: async (channel, volume, eventContext) => {
        live('SetChannelVolume');
        requires(session.noChannels, 'IChannelAudioVolume');
        session.channels[channel] = volume;
        session.notify((events) => events.channelVolumeChanged([...session.channels], channel, eventContext));
      },
      watch: async (events) => {
        live('RegisterAudioSessionNotification');
        this.fail('RegisterAudioSessionNotification', 'IAudioSessionControl.RegisterAudioSessionNotification');
        return this.watch(session.watchers, events);
      },
      release: () => {
        if (released) throw new Error('session control released twice');
        released = true;
        this.references--;
      },
    };
  }
}
