// The simulated Windows (sim/system.ts) with what it does not model put in by the test:
// the stubs Wine answers E_NOTIMPL with, interfaces a session's control lacks
// (E_NOINTERFACE), a device or session gone without a word (AUDCLNT_E_DEVICE_INVALIDATED
// before any notification), endpoint states other than active, processes SndMix may not
// look into, a float argument lost in a COM callback, notifications sent by hand, and the
// audio service stopping (AUDCLNT_E_SERVICE_NOT_RUNNING) and coming back with new objects.
// Everything else is the simulated Windows itself. It records the calls made, so tests
// can count them ("not an error storm").
import {
  AUDCLNT_E_DEVICE_INVALIDATED,
  AUDCLNT_E_SERVICE_NOT_RUNNING,
  ComError,
  E_ACCESSDENIED,
  E_NOINTERFACE,
  E_NOTIMPL,
} from '../../com/hresult';
import type { DeviceState } from '../../types';
import type * as Seam from '../system';

/** Seam operations Wine may leave unimplemented. */
export type StubbedOperation =
  | 'listSessions'
  | 'watchSessions'
  | 'watchDucking'
  | 'watch'
  | 'displayName'
  | 'iconPath'
  | 'groupingParam'
  | 'sessionIdentifier'
  | 'sessionInstanceIdentifier'
  | 'endpoint.setVolume'
  | 'endpoint.setMute';

/** Per-session interfaces a session's control may not expose. */
export type SessionInterface = 'volume' | 'channels' | 'peak';

export class StubbedSystem implements Seam.AudioSystem {
  readonly notImplemented = new Set<StubbedOperation>();
  /** By session instance identifier. */
  readonly missingInterfaces = new Map<string, Set<SessionInterface>>();
  /** Session instance identifiers whose controls fail as if their device went, before any notification. */
  readonly invalidatedSessions = new Set<string>();
  readonly invalidatedDevices = new Set<string>();
  readonly deviceStates = new Map<string, DeviceState>();
  readonly unreadableProcesses = new Set<number>();
  /** Packaged (Store) processes: their package as GetPackageFullName / GetApplicationUserModelId tell, installed where GetPackagePathByFullName says. */
  readonly packagedProcesses = new Map<number, { packageFullName: string; appUserModelId: string; installPath: string }>();
  readonly runsPackagedApps = true;
  /** Endpoint ids whose IAudioMeterInformation does not activate. */
  readonly noMeter = new Set<string>();
  /** Volume notifications arrive with a level that is not a number (a float lost in the callback). */
  lostFloats = false;
  readonly calls: string[] = [];
  private readonly endpointWatchers = new Set<Seam.EndpointEvents>();
  /** Runs once, right after the next enumeration's snapshot (a session created at that moment). */
  afterEnumeration: (() => void) | null = null;
  /** The audio service's run: objects of an earlier one answer AUDCLNT_E_SERVICE_NOT_RUNNING; null while it is stopped. */
  private serviceRun: number | null = 1;
  private lastRun = 1;

  constructor(private readonly inner: Seam.AudioSystem) {}

  /** The audio service stops: session managers, enumerations and session calls answer AUDCLNT_E_SERVICE_NOT_RUNNING. */
  stopService(): void {
    this.serviceRun = null;
  }

  /** The audio service is back: new objects work, those of the earlier run stay dead. */
  startService(): void {
    this.serviceRun ??= ++this.lastRun;
  }

  /** Sends an IMMNotificationClient notification to the registered sinks by hand. */
  endpointEvent(send: (events: Seam.EndpointEvents) => void): void {
    for (const watcher of this.endpointWatchers) send(watcher);
  }

  listEndpoints(): Seam.EndpointInfo[] {
    this.calls.push('listEndpoints');
    return this.inner.listEndpoints().map((info) => this.withState(info));
  }

  endpointInfo(deviceId: string): Seam.EndpointInfo {
    return this.withState(this.inner.endpointInfo(deviceId));
  }

  /** Why the per-app default endpoint is absent, as on a Windows without IAudioPolicyConfigFactory; null: the inner system's. */
  appEndpointPolicyAbsent: string | null = null;

