// Test-only: scripts the Core Audio double (double.c) from Windows Node through its dbl_*
// exports, loaded with ffi-rs from the same path COM loads it from, so both see one module.
// The product never imports this: it reaches the double only through CoCreateInstance.
import { DataType, load, open } from '../../com/ffi';
import { AudioSessionDisconnectReason, DeviceStateFlag, EDataFlow } from '../constants';
import type { DeviceRole, Flow } from '../../types';

const LIBRARY = 'sndmix-coreaudio-double';
const { I32, String: Text, Double, U8Array } = DataType;

/** dbl_stream_open flags (enum StreamFlags in double.c). */
export const StreamFlags = { crossProcess: 1, systemSounds: 2, hiddenFromEnumeration: 4, followsDefault: 8 } as const;

export type DisconnectReasonName = keyof typeof AudioSessionDisconnectReason;

export interface StreamOptions {
  pid: number;
  /** "" or omitted: GUID_NULL, the process's default session. */
  sessionGuid?: string;
  flags?: number;
  /** The native image path in the session identifier ("" for a default). */
  exe?: string;
}

const ROLES: Record<DeviceRole | 'all', number> = { console: 0, multimedia: 1, communications: 2, all: -1 };

export class CoreAudioDouble {
  constructor(dllPath: string) {
    open({ library: LIBRARY, path: dllPath });
  }

  private call<R = number>(funcName: string, retType: DataType, paramsType: DataType[], paramsValue: unknown[]): R {
    return load({ library: LIBRARY, funcName, retType, paramsType, paramsValue }) as R;
  }

  /** A call that answers an HRESULT: failures throw, naming the export. */
  private checked(funcName: string, paramsType: DataType[], paramsValue: unknown[]): number {
    const result = this.call(funcName, I32, paramsType, paramsValue);
    if (result < 0) throw new Error(`${funcName} failed: 0x${(result >>> 0).toString(16)}`);
    return result;
  }

  private text(funcName: string): { value: number; text: string } {
    const buffer = Buffer.alloc(64 * 1024);
    const value = this.call(funcName, I32, [U8Array, I32], [buffer, buffer.length]);
    const end = buffer.indexOf(0);
    return { value, text: buffer.toString('utf8', 0, end < 0 ? buffer.length : end) };
  }

  addEndpoint(id: string, name: string, flow: Flow, state: number = DeviceStateFlag.DEVICE_STATE_ACTIVE): void {
    this.checked('dbl_endpoint_add', [Text, Text, I32, I32], [id, name, flow === 'render' ? EDataFlow.eRender : EDataFlow.eCapture, state]);
  }

  removeEndpoint(id: string): void {
    this.checked('dbl_endpoint_remove', [Text], [id]);
  }

  setEndpointState(id: string, state: number): void {
    this.checked('dbl_endpoint_set_state', [Text, I32], [id, state]);
  }

  renameEndpoint(id: string, name: string): void {
    this.checked('dbl_endpoint_rename', [Text, Text], [id, name]);
  }

  setDefault(flow: Flow, role: DeviceRole | 'all', id: string): void {
    this.checked('dbl_set_default', [I32, I32, Text], [flow === 'render' ? 0 : 1, ROLES[role], id]);
  }

  setEndpointVolume(id: string, volume: number, muted: boolean, context = ''): void {
    this.checked('dbl_endpoint_set_volume', [Text, Double, I32, Text], [id, volume, muted ? 1 : 0, context]);
  }

  setEndpointPeak(id: string, peak: number): void {
    this.checked('dbl_endpoint_set_peak', [Text, Double], [id, peak]);
  }

  /** A client of another (or this) process opens a stream; returns its handle. */
  openStream(endpointId: string, options: StreamOptions): number {
    return this.checked(
      'dbl_stream_open',
      [Text, Text, I32, I32, Text],
      [endpointId, options.sessionGuid ?? '', options.pid, options.flags ?? 0, options.exe ?? ''],
    );
  }

  startStream(stream: number): void {
    this.checked('dbl_stream_start', [I32], [stream]);
  }

  stopStream(stream: number): void {
    this.checked('dbl_stream_stop', [I32], [stream]);
  }

  releaseStream(stream: number): void {
    this.checked('dbl_stream_release', [I32], [stream]);
  }

  setDisplayName(stream: number, name: string, context = ''): void {
    this.checked('dbl_client_set_display_name', [I32, Text, Text], [stream, name, context]);
  }

  setIconPath(stream: number, path: string, context = ''): void {
    this.checked('dbl_client_set_icon_path', [I32, Text, Text], [stream, path, context]);
  }

  setGroupingParam(stream: number, grouping: string, context = ''): void {
    this.checked('dbl_client_set_grouping', [I32, Text, Text], [stream, grouping, context]);
  }

  setSessionVolume(stream: number, volume: number, muted: boolean, context = ''): void {
    this.checked('dbl_client_set_volume', [I32, Double, I32, Text], [stream, volume, muted ? 1 : 0, context]);
  }

