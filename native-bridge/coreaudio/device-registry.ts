// The coreaudio backend's devices: every endpoint Windows reports (all states), the
// endpoint and session manager opened for each active one, its volume notifications, and
// the device notifications (IMMNotificationClient), handled one after the other in the
// order they came. A device that goes away or inactive is let go of; its sessions go with
// it (the registry tells the session lifecycle through onRelease).
import type { DeviceRecord, DeviceRole, DisconnectReason, Flow, VolumeRangeDb } from '../types';
import { BackendError, DEVICE_ROLES } from '../types';
import type { BackendContext } from './backend-context';
import { PropertyKeys } from './constants';
import { backendErrorOf, comOutcome, describe, isUnsupported } from './hresult-outcome';
import type { Endpoint, EndpointInfo, SessionControl, SessionManager, Watch } from './system';

export interface DeviceEntry {
  info: EndpointInfo;
  endpoint: Endpoint | null;
  volumeWatch: Watch | null;
  sessionWatch: Watch | null;
  duckWatch: Watch | null;
  /** The registration for new sessions and ducking, made once however many listings race to it. */
  listening: Promise<void> | null;
  /** listSessions ran once: notifications of new sessions flow from now on (R22). */
  listed: boolean;
  /** Sessions OnSessionCreated reported during the first listing: merged into it, never dropped. */
  createdWhileListing: SessionControl[];
  /** Null until known; false where GetSessionEnumerator is not implemented (Wine). */
  enumerable: boolean | null;
  /** GetVolumeRange, read once per opened endpoint; null where it cannot be read. */
  volumeRange: VolumeRangeDb | null | undefined;
}

export class DeviceRegistry {
  private readonly devices = new Map<string, DeviceEntry>();
  private endpointWatch: Watch | null = null;
  /** Device notifications are handled one after the other, in the order they came. */
  private deviceEvents: Promise<void> = Promise.resolve();
  /** Capabilities are proven on the default render device: at start, or when the first one appears. */
  private probed = false;

  constructor(
    private readonly context: BackendContext,
    /** The device's sessions must go (disconnected with `reason`; null when closing). */
    private readonly onRelease: (deviceId: string, reason: DisconnectReason | null) => Promise<void>,
  ) {}

  /** Device notifications, and the capabilities the default render device proves. */
  async start(): Promise<void> {
    const { system } = this.context;
    this.endpointWatch = await system.watchEndpoints({
      deviceAdded: (deviceId) => this.inOrder(() => this.onDeviceAdded(deviceId)),
      deviceRemoved: (deviceId) => this.inOrder(() => this.onDeviceRemoved(deviceId)),
      stateChanged: (deviceId) => this.inOrder(() => this.onDeviceChanged(deviceId)),
      defaultChanged: (flow, role, deviceId) =>
        this.inOrder(async () => {
          if (!this.probed && flow === 'render' && role === 'console' && deviceId) await this.probeCapabilities(deviceId);
          this.context.emit({ type: 'default-device-changed', flow, role, deviceId });
        }),
      propertyChanged: (deviceId, key) => {
        const name = PropertyKeys.PKEY_Device_FriendlyName;
        if (key.fmtid === name.fmtid && key.pid === name.pid) this.inOrder(() => this.onDeviceChanged(deviceId));
      },
    });
    const renderId = system.defaultEndpointId('render', 'console');
    if (renderId) await this.probeCapabilities(renderId);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const infos = this.context.system.listEndpoints();
    const defaults = this.defaultRoles();
    const seen = new Set<string>();
    const records: DeviceRecord[] = [];
    for (const info of infos) {
      seen.add(info.id);
      const entry = this.entryFor(info);
      // Gone inactive while its notification was missed: let go of it as the notification would.
      if (info.state !== 'active' && entry.endpoint) await this.releaseDevice(entry, 'device-removed');
      records.push(await this.deviceRecord(entry, defaults));
    }
    for (const [id, entry] of [...this.devices]) if (!seen.has(id)) await this.dropDevice(entry, 'device-removed');
    return records;
  }

  async setVolume(deviceId: string, volume: number): Promise<void> {
    if (!this.context.capabilities.deviceVolume) throw new BackendError('not-supported', 'device volume cannot be set here');
    const endpoint = this.activeEndpoint(deviceId);
    await this.deviceCall('deviceVolume', () => endpoint.setVolume(volume, this.context.eventContext));
  }

  async setMute(deviceId: string, muted: boolean): Promise<void> {
    if (!this.context.capabilities.deviceMute) throw new BackendError('not-supported', 'device mute cannot be set here');
    const endpoint = this.activeEndpoint(deviceId);
    await this.deviceCall('deviceMute', () => endpoint.setMute(muted, this.context.eventContext));
  }

  /** The known device, or the one Windows reports under that id (not-found when none). */
  device(deviceId: string): DeviceEntry {
    return this.devices.get(deviceId) ?? this.entryFor(this.lookUp(deviceId));
  }

  /** The device as Windows reports it now, its entry updated. */
  refreshedDevice(deviceId: string): DeviceEntry {
    return this.entryFor(this.lookUp(deviceId));
  }