  appEndpointPolicy(): Seam.AppEndpointPolicy | Seam.AppEndpointPolicyAbsent {
    if (this.appEndpointPolicyAbsent !== null) return { unsupported: this.appEndpointPolicyAbsent };
    const policy = this.inner.appEndpointPolicy();
    if ('unsupported' in policy) return policy;
    return {
      persistedEndpoint: (pid, flow) => {
        this.calls.push('GetPersistedDefaultAudioEndpoint');
        return policy.persistedEndpoint(pid, flow);
      },
      setPersistedEndpoint: (pid, flow, deviceId) => policy.setPersistedEndpoint(pid, flow, deviceId),
    };
  }

  defaultEndpointId(...args: Parameters<Seam.AudioSystem['defaultEndpointId']>): string | null {
    return this.inner.defaultEndpointId(...args);
  }

  openEndpoint(deviceId: string): Seam.Endpoint {
    const endpoint = this.inner.openEndpoint(deviceId);
    let manager: Seam.SessionManager | null = null;
    return {
      id: endpoint.id,
      volume: () => endpoint.volume(),
      setVolume: async (volume, context) => {
        this.call('endpoint.setVolume', 'SetMasterVolumeLevelScalar');
        return endpoint.setVolume(volume, context);
      },
      setMute: async (muted, context) => {
        this.call('endpoint.setMute', 'SetMute(endpoint)');
        return endpoint.setMute(muted, context);
      },
      watchVolume: (changed) => endpoint.watchVolume(changed),
      hasMeter: () => !this.noMeter.has(deviceId) && endpoint.hasMeter(),
      volumeRange: () => endpoint.volumeRange(),
      peak: () => endpoint.peak(),
      sessionManager: () => {
        this.requireService(this.serviceRun ?? 0, 'Activate(IAudioSessionManager2)');
        return (manager ??= this.manager(deviceId, endpoint.sessionManager()));
      },
      release: () => endpoint.release(),
    };
  }

  async watchEndpoints(events: Seam.EndpointEvents): Promise<Seam.Watch> {
    const watch = await this.inner.watchEndpoints(events);
    this.endpointWatchers.add(events);
    return {
      stop: async () => {
        this.endpointWatchers.delete(events);
        await watch.stop();
      },
    };
  }

  processDetails(pid: number): Seam.ProcessDetails {
    if (this.unreadableProcesses.has(pid)) throw new ComError(E_ACCESSDENIED, 'OpenProcess');
    const packaged = this.packagedProcesses.get(pid);
    const details = this.inner.processDetails(pid);
    return packaged ? { ...details, packageFullName: packaged.packageFullName, appUserModelId: packaged.appUserModelId } : details;
  }

  mainWindowTitles(pids: readonly number[]): Map<number, string> {
    this.calls.push('mainWindowTitles');
    return this.inner.mainWindowTitles(pids.filter((pid) => !this.unreadableProcesses.has(pid)));
  }

  packageInstallPath(packageFullName: string): string | null {
    const packaged = [...this.packagedProcesses.values()].find((candidate) => candidate.packageFullName === packageFullName);
    return packaged?.installPath ?? this.inner.packageInstallPath(packageFullName);
  }

  win32Path(nativePath: string): string | null {
    return this.inner.win32Path(nativePath);
  }

  fileDescription(executablePath: string): string | null {
    this.calls.push('fileDescription');
    return this.inner.fileDescription(executablePath);
  }

  resolveIndirectString(text: string): string | null {
    return this.inner.resolveIndirectString(text);
  }

  renderIcon(iconPath: string): string | null {
    this.calls.push(`renderIcon ${iconPath}`);
    return this.inner.renderIcon(iconPath);
  }

