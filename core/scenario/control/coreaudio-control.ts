// Disturbances on Windows: the documented Core Audio API lets a program watch devices and
// sessions, not change them. Moving another app's streams, removing or disabling an
// endpoint and changing the default device need undocumented interfaces (IPolicyConfig,
// IAudioPolicyConfigFactory) that SndMix does not use; each says so.
import type { ControlDeviceSpec, SystemControl } from './system-control';
import { NotSupportedError } from './system-control';

const NO_PUBLIC_API = 'Windows has no documented API for it (only the undocumented IPolicyConfig), and SndMix uses none';

export class CoreAudioControl implements SystemControl {
  async addDevice(spec: ControlDeviceSpec): Promise<void> {
    throw new NotSupportedError(`adding device ${spec.id} on coreaudio`, 'an endpoint comes from a driver; plug a device in before the run');
  }

  async removeDevice(deviceId: string): Promise<void> {
    throw new NotSupportedError(`removing device ${deviceId} on coreaudio`, `${NO_PUBLIC_API}; unplug it by hand`);
  }

  async suspendDevice(deviceId: string): Promise<void> {
    throw new NotSupportedError(`suspending device ${deviceId} on coreaudio`, 'Windows endpoints have no suspend state');
  }

  async setDefaultDevice(deviceId: string): Promise<void> {
    throw new NotSupportedError(`making ${deviceId} the default device on coreaudio`, NO_PUBLIC_API);
  }

  async moveStreams(_pids: readonly number[], deviceId: string): Promise<number> {
    throw new NotSupportedError(`moving streams to ${deviceId} on coreaudio`, `${NO_PUBLIC_API}; an app moves its own streams (R7)`);
  }

  async close(): Promise<void> {}
}
