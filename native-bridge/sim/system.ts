// The simulated Windows as the coreaudio logic sees it: the OS seam (coreaudio/system.ts)
// served from the SimEngine, failing as Core Audio does, with ComError and the HRESULT
// Windows gives (E_POINTER for a null sink, E_NOTFOUND for an unknown device,
// AUDCLNT_E_DEVICE_INVALIDATED once a device went away, E_INVALIDARG for an out-of-range
// level). References are counted exactly, as COM's are: every endpoint, manager, control
// and registration handed out is one until it is released or stopped.
import { canonicalGuid } from '../com/guid';
import type { HResult } from '../com/hresult';
import { AUDCLNT_E_DEVICE_INVALIDATED, ComError, E_INVALIDARG, E_NOTFOUND, E_NOTIMPL, E_POINTER, succeeded } from '../com/hresult';
import type {
  AppEndpointPolicy,
  AudioSystem,
  Endpoint,
  EndpointEvents,
  EndpointInfo,
  ProcessDetails,
  SessionControl,
  SessionManager,
  Watch,
} from '../coreaudio/system';
import type { DeviceRole, Flow } from '../types';
import type { SimEngine } from './engine';
import { SIM_ENDPOINT_VOLUME_RANGE } from './endpoints';
import { SYSTEM_SOUNDS_ICON } from './icons';
import type { ManagerCore } from './manager-core';
import type { SessionCore } from './session';
import { SYSTEM_SOUNDS_DISPLAY_NAME, SYSTEM_SOUNDS_ICON_PATH } from './system-sounds';
import { isUnitLevel } from '../windows-rules/volume-level';

/** What the audio service's resource strings read as (SHLoadIndirectString). */
const INDIRECT_STRINGS = new Map([[SYSTEM_SOUNDS_DISPLAY_NAME, 'System Sounds']]);

export interface SimAudioSystemOptions {
  /** The pid SndMix itself runs as in the simulated Windows: openSession finds that process's sessions. */
  mixerPid?: number;
  /** Runs once when the coreaudio logic closes the system (the engine's timers, the demo's). */
  onClose?: () => Promise<void> | void;
}

export class SimAudioSystem implements AudioSystem {
  // The simulated Windows runs no packaged apps.
  readonly runsPackagedApps = false;
  private references = 0;
  private closed = false;

  constructor(
    readonly engine: SimEngine,
    private readonly options: SimAudioSystemOptions = {},
  ) {}

  listEndpoints(): EndpointInfo[] {
    return this.engine.listDevices().map((device) => this.endpointInfo(device.id));
  }

  endpointInfo(deviceId: string): EndpointInfo {
    const device = this.engine.getDevice(deviceId);
    if (!device) throw notFound('IMMDeviceEnumerator.GetDevice');
    return { id: device.id, name: device.name, flow: device.flow, state: 'active' };
  }

  defaultEndpointId(flow: Flow, role: DeviceRole): string | null {
    return this.engine.getDefaultDevice(flow, role);
  }

