// The simulated Windows' audio endpoints (IMMDevice): devices, the default device of each
// flow and role, endpoint master volume and mute, and the two endpoint notifications
// (IMMNotificationClient, IAudioEndpointVolumeCallback). The engine's first layer:
// sessions belong to an endpoint (session-lifecycle.ts builds on this class and says what
// a device's arrival and removal do to them). Guarantees: every flow that has a device has
// a default for each role (a device takes every role of its flow that has none yet, and a
// removed default passes to the first remaining device of its flow); each change is told
// to the endpoint listeners once, after the state changed, and a moved default is told
// before what it moves (R27) happens; setting a mute a device already has tells nobody
// (S_FALSE on Windows).
import { GUID_NULL } from '../com/guid';
import type { EndpointEvents, EndpointVolumeEvent } from '../coreaudio/system';
import type { DeviceRole, Flow } from '../types';
import { DEVICE_ROLES } from '../types';
import type { TimerHandle } from './clock';
import { tellEach } from './listeners';
import type { ManagerCore } from './manager-core';
import { requireDeviceVolume, requireFlow, requireRole, requireText, SimScenarioError } from './scenario-checks';
import type { SessionCore, StreamCore } from './session';

/** The volume range the simulated endpoints report (IAudioEndpointVolume::GetVolumeRange): a common driver's. */
export const SIM_ENDPOINT_VOLUME_RANGE = { minDb: -65.25, maxDb: 0, incrementDb: 0.03125 } as const;
const MAX_CHANNELS = 32;

export interface SimEndpointsOptions {
  /** Things worth telling but not failing for (a listener threw, ...). */
  onWarning?: (message: string) => void;
}

export interface SimDeviceSpec {
  /** Endpoint id; generated in Windows' style ("{0.0.0.00000000}.{guid}") when left out. */
  id?: string;
  name: string;
  flow: Flow;
  /** Roles it is the default for; a device also takes every role of its flow that has no default yet. */
  defaultFor?: readonly DeviceRole[];
  /** Endpoint master volume, 0..1 (default 1). */
  volume?: number;
  muted?: boolean;
  /** The mix format's channel count: every session on the device has this many channel volumes (default 2). */
  channelCount?: number;
}

export interface SimDeviceInfo {
  id: string;
  name: string;
  flow: Flow;
  defaultFor: DeviceRole[];
  volume: number;
  muted: boolean;
  channelCount: number;
}

export interface DeviceCore {
  id: string;
  name: string;
  flow: Flow;
  channelCount: number;
  volume: number;
  muted: boolean;
  /** Live sessions in creation order (expired ones included). */
  sessions: Map<string, SessionCore>;
  managers: Set<ManagerCore>;
  /** IAudioEndpointVolumeCallback sinks. */
  volumeListeners: Set<(event: EndpointVolumeEvent) => void>;
  /** The system's stream in this device's System Sounds session (render devices). */
  systemStream: StreamCore | null;
  systemSoundTimer: TimerHandle | null;
}

export abstract class SimEndpoints {
  protected readonly devices = new Map<string, DeviceCore>();
  /** `${flow}:${role}` -> device id. */
  private readonly defaults = new Map<string, string>();
  private readonly endpointSinks = new Set<EndpointEvents>();
  private readonly warn: (message: string) => void;
  private nextDeviceNumber = 1;

  constructor(options: SimEndpointsOptions) {
    this.warn = options.onWarning ?? ((message) => console.warn(`sndmix sim: ${message}`));
  }

  /** The device exists (in `devices`) and nobody has been told yet. */
  protected abstract endpointAdded(device: DeviceCore): void;
  /** The device is about to go: what lives on it ends (R25). */
  protected abstract endpointRemoving(device: DeviceCore): void;
  /** The default of a flow and role moved (null: no device of the flow is left); the listeners were told. */
  protected abstract defaultMoved(flow: Flow, role: DeviceRole, deviceId: string | null): void;

  addDevice(spec: SimDeviceSpec): SimDeviceInfo {
    const flow = requireFlow(spec.flow);
    const name = requireText(spec.name, 'device name');
    const roles = (spec.defaultFor ?? []).map(requireRole);
    const volume = requireDeviceVolume(spec.volume ?? 1);
    const channelCount = spec.channelCount ?? 2;
    if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > MAX_CHANNELS) {
      throw new SimScenarioError(`channelCount must be an integer from 1 to ${MAX_CHANNELS}, got ${channelCount}`);
    }
    const id = spec.id === undefined ? this.generateDeviceId(flow) : requireText(spec.id, 'device id');
    if (this.devices.has(id)) throw new SimScenarioError(`a device with id "${id}" already exists`);

    const device: DeviceCore = {
      id,
      name,
      flow,
      channelCount,
      volume,
      muted: spec.muted ?? false,
      sessions: new Map(),
      managers: new Set(),
      volumeListeners: new Set(),
      systemStream: null,
      systemSoundTimer: null,
    };
    this.devices.set(id, device);
    this.endpointAdded(device);