  liveReferences(): number {
    return this.inner.liveReferences();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  // ---- internals -----------------------------------------------------------------------

  private withState(info: Seam.EndpointInfo): Seam.EndpointInfo {
    return { ...info, state: this.deviceStates.get(info.id) ?? info.state };
  }

  private call(operation: StubbedOperation, name: string): void {
    this.calls.push(name);
    if (this.notImplemented.has(operation)) throw new ComError(E_NOTIMPL, name);
  }

  private requireService(run: number, name: string): void {
    if (this.serviceRun === null || run !== this.serviceRun) throw new ComError(AUDCLNT_E_SERVICE_NOT_RUNNING, name);
  }

  private manager(deviceId: string, manager: Seam.SessionManager): Seam.SessionManager {
    const run = this.serviceRun ?? 0;
    return {
      listSessions: () => {
        this.call('listSessions', 'GetSessionEnumerator');
        this.requireService(run, 'GetSessionEnumerator');
        if (this.invalidatedDevices.has(deviceId)) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, 'GetSessionEnumerator');
        const listed = manager.listSessions().map((control) => this.control(control));
        const hook = this.afterEnumeration;
        this.afterEnumeration = null;
        hook?.();
        return listed;
      },
      openSession: (guid, crossProcess) => this.control(manager.openSession(guid, crossProcess)),
      watchSessions: async (created) => {
        this.call('watchSessions', 'RegisterSessionNotification');
        this.requireService(run, 'RegisterSessionNotification');
        return manager.watchSessions((control) => created(this.control(control)));
      },
      watchDucking: async (events) => {
        this.call('watchDucking', 'RegisterDuckNotification');
        return manager.watchDucking(events);
      },
      release: () => manager.release(),
    };
  }

  private control(control: Seam.SessionControl): Seam.SessionControl {
    let instance = '';
    try {
      instance = control.sessionInstanceIdentifier();
    } catch {
      // A disconnected session: every call fails on its own already.
    }
    const run = this.serviceRun ?? 0;
    const live = (name: string) => {
      this.calls.push(name);
      if (this.invalidatedSessions.has(instance)) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, name);
      this.requireService(run, name);
    };
    const optional = <T>(operation: StubbedOperation, read: () => T): T => {
      live(operation);
      this.call(operation, `IAudioSessionControl2.${operation}`);
      return read();
    };
    const through = <T>(iface: SessionInterface, name: string, call: () => T): T => {
      live(name);
      if (this.missingInterfaces.get(instance)?.has(iface)) throw new ComError(E_NOINTERFACE, `QueryInterface(${iface})`);
      return call();
    };
    const lostFloats = (events: Seam.SessionEvents): Seam.SessionEvents =>
      this.lostFloats ? { ...events, volumeChanged: (_, muted, context) => events.volumeChanged(Number.NaN, muted, context) } : events;
    return {
      openedGuid: control.openedGuid,
      state: () => (live('GetState'), control.state()),
      owner: () => (live('GetProcessId'), control.owner()),
      isSystemSounds: () => (live('IsSystemSoundsSession'), control.isSystemSounds()),
      displayName: () => optional('displayName', () => control.displayName()),
      iconPath: () => optional('iconPath', () => control.iconPath()),
      groupingParam: () => optional('groupingParam', () => control.groupingParam()),
      sessionIdentifier: () => optional('sessionIdentifier', () => control.sessionIdentifier()),
      sessionInstanceIdentifier: () => optional('sessionInstanceIdentifier', () => control.sessionInstanceIdentifier()),
      volume: () => through('volume', 'GetMasterVolume', () => control.volume()),
      channelVolumes: () => through('channels', 'GetChannelVolumes', () => control.channelVolumes()),
      peak: () => through('peak', 'GetPeakValue', () => control.peak()),
      setVolume: async (volume, context) => through('volume', 'SetMasterVolume', () => control.setVolume(volume, context)),
      setMute: async (muted, context) => through('volume', 'SetMute', () => control.setMute(muted, context)),
      setChannelVolume: async (channel, volume, context) =>
        through('channels', 'SetChannelVolume', () => control.setChannelVolume(channel, volume, context)),
      watch: async (events) => {
        live('RegisterAudioSessionNotification');
        this.call('watch', 'RegisterAudioSessionNotification');
        return control.watch(lostFloats(events));
      },
      release: () => control.release(),
    };
  }
}