  /** Whether the entry is still the registry's (not dropped, not closed). */
  isCurrent(device: DeviceEntry): boolean {
    return !this.context.isClosed() && this.devices.get(device.info.id) === device;
  }

  sessionManager(device: DeviceEntry): SessionManager {
    const endpoint = this.endpointOf(device);
    try {
      return endpoint.sessionManager();
    } catch (error) {
      throw backendErrorOf(error, 'open the session manager');
    }
  }

  async close(): Promise<void> {
    const endpointWatch = this.endpointWatch;
    this.endpointWatch = null;
    await this.stopWatch(endpointWatch);
    for (const entry of [...this.devices.values()]) await this.dropDevice(entry, null);
  }

  async stopWatch(watch: Watch | null): Promise<void> {
    if (!watch) return;
    try {
      await watch.stop();
    } catch (error) {
      if (comOutcome(error) !== 'invalidated')
        this.context.warnOnce('unregister', `unregistering a notification failed: ${describe(error)}`);
    }
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * Reads what can be known without changing anything (a meter). Whether device volume and
   * mute can be set is learnt from the first real call (deviceCall): no write to the user's
   * device at start.
   */
  private async probeCapabilities(renderId: string): Promise<void> {
    this.probed = true;
    let endpoint: Endpoint;
    try {
      endpoint = this.endpointOf(this.entryFor(this.context.system.endpointInfo(renderId)));
    } catch (error) {
      this.context.warnOnce('probe', `could not open the default render device: ${describe(error)}`);
      return;
    }
    this.context.capabilities.peakMeters = endpoint.hasMeter();
    this.context.capabilities.devicePeakMeters = this.context.capabilities.peakMeters;
  }

  private entryFor(info: EndpointInfo): DeviceEntry {
    const existing = this.devices.get(info.id);
    if (existing) {
      existing.info = info;
      return existing;
    }
    const entry: DeviceEntry = {
      info,
      endpoint: null,
      volumeWatch: null,
      sessionWatch: null,
      duckWatch: null,
      listening: null,
      listed: false,
      createdWhileListing: [],
      enumerable: null,
      volumeRange: undefined,
    };
    this.devices.set(info.id, entry);
    return entry;
  }

  private lookUp(deviceId: string): EndpointInfo {
    try {
      return this.context.system.endpointInfo(deviceId);
    } catch (error) {
      if (comOutcome(error) === 'not-found') throw new BackendError('not-found', `no audio device ${deviceId}`);
      throw backendErrorOf(error, 'look up the device');
    }
  }

  /** Each active device's peak; one that cannot be read (gone, no meter) reads 0. */
  peaks(deviceIds: readonly string[]): Record<string, number> {
    const peaks: Record<string, number> = {};
    for (const id of deviceIds) {
      try {
        const entry = this.device(id);
        peaks[id] = entry.info.state === 'active' ? this.endpointOf(entry).peak() : 0;
      } catch (error) {
        if (!(error instanceof BackendError)) this.context.warnOnce(`device peak ${id}`, `reading the peak of ${id} failed: ${describe(error)}`);
        peaks[id] = 0;
      }
    }
    return peaks;
  }

  private endpointOf(entry: DeviceEntry): Endpoint {
    if (!entry.endpoint) {
      try {
        entry.endpoint = this.context.system.openEndpoint(entry.info.id);
      } catch (error) {
        throw backendErrorOf(error, 'open the device');
      }
    }
    return entry.endpoint;
  }

  private activeEndpoint(deviceId: string): Endpoint {
    const entry = this.device(deviceId);
    if (entry.info.state !== 'active') throw new BackendError('disconnected', `device ${entry.info.name} is ${entry.info.state}`);
    return this.endpointOf(entry);
  }

  private defaultRoles(): Map<string, DeviceRole[]> {
    const defaults = new Map<string, DeviceRole[]>();
    for (const flow of ['render', 'capture'] as Flow[]) {
      for (const role of DEVICE_ROLES) {
        let id: string | null;
        try {
          id = this.context.system.defaultEndpointId(flow, role);
        } catch (error) {
          throw backendErrorOf(error, 'read the default device');
        }
        if (id) defaults.set(id, [...(defaults.get(id) ?? []), role]);
      }
    }
    return defaults;
  }

  private async deviceRecord(entry: DeviceEntry, defaults: Map<string, DeviceRole[]>): Promise<DeviceRecord> {
    let volume: number | null = null;
    let muted: boolean | null = null;
    if (entry.info.state === 'active') {
      try {
        const endpoint = this.endpointOf(entry);
        entry.volumeRange ??= this.volumeRangeOf(entry, endpoint);
        ({ volume, muted } = endpoint.volume());
        if (!entry.volumeWatch) entry.volumeWatch = await this.watchEndpointVolume(entry, endpoint);
      } catch (error) {
        const outcome = comOutcome(error);
        if (outcome !== 'unsupported' && outcome !== 'invalidated' && outcome !== 'service-stopped') {
          this.context.warnOnce(`device volume ${entry.info.id}`, `reading ${entry.info.name}'s volume failed: ${describe(error)}`);
        }
      }
    }
    const { id, name, flow, state } = entry.info;
    return { id, name, flow, state, defaultFor: defaults.get(id) ?? [], volume, muted, volumeRangeDb: entry.volumeRange ?? null };
  }

  /**
   * The endpoint's range in dB: the scalar SndMix sets maps onto it evenly in dB (the
   * endpoint volume's SetMasterVolumeLevelScalar taper, as far as SndMix shows it).
   */
  private volumeRangeOf(entry: DeviceEntry, endpoint: Endpoint): VolumeRangeDb | null {
    try {
      const { minDb, maxDb, incrementDb } = endpoint.volumeRange();
      if (![minDb, maxDb, incrementDb].every(Number.isFinite) || minDb >= maxDb) {
        this.context.warnOnce(`volume range ${entry.info.id}`, `${entry.info.name} reports no usable volume range (${minDb}..${maxDb} dB)`);
        return null;
      }
      return { minDb, maxDb, stepDb: incrementDb, curve: 'linear-db' };
    } catch (error) {
      const outcome = comOutcome(error);
      if (outcome !== 'unsupported' && outcome !== 'invalidated') {
        this.context.warnOnce(`volume range ${entry.info.id}`, `reading ${entry.info.name}'s volume range failed: ${describe(error)}`);
      }
      return null;
    }
  }

  private async watchEndpointVolume(entry: DeviceEntry, endpoint: Endpoint): Promise<Watch | null> {
    try {
      return await endpoint.watchVolume(({ volume, muted }) => {
        if (!this.isCurrent(entry)) return;
        const { id, name, flow, state } = entry.info;
        const defaultFor = [...(this.defaultRoles().get(id) ?? [])];
        const volumeRangeDb = entry.volumeRange ?? null;
        this.context.emit({ type: 'device-changed', device: { id, name, flow, state, defaultFor, volume, muted, volumeRangeDb } });
      });
    } catch (error) {
      if (!isUnsupported(error))
        this.context.warnOnce('endpoint volume watch', `device volume notifications failed: ${describe(error)}`);
      return null;
    }
  }

  private inOrder(handle: () => Promise<void>): void {
    this.deviceEvents = this.deviceEvents.then(handle, handle);
  }

  private async onDeviceAdded(deviceId: string): Promise<void> {
    if (this.context.isClosed()) return;
    try {
      const entry = this.entryFor(this.context.system.endpointInfo(deviceId));
      this.context.emit({ type: 'device-added', device: await this.deviceRecord(entry, this.defaultRoles()) });
    } catch (error) {
      this.context.warnOnce(`device added ${deviceId}`, `a new device could not be read: ${describe(error)}`);
    }
  }

  private async onDeviceRemoved(deviceId: string): Promise<void> {
    const entry = this.devices.get(deviceId);
    if (this.context.isClosed() || !entry) return;
    await this.dropDevice(entry, 'device-removed');
    this.context.emit({ type: 'device-removed', deviceId });
  }

  private async onDeviceChanged(deviceId: string): Promise<void> {
    if (this.context.isClosed()) return;
    try {
      const entry = this.entryFor(this.context.system.endpointInfo(deviceId));
      if (entry.info.state !== 'active') await this.releaseDevice(entry, 'device-removed');
      this.context.emit({ type: 'device-changed', device: await this.deviceRecord(entry, this.defaultRoles()) });
    } catch (error) {
      if (comOutcome(error) === 'not-found') return this.onDeviceRemoved(deviceId);
      this.context.warnOnce(`device changed ${deviceId}`, `a changed device could not be read: ${describe(error)}`);
    }
  }

  /** Forgets a device; its sessions are disconnected with `reason` (null when closing). */
  private async dropDevice(entry: DeviceEntry, reason: DisconnectReason | null): Promise<void> {
    this.devices.delete(entry.info.id);
    await this.releaseDevice(entry, reason);
  }

  /**
   * The audio service stopped: every device's registrations and objects belong to the dead
   * run. They are let go of (the entries stay); the next listings open new ones.
   */
  async releaseServiceObjects(): Promise<void> {
    for (const entry of [...this.devices.values()]) await this.releaseObjects(entry);
  }

  private async releaseDevice(entry: DeviceEntry, reason: DisconnectReason | null): Promise<void> {
    await this.onRelease(entry.info.id, reason);
    await this.releaseObjects(entry);
  }

  private async releaseObjects(entry: DeviceEntry): Promise<void> {
    const watches = [entry.volumeWatch, entry.sessionWatch, entry.duckWatch];
    entry.volumeWatch = entry.sessionWatch = entry.duckWatch = null;
    for (const watch of watches) await this.stopWatch(watch);
    entry.endpoint?.release();
    entry.endpoint = null;
    entry.listening = null;
    entry.listed = false;
    for (const control of entry.createdWhileListing.splice(0)) control.release();
    entry.enumerable = null;
    entry.volumeRange = undefined;
  }

  private async deviceCall(capability: 'deviceVolume' | 'deviceMute', call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      throw backendErrorOf(error, 'set the device', { unsupported: () => (this.context.capabilities[capability] = false) });
    }
  }
}