    const newDefaults = DEVICE_ROLES.filter((role) => roles.includes(role) || !this.defaults.has(defaultKey(flow, role)));
    for (const role of newDefaults) this.defaults.set(defaultKey(flow, role), id);
    this.notifyEndpoints((sink) => sink.deviceAdded(id));
    for (const role of newDefaults) this.tellDefault(flow, role, id);
    return this.deviceInfo(device);
  }

  /**
   * The device goes away: every session on it is disconnected ('device-removed'), its
   * streams invalidated (R25), and each role it was the default for passes to the first
   * remaining device of its flow.
   */
  removeDevice(deviceId: string): void {
    const device = this.requireDevice(deviceId);
    this.endpointRemoving(device);
    for (const manager of device.managers) manager.invalidated = true;
    device.volumeListeners.clear();
    this.devices.delete(deviceId);
    this.notifyEndpoints((sink) => sink.deviceRemoved(deviceId));
    for (const role of DEVICE_ROLES) {
      const key = defaultKey(device.flow, role);
      if (this.defaults.get(key) !== deviceId) continue;
      const successor = this.defaultWithout(device, role);
      if (successor) this.defaults.set(key, successor.id);
      else this.defaults.delete(key);
      this.tellDefault(device.flow, role, successor?.id ?? null);
    }
  }

  /** Makes the device the default of its flow for the given roles (all by default). */
  setDefaultDevice(deviceId: string, roles: readonly DeviceRole[] = DEVICE_ROLES): void {
    const device = this.requireDevice(deviceId);
    for (const role of roles.map(requireRole)) {
      const key = defaultKey(device.flow, role);
      if (this.defaults.get(key) === deviceId) continue;
      this.defaults.set(key, deviceId);
      this.tellDefault(device.flow, role, deviceId);
    }
  }

  /** The endpoint's master volume (IAudioEndpointVolume): listeners hear the caller's event context. */
  setDeviceVolume(deviceId: string, volume: number, eventContext: string = GUID_NULL): void {
    const device = this.requireDevice(deviceId);
    device.volume = requireDeviceVolume(volume);
    this.notifyVolume(device, eventContext);
  }

  /** Setting the mute it already has changes nothing and tells nobody (S_FALSE on Windows). */
  setDeviceMute(deviceId: string, muted: boolean, eventContext: string = GUID_NULL): void {
    const device = this.requireDevice(deviceId);
    if (typeof muted !== 'boolean') throw new SimScenarioError(`device mute must be true or false, got ${String(muted)}`);
    if (device.muted === muted) return;
    device.muted = muted;
    this.notifyVolume(device, eventContext);
  }

  listDevices(): SimDeviceInfo[] {
    return [...this.devices.values()].map((device) => this.deviceInfo(device));
  }

  getDevice(deviceId: string): SimDeviceInfo | undefined {
    const device = this.devices.get(deviceId);
    return device ? this.deviceInfo(device) : undefined;
  }

  getDefaultDevice(flow: Flow, role: DeviceRole): string | null {
    return this.defaults.get(defaultKey(flow, role)) ?? null;
  }

  /** IMMNotificationClient registration; returns the unregistration. */
  watchEndpoints(sink: EndpointEvents): () => void {
    this.endpointSinks.add(sink);
    return () => this.endpointSinks.delete(sink);
  }

  /** IAudioEndpointVolumeCallback registration on a device; returns the unregistration. */
  watchDeviceVolume(deviceId: string, listener: (event: EndpointVolumeEvent) => void): () => void {
    const listeners = this.requireDevice(deviceId).volumeListeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  protected defaultDeviceFor(flow: Flow, role: DeviceRole): DeviceCore {
    const id = this.defaults.get(defaultKey(flow, role));
    if (id === undefined) throw new SimScenarioError(`there is no default ${flow} device for the ${role} role`);
    return this.requireDevice(id);
  }

  /** The default of the device's flow for `role` once the device is gone: the same, unless it was the device, then the first other device of its flow. */
  protected defaultWithout(device: DeviceCore, role: DeviceRole): DeviceCore | undefined {
    const current = this.defaults.get(defaultKey(device.flow, role));
    if (current !== undefined && current !== device.id) return this.devices.get(current);
    return [...this.devices.values()].find((candidate) => candidate.flow === device.flow && candidate !== device);
  }

  protected requireDevice(deviceId: string): DeviceCore {
    const device = this.devices.get(deviceId);
    if (!device) throw new SimScenarioError(`unknown device "${deviceId}"`);
    return device;
  }

  protected listenerFailed(error: unknown): void {
    this.warn(`a notification listener threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  private deviceInfo(device: DeviceCore): SimDeviceInfo {
    return {
      id: device.id,
      name: device.name,
      flow: device.flow,
      defaultFor: DEVICE_ROLES.filter((role) => this.defaults.get(defaultKey(device.flow, role)) === device.id),
      volume: device.volume,
      muted: device.muted,
      channelCount: device.channelCount,
    };
  }

  private generateDeviceId(flow: Flow): string {
    for (;;) {
      const serial = (this.nextDeviceNumber++).toString(16).padStart(12, '0');
      const id = `{0.0.${flow === 'render' ? 0 : 1}.00000000}.{5153a9d0-0000-4000-8000-${serial}}`;
      if (!this.devices.has(id)) return id;
    }
  }

  private notifyVolume(device: DeviceCore, eventContext: string): void {
    const event: EndpointVolumeEvent = { volume: device.volume, muted: device.muted, eventContext };
    tellEach(device.volumeListeners, (listener) => listener(event), (error) => this.listenerFailed(error));
  }

  private tellDefault(flow: Flow, role: DeviceRole, deviceId: string | null): void {
    this.notifyEndpoints((sink) => sink.defaultChanged(flow, role, deviceId));
    this.defaultMoved(flow, role, deviceId);
  }

  private notifyEndpoints(deliver: (sink: EndpointEvents) => void): void {
    tellEach(this.endpointSinks, deliver, (error) => this.listenerFailed(error));
  }
}

function defaultKey(flow: Flow, role: DeviceRole): string {
  return `${flow}:${role}`;
}
