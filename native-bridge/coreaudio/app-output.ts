// An app's output device on Windows: the per-app default endpoint (IAudioPolicyConfigFactory,
// what Windows' own volume mixer and EarTrumpet set). SndMix sets it for the session's
// process; Windows then moves the app's streams that follow the default, so the session
// ends on its old device and the app's session starts on the new one (a session belongs
// to one device, R4; a stream to one session, R7), reported through the usual
// notifications: the backend invents no event of its own. Where this Windows has no such
// factory, the capability is off and every call says why.
//
// Each session's record says its app's route (SessionRecord.outputRoute). Windows keeps
// the endpoint per process and flow and notifies no change of it, so it is read: at once
// when a session appears or comes back and after SndMix sets it; otherwise once per app
// (however many sessions it has, however often devices are listed) when the last read is
// ROUTE_RECHECK_MS old. Another program pinning an app (EarTrumpet, Windows' own mixer)
// moves the app's streams to a new session, read as it appears; a change that moves none
// (pinned where it already plays, back to a default it plays on) shows within
// ROUTE_RECHECK_MS and one poll.
import type { Flow, OutputRoute, SessionRecord } from '../types';
import { BackendError } from '../types';
import type { BackendContext } from './backend-context';
import { backendErrorOf, describe } from './hresult-outcome';
import type { AppEndpointPolicy, AppEndpointPolicyAbsent } from './system';

/** How old an app's route read may be before a listing reads it again (5 polls of 2 s). */
export const ROUTE_RECHECK_MS = 10_000;

/** A read now (a session appeared, SndMix set the route), or the app's last read while it is recent. */
export type RouteRead = 'now' | 'recent';

export class AppOutput {
  private policy: AppEndpointPolicy | null = null;
  private absent = 'the per-app output device was not looked for yet';
  /** The last route read of each app, by pid and flow. */
  private readonly routes = new Map<string, { route: OutputRoute | null; readAt: number }>();

  constructor(
    private readonly context: BackendContext,
    private readonly now: () => number = () => performance.now(),
  ) {}

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
  routeOf(record: SessionRecord, read: RouteRead): OutputRoute | null {
    if (!this.policy || !ofOneApp(record)) return null;
    const key = `${record.pid}:${record.flow}`;
    const known = this.routes.get(key);
    const now = this.now();
    if (read === 'recent' && known && now - known.readAt < ROUTE_RECHECK_MS) return known.route;
    const route = this.readRoute(this.policy, record);
    this.routes.set(key, { route, readAt: now });
    return route;
  }

  /** Forgets the routes of apps none of these sessions belongs to (a pid may be reused). */
  keepRoutesOf(records: Iterable<SessionRecord>): void {
    const kept = new Set<string>();
    for (const record of records) kept.add(`${record.pid}:${record.flow}`);
    for (const key of this.routes.keys()) if (!kept.has(key)) this.routes.delete(key);
  }

  private readRoute(policy: AppEndpointPolicy, record: SessionRecord): OutputRoute | null {
    let deviceId: string | null;
    try {
      deviceId = policy.persistedEndpoint(record.pid, record.flow);
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