  setSessionPeak(stream: number, peak: number): void {
    this.checked('dbl_session_set_peak', [I32, Double], [stream, peak]);
  }

  publishSession(stream: number): void {
    this.checked('dbl_session_publish', [I32], [stream]);
  }

  expireSession(stream: number): void {
    this.checked('dbl_session_expire', [I32], [stream]);
  }

  disconnectSession(stream: number, reason: DisconnectReasonName): void {
    this.checked('dbl_session_disconnect', [I32, I32], [stream, AudioSessionDisconnectReason[reason]]);
  }

  /** count >= 0: duck (communication sessions); count < 0: unduck. */
  duck(endpointId: string, instanceIdentifier: string, count: number): void {
    this.checked('dbl_duck', [Text, Text, I32], [endpointId, instanceIdentifier, count]);
  }

  /** The IID the AudioPolicyConfig factory answers (policy-config.c); "": the class is absent. */
  setPolicyConfigIid(iid: string): void {
    this.checked('dbl_policy_config_iid', [Text], [iid]);
  }

  /** The device interface path the factory keeps for the app (pid, flow, role), "" when it follows the default. */
  policyConfigEndpoint(pid: number, flow: Flow, role: DeviceRole): string {
    const buffer = Buffer.alloc(1024);
    this.call('dbl_policy_config_endpoint', I32, [I32, I32, I32, U8Array, I32], [pid, flow === 'render' ? 0 : 1, ROLES[role], buffer, buffer.length]);
    return buffer.toString('utf8', 0, buffer.indexOf(0));
  }

  /** The next Unregister* fails with `hr` and leaves its sink registered: Core Audio may still call it. */
  failNextUnregister(hr: number): void {
    this.checked('dbl_fail_next_unregister', [I32], [hr | 0]);
  }

  /** The service lets go of the sinks registered on the stream's session (after a delivery in flight, as Unregister*). */
  dropRegistrations(stream: number): void {
    this.checked('dbl_session_drop_registrations', [I32], [stream]);
  }

  /** The next notification delivered to several sinks pauses `ms` ms after the first: a delivery kept in flight. */
  slowDelivery(ms: number): void {
    this.checked('dbl_slow_delivery', [I32], [ms]);
  }

  /** Whether the double's thread is delivering a notification now. */
  delivering(): boolean {
    return this.call('dbl_delivering', I32, [], []) !== 0;
  }

  /** A long native call on this thread: the session's display name changes (a notification), then the call takes `ms` ms. */
  slowCall(stream: number, displayName: string, ms: number): void {
    this.checked('dbl_slow_call', [I32, Text, I32], [stream, displayName, ms]);
  }

  /**
   * The next RegisterSessionNotification ('registration': notified and in the next snapshot) or
   * GetSessionEnumerator ('snapshot': notified, absent from that snapshot) on the endpoint opens a
   * stream of `pid` in the session of `sessionGuid`; hookStream() gives its handle once it ran.
   */
  hookSession(endpointId: string, moment: 'registration' | 'snapshot', sessionGuid: string, pid: number): void {
    this.checked('dbl_hook_session', [Text, I32, Text, I32], [endpointId, moment === 'registration' ? 0 : 1, sessionGuid, pid]);
  }

  /** The stream the hook opened, 0 while it has not run. */
  hookStream(): number {
    return this.call('dbl_hook_stream', I32, [], []);
  }

  stopService(): void {
    this.checked('dbl_service_stop', [], []);
  }

  startService(): void {
    this.checked('dbl_service_start', [], []);
  }

  /** Notifications queued or in delivery. */
  pending(): number {
    return this.call('dbl_pending', I32, [], []);
  }

  /** Waits (without blocking Node's main thread, which answers the sinks) until every notification was delivered. */
  async drained(timeoutMs = 5000): Promise<void> {
    const started = Date.now();
    while (this.pending() > 0) {
      if (Date.now() - started > timeoutMs) throw new Error(`the double still has ${this.pending()} notifications after ${timeoutMs} ms`);
      await new Promise((done) => setTimeout(done, 5));
    }
  }

  /** Contract violations, one a line. */
  violations(): string[] {
    return lines(this.text('dbl_violations').text);
  }

  /** Floats received by Set* methods since the last call: "<method> 0x<bits>". */
  floatLog(): string[] {
    return lines(this.text('dbl_float_log').text);
  }

  /** COM calls since the last call: total and "<count> <method>" lines. */
  calls(): { total: number; byMethod: string[] } {
    const { value, text } = this.text('dbl_calls');
    return { total: value, byMethod: lines(text) };
  }

  /** Outstanding references and registrations, by interface. */
  ledger(): string[] {
    return lines(this.text('dbl_ledger').text);
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** The float bits as the double logs them. */
export function floatBits(value: number): string {
  const buffer = Buffer.alloc(4);
  buffer.writeFloatLE(value);
  return `0x${buffer.readUInt32LE().toString(16).padStart(8, '0')}`;
}
