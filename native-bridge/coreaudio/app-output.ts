// An app's output device on Windows: the per-app default endpoint (IAudioPolicyConfigFactory,
// what Windows' own volume mixer and EarTrumpet set). SndMix sets it for the session's
// process; Windows then moves the app's streams that follow the default, so the session
// ends on its old device and the app's session starts on the new one (a session belongs
// to one device, R4; a stream to one session, R7), reported through the usual
// notifications: the backend invents no event of its own. Where this Windows has no such
// factory, the capability is off and every call says why.
import type { Flow, OutputRoute, SessionRecord } from '../types';
import { BackendError } from '../types';
import type { BackendContext } from './backend-context';
import { backendErrorOf, describe } from './hresult-outcome';
import type { AppEndpointPolicy, AppEndpointPolicyAbsent } from './system';

export class AppOutput {
  private policy: AppEndpointPolicy | null = null;
  private absent = 'the per-app output device was not looked for yet';

  constructor(private readonly context: BackendContext) {}

  /** Asks the system once whether it has the per-app default endpoint; the capability follows. */
  start(): void {
    let found: AppEndpointPolicy | AppEndpointPolicyAbsent;
    try {
      found = this.context.system.appEndpointPolicy();
    } catch (error) {
      found = { unsupported: `the per-app output device could not be opened: ${describe(error)}` };
    }
    if ('unsupported' in found) {
      this.absent = found.unsupported;
      this.context.capabilities.outputDevice = false;
    } else {
      this.policy = found;
      this.context.capabilities.outputDevice = true;
    }
  }

  /** The app's own output device for the flow, or null when it follows the default (or cannot be read). */
  persistedDevice(pid: number, flow: Flow): string | null {
    if (!this.policy || pid <= 0) return null;
    try {
      return this.policy.persistedEndpoint(pid, flow);
    } catch (error) {
      this.context.warnOnce('persisted endpoint', `reading an app's output device failed: ${describe(error)}`);
      return null;
    }
  }

  /**
   * The session's app's route (SessionRecord.outputRoute): pinned to its persisted endpoint,
   * or following the default where it has none; null where the capability is off, the
   * session belongs to no one app, or the endpoint cannot be read (the process is gone).
   */
  routeOf(record: SessionRecord): OutputRoute | null {
    if (!this.policy || !ofOneApp(record)) return null;
    let deviceId: string | null;
    try {
      deviceId = this.policy.persistedEndpoint(record.pid, record.flow);
    } catch {
      return null;
    }
    return deviceId === null ? { kind: 'follows-default' } : { kind: 'pinned', deviceId };
  }

  async set(record: SessionRecord, deviceId: string | null): Promise<void> {
    if (!this.policy) throw new BackendError('not-supported', `not supported on this Windows: ${this.absent}`);
    if (!ofOneApp(record)) {
      throw new BackendError('not-supported', `${record.displayName} is a shared session: it belongs to no one app whose output could be set`);
    }
    if (deviceId !== null) {
      let flow: Flow;
      try {
        flow = this.context.system.endpointInfo(deviceId).flow;
      } catch (error) {
        throw backendErrorOf(error, `find the device ${deviceId}`);
      }
      if (flow !== record.flow) throw new BackendError('invalid-argument', `session ${record.id} is ${record.flow}, device ${deviceId} is ${flow}`);
    }
    try {
      await this.policy.setPersistedEndpoint(record.pid, record.flow, deviceId);
    } catch (error) {
      throw backendErrorOf(error, `set the output device of ${record.displayName}`);
    }
  }
}

/** Windows keeps the per-app endpoint per process: System Sounds and shared sessions have none of their own. */
function ofOneApp(record: SessionRecord): boolean {
  return !record.crossProcess && !record.isSystemSounds && record.pid > 0;
}