  openEndpoint(deviceId: string): Endpoint {
    if (!this.engine.getDevice(deviceId)) throw notFound('IMMDeviceEnumerator.GetDevice');
    const reference = this.reference(`endpoint ${deviceId}`);
    let manager: SessionManager | null = null;
    const device = (call: string) => {
      const found = this.engine.getDevice(deviceId);
      if (!found) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, call);
      return found;
    };
    return {
      id: deviceId,
      volume: () => {
        const { volume, muted } = device('IAudioEndpointVolume.GetMasterVolumeLevelScalar');
        return { volume, muted };
      },
      setVolume: async (volume, eventContext) => {
        device('IAudioEndpointVolume.SetMasterVolumeLevelScalar');
        if (!isUnitLevel(volume)) throw new ComError(E_INVALIDARG, 'IAudioEndpointVolume.SetMasterVolumeLevelScalar');
        this.engine.setDeviceVolume(deviceId, volume, eventContext);
      },
      setMute: async (muted, eventContext) => {
        device('IAudioEndpointVolume.SetMute');
        this.engine.setDeviceMute(deviceId, muted, eventContext);
      },
      watchVolume: async (changed) => {
        requireSink(changed, 'IAudioEndpointVolume.RegisterControlChangeNotify');
        device('IAudioEndpointVolume.RegisterControlChangeNotify');
        return this.watch(this.engine.watchDeviceVolume(deviceId, changed));
      },
      sessionManager: () => {
        manager ??= this.sessionManager(this.engine.activateSessionManager(deviceId));
        return manager;
      },
      hasMeter: () => true,
      volumeRange: () => {
        device('IAudioEndpointVolume.GetVolumeRange');
        return { ...SIM_ENDPOINT_VOLUME_RANGE };
      },
      peak: () => {
        device('IAudioMeterInformation.GetPeakValue');
        return this.engine.devicePeakOf(deviceId);
      },
      release: () => {
        reference.release();
        manager?.release();
      },
    };
  }

  async watchEndpoints(events: EndpointEvents): Promise<Watch> {
    requireSink(events, 'IMMDeviceEnumerator.RegisterEndpointNotificationCallback');
    return this.watch(this.engine.watchEndpoints(events));
  }

  /** The simulated Windows has the per-app default endpoint (a Windows 10 1803 or later). */
  appEndpointPolicy(): AppEndpointPolicy {
    const process = (pid: number, call: string) => {
      if (!this.engine.getProcess(pid)) throw new ComError(E_INVALIDARG, call);
      return pid;
    };
    return {
      persistedEndpoint: (pid, flow) =>
        this.engine.getAppDefaultDevice(process(pid, 'IAudioPolicyConfigFactory.GetPersistedDefaultAudioEndpoint'), flow),
      setPersistedEndpoint: async (pid, flow, deviceId) => {
        const call = 'IAudioPolicyConfigFactory.SetPersistedDefaultAudioEndpoint';
        if (deviceId !== null && this.engine.getDevice(deviceId)?.flow !== flow) throw new ComError(E_INVALIDARG, call);
        this.engine.setAppDefaultDevice(process(pid, call), flow, deviceId);
      },
    };
  }

  processDetails(pid: number): ProcessDetails {
    return { executablePath: this.engine.getProcess(pid)?.exePath ?? null, packageFullName: null, appUserModelId: null };
  }

  mainWindowTitles(pids: readonly number[]): Map<number, string> {
    const titles = new Map<number, string>();
    for (const pid of pids) {
      const title = this.engine.getProcess(pid)?.windowTitle;
      if (title) titles.set(pid, title);
    }
    return titles;
  }

  packageInstallPath(): string | null {
    return null;
  }

  /** The simulated apps' paths are drive paths already. */
  win32Path(nativePath: string): string | null {
    return nativePath;
  }

  fileDescription(executablePath: string): string | null {
    const process = this.engine.listProcesses().find((candidate) => candidate.exePath === executablePath);
    return process?.fileDescription || null;
  }

  resolveIndirectString(text: string): string | null {
    return INDIRECT_STRINGS.get(text) ?? null;
  }

  /** The audio service's System Sounds icon, an app's own icon by its executable, or a data URL as given. */
  renderIcon(iconPath: string): string | null {
    if (iconPath === SYSTEM_SOUNDS_ICON_PATH) return SYSTEM_SOUNDS_ICON;
    if (iconPath.startsWith('data:')) return iconPath;
    return this.engine.listProcesses().find((process) => process.exePath === iconPath)?.icon ?? null;
  }

  liveReferences(): number {
    return this.references;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.options.onClose?.();
  }

  // ---- internals -----------------------------------------------------------------------

  private reference(what: string): { release(): void } {
    this.references += 1;
    let released = false;
    return {
      release: () => {
        if (released) throw new Error(`${what} released twice`);
        released = true;
        this.references -= 1;
      },
    };
  }

  /** A registration: one reference until stopped. */
  private watch(unregister: () => void): Watch {
    const reference = this.reference('a registration');
    return {
      stop: async () => {
        reference.release();
        unregister();
      },
    };
  }

  private sessionManager(core: ManagerCore): SessionManager {
    const reference = this.reference(`the session manager of ${core.deviceId}`);
    const usable = (call: string) => {
      if (core.invalidated) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, call);
    };
    return {
      listSessions: () => {
        usable('IAudioSessionManager2.GetSessionEnumerator');
        const sessions = this.engine.sessionsOf(core.deviceId);
        if (!sessions) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, 'IAudioSessionManager2.GetSessionEnumerator');
        core.enumerated = true;
        // A snapshot, as Windows' enumerator is: later sessions arrive as notifications.
        return sessions.map((session) => this.control(session));
      },
      openSession: (sessionGuid, crossProcess) => {
        const guid = canonicalGuid(sessionGuid);
        const session = this.engine
          .sessionsOf(core.deviceId)
          ?.find(
            ({ identity }) =>
              identity.sessionGuid === guid &&
              identity.crossProcess === crossProcess &&
              (crossProcess || identity.pid === this.options.mixerPid),
          );
        // Windows would create the session; the simulated one has sessions only from a stream on.
        if (!session) throw new ComError(E_NOTIMPL, 'IAudioSessionManager.GetAudioSessionControl');
        return this.control(session, guid);
      },
      watchSessions: async (created) => {
        requireSink(created, 'IAudioSessionManager2.RegisterSessionNotification');
        usable('IAudioSessionManager2.RegisterSessionNotification');
        const listener = (session: SessionCore) => created(this.control(session));
        core.sessionListeners.add(listener);
        return this.watch(() => core.sessionListeners.delete(listener));
      },
      watchDucking: async (events) => {
        requireSink(events, 'IAudioSessionManager2.RegisterDuckNotification');
        usable('IAudioSessionManager2.RegisterDuckNotification');
        core.duckListeners.add(events);
        return this.watch(() => core.duckListeners.delete(events));
      },
      release: () => {
        reference.release();
        this.engine.releaseSessionManager(core);
      },
    };
  }

  /**
   * One session's IAudioSessionControl2 with its ISimpleAudioVolume, IChannelAudioVolume
   * and IAudioMeterInformation. Getters keep answering after the session terminated (its
   * final values); everything fails with AUDCLNT_E_DEVICE_INVALIDATED once it was
   * disconnected (R25).
   */
  private control(session: SessionCore, openedGuid: string | null = null): SessionControl {
    const reference = this.reference('a session control');
    session.heldControls++;
    const read = <T>(call: string, value: () => T): T => {
      if (session.disconnected) throw new ComError(AUDCLNT_E_DEVICE_INVALIDATED, call);
      return value();
    };
    const change = (call: string, hr: HResult): void => {
      if (!succeeded(hr)) throw new ComError(hr, call);
    };
    return {
      openedGuid,
      state: () => read('IAudioSessionControl.GetState', () => session.state),
      owner: () =>
        read('IAudioSessionControl2.GetProcessId', () => ({
          pid: session.identity.pid,
          crossProcess: session.identity.crossProcess,
        })),
      isSystemSounds: () => read('IAudioSessionControl2.IsSystemSoundsSession', () => session.isSystemSounds),
      displayName: () => read('IAudioSessionControl.GetDisplayName', () => session.displayName),
      iconPath: () => read('IAudioSessionControl.GetIconPath', () => session.iconPath),
      groupingParam: () => read('IAudioSessionControl.GetGroupingParam', () => session.groupingParam),
      sessionIdentifier: () => read('IAudioSessionControl2.GetSessionIdentifier', () => session.sessionIdentifier),
      sessionInstanceIdentifier: () =>
        read('IAudioSessionControl2.GetSessionInstanceIdentifier', () => session.sessionInstanceIdentifier),
      volume: () => read('ISimpleAudioVolume.GetMasterVolume', () => ({ volume: session.volume, muted: session.muted })),
      channelVolumes: () => read('IChannelAudioVolume.GetAllVolumes', () => [...session.channelVolumes]),
      peak: () => read('IAudioMeterInformation.GetPeakValue', () => this.engine.peakOf(session)),
      setVolume: async (volume, eventContext) =>
        change('ISimpleAudioVolume.SetMasterVolume', session.setVolume(volume, eventContext)),
      setMute: async (muted, eventContext) => change('ISimpleAudioVolume.SetMute', session.setMute(muted, eventContext)),
      setChannelVolume: async (channel, volume, eventContext) =>
        change('IChannelAudioVolume.SetChannelVolume', session.setChannelVolume(channel, volume, eventContext)),
      watch: async (events) => {
        requireSink(events, 'IAudioSessionControl.RegisterAudioSessionNotification');
        read('IAudioSessionControl.RegisterAudioSessionNotification', () => session.addSink(events));
        return this.watch(() => session.removeSink(events));
      },
      release: () => {
        reference.release();
        session.heldControls--;
      },
    };
  }
}

function notFound(call: string): ComError {
  return new ComError(E_NOTFOUND, call);
}

/** R24: a null interface pointer where a sink belongs gives E_POINTER. */
function requireSink(sink: unknown, call: string): void {
  if (sink === null || sink === undefined) throw new ComError(E_POINTER, call);
}
