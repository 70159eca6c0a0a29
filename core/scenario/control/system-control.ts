// The system side of a scenario on a real backend: what the run does to devices and to an
// app's streams while the app plays (the "disturbances"). One implementation per backend;
// what a platform does not allow throws NotSupportedError with the reason, never a fake.
import type { BackendName, DeviceRole, Flow } from '../../../native-bridge/types';

export interface ControlDeviceSpec {
  /** The device id as the backend reports it (pulse: "sink:NAME" / "source:NAME"). */
  id: string;
  name: string;
  flow: Flow;
  /** Make it the default device (every role). */
  makeDefault: boolean;
}

export interface SystemControl {
  /** Creates a device (pulse: a null sink or source), removed again by close(). */
  addDevice(spec: ControlDeviceSpec): Promise<void>;
  /** The device goes away under its sessions (pulse: its module is unloaded). */
  removeDevice(deviceId: string): Promise<void>;
  suspendDevice(deviceId: string, suspended: boolean): Promise<void>;
  setDefaultDevice(deviceId: string, roles: readonly DeviceRole[]): Promise<void>;
  /** Moves every stream of these processes to the device; resolves with how many moved. */
  moveStreams(pids: readonly number[], deviceId: string): Promise<number>;
  /** Removes what addDevice created that is still there. */
  close(): Promise<void>;
}

export class NotSupportedError extends Error {
  override name = 'NotSupportedError';
  constructor(what: string, reason: string) {
    super(`${what} is not supported: ${reason}`);
  }
}

export interface ControlOptions {
  /** Environment for the platform's tools (pulse: PULSE_SERVER for pactl). */
  env: NodeJS.ProcessEnv;
}

// Each platform's control is loaded only when its backend runs.
export async function openSystemControl(backend: Exclude<BackendName, 'sim'>, options: ControlOptions): Promise<SystemControl> {
  switch (backend) {
    case 'pulse': {
      const { PulseControl } = await import('./pulse-control');
      return new PulseControl(options.env);
    }
    case 'coreaudio': {
      const { CoreAudioControl } = await import('./coreaudio-control');
      return new CoreAudioControl();
    }
  }
}
