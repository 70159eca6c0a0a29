// The pure part of the pulse backend: PulseAudio's sinks, sources, sink-inputs and
// source-outputs in, SndMix's devices and sessions out, and the events that turn one
// snapshot into the next. No I/O here, so every rule is testable without a server.
//
// How Windows' session model lands on PulseAudio:
// - A device is a sink (render) or a source (capture); monitor sources are left out
//   unless asked for. Its id is "sink:<name>" / "source:<name>" (names are stable
//   across server restarts; indexes are not).
// - PulseAudio has no sessions, only streams. A session is one application's streams on
//   one device in one flow (R1, R4, R8); the application is application.process.id +
//   application.process.binary, else application.name, else the owning client.
// - PulseAudio has no session GUIDs either: every stream lands in its app's default
//   session, which is what GUID_NULL means on Windows (R5); no session is cross-process.
// - Volume/mute apply to all the session's streams (R13). The session's volume is its
//   loudest channel of any stream; it is muted when every stream is.
// - channelVolumes are real per-channel volumes of the session's oldest stream. Unlike
//   Windows' IChannelAudioVolume (multiplied with the master volume), PulseAudio has one
//   volume per channel and the master is just their maximum.
// - Active when any stream is running (not corked) (R9); a session ends with its last
//   stream (R10). PulseAudio never expires an idle stream, so "expired" only marks the end.
import { createHash } from 'node:crypto';
import type {
  BackendEvent,
  DeviceRecord,
  DeviceRole,
  DisplayNameSource,
  Flow,
  SessionRecord,
} from '../types';
import { DEVICE_ROLES, GUID_NULL } from '../types';
import type { DeviceKind, PaDevice, PaServerInfo, PaStream } from './server-records';
import { deviceKey, PA_INVALID_INDEX, streamDeviceKey } from './server-records';
import { maxChannel, paVolumeToScalar } from './volume';


export function deviceIdOf(kind: DeviceKind, name: string): string {
  return `${kind}:${name}`;
}

export function flowOf(kind: DeviceKind): Flow {
  return kind === 'sink' ? 'render' : 'capture';
}

/** Who a stream belongs to, as far as PulseAudio's properties tell. */
export interface AppIdentity {
  /** Groups streams into one session; includes the pid when there is one. */
  key: string;
  /** The same without the pid: shared by every instance of the app (R6). */
  instanceFreeKey: string;
  pid: number;
  processName: string | null;
  displayName: string;
  displayNameSource: DisplayNameSource;
  /** Where the name came from, best first: application.name, binary, media.name, none. */
  nameRank: number;
  /** The icon name exactly as the client gave it, "" when none. */
  iconName: string;
}

const UNKNOWN_APP_NAME = 'Unknown application';

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function parsePid(value: string | undefined): number {
  if (!value || !/^\d{1,10}$/.test(value)) return 0;
  const pid = Number(value);
  return pid > 0 && pid <= 0x7fffffff ? pid : 0;
}

export function appIdentityOf(stream: PaStream): AppIdentity {
  const { props } = stream;
  const pid = parsePid(props['application.process.id']);
  const binary = nonEmpty(props['application.process.binary']);
  const appName = nonEmpty(props['application.name']);
  const mediaName = nonEmpty(props['media.name']);

  let instanceFreeKey: string;
  if (binary) instanceFreeKey = `binary:${binary}`;
  else if (appName) instanceFreeKey = `name:${appName}`;
  else if (stream.clientIndex !== PA_INVALID_INDEX) instanceFreeKey = `client:${stream.clientIndex}`;
  else instanceFreeKey = `module:${stream.moduleIndex}`;
  const key = pid > 0 ? `pid:${pid}|${instanceFreeKey}` : instanceFreeKey;

  let displayName = UNKNOWN_APP_NAME;
  let displayNameSource: DisplayNameSource = 'generic';
  let nameRank = 3;
  if (appName) [displayName, displayNameSource, nameRank] = [appName, 'client', 0];
  else if (binary) [displayName, displayNameSource, nameRank] = [binary, 'executable', 1];
  else if (mediaName) [displayName, displayNameSource, nameRank] = [mediaName, 'client', 2];

  return {
    key,
    instanceFreeKey,
    pid,
    processName: binary,
    displayName,
    displayNameSource,
    nameRank,
    iconName: nonEmpty(props['application.icon_name']) ?? nonEmpty(props['media.icon_name']) ?? '',
  };
}

/** Stable across runs and server restarts: the same app on the same device and flow gets the same id. */
export function sessionIdOf(flow: Flow, deviceId: string, appKey: string): string {
  return `p${createHash('sha256').update([flow, deviceId, appKey].join('\n')).digest('hex').slice(0, 16)}`;
}

export function buildDevices(devices: readonly PaDevice[], server: PaServerInfo, includeMonitorSources: boolean): DeviceRecord[] {
  const ordered = [...devices].sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'sink' ? -1 : 1));
  const records: DeviceRecord[] = [];
  for (const device of ordered) {
    if (device.kind === 'source' && device.monitorOfSink !== null && !includeMonitorSources) continue;
    const defaultName = device.kind === 'sink' ? server.defaultSinkName : server.defaultSourceName;
    records.push({
      id: deviceIdOf(device.kind, device.name),
      name: device.description,
      flow: flowOf(device.kind),
      state: device.activePortAvailable === 'no' ? 'unplugged' : 'active',
      defaultFor: device.name === defaultName ? [...DEVICE_ROLES] : [],
      volume: paVolumeToScalar(maxChannel(device.channelVolumes)),
      muted: device.muted,
    });
  }
  return records;
}

export interface SessionView {
  record: SessionRecord;
  /** The session's streams, oldest first. */
  streams: PaStream[];
}

export interface SessionInput {
  devices: readonly PaDevice[];
  streams: readonly PaStream[];
  /** Devices SndMix shows (see buildDevices); streams on others belong to no session. */
  shownDeviceIds: ReadonlySet<string>;
  /** SndMix's own connection: its peak-meter record streams are not sessions. */
  ownClientIndex: number;
  iconFor(iconName: string): string | null;
}

export function buildSessions(input: SessionInput): Map<string, SessionView> {
  const deviceByKey = new Map(input.devices.map((device) => [deviceKey(device.kind, device.index), device]));
  const groups = new Map<string, { flow: Flow; deviceId: string; streams: PaStream[] }>();
  const ordered = [...input.streams].sort((a, b) => a.index - b.index);
  for (const stream of ordered) {
    if (stream.clientIndex === input.ownClientIndex) continue;
    const device = deviceByKey.get(streamDeviceKey(stream));
    if (!device) continue;
    const deviceId = deviceIdOf(device.kind, device.name);
    if (!input.shownDeviceIds.has(deviceId)) continue;
    const flow = flowOf(device.kind);
    const id = sessionIdOf(flow, deviceId, appIdentityOf(stream).key);
    const group = groups.get(id);
    if (group) group.streams.push(stream);
    else groups.set(id, { flow, deviceId, streams: [stream] });
  }
  const views = new Map<string, SessionView>();
  for (const [id, { flow, deviceId, streams }] of groups) {
    const record = sessionShell(id, flow, deviceId, sessionIdentity(streams), input.iconFor);
    views.set(id, { record: Object.assign(record, aggregate(streams)), streams });
  }
  return views;
}

/**
 * One identity for all of a session's streams (they share pid and binary, but each may
 * carry its own name and icon): the best-sourced name and the first icon, oldest stream
 * first, so the session keeps its name and icon while any stream that gave them lives.
 */
function sessionIdentity(streams: readonly PaStream[]): AppIdentity {
  const identities = streams.map(appIdentityOf);
  const named = identities.reduce((best, candidate) => (candidate.nameRank < best.nameRank ? candidate : best));
  const iconName = identities.find((identity) => identity.iconName !== '')?.iconName ?? '';
  return { ...named, iconName };
}

function sessionShell(
  id: string,
  flow: Flow,
  deviceId: string,
  app: AppIdentity,
  iconFor: (iconName: string) => string | null,
): SessionRecord {
  const sessionIdentifier = `${deviceId}|${app.instanceFreeKey}%b${GUID_NULL}`;
  return {
    id,
    sessionGuid: GUID_NULL,
    crossProcess: false,
    pid: app.pid,
    processName: app.processName,
    deviceId,
    flow,
    state: 'inactive',
    displayName: app.displayName,
    displayNameSource: app.displayNameSource,
    iconPath: app.iconName,
    icon: app.iconName ? iconFor(app.iconName) : null,
    volume: 1,
    muted: false,
    channelVolumes: [],
    isSystemSounds: false,
    groupingParam: '',
    sessionIdentifier,
    sessionInstanceIdentifier: app.pid > 0 ? `${sessionIdentifier}|${app.pid}` : `${sessionIdentifier}|${app.key}`,
    disconnected: null,
    mediaTitles: [],
  };
}

/** The fields a session takes from all of its streams together. */
function aggregate(
  streams: readonly PaStream[],
): Pick<SessionRecord, 'state' | 'volume' | 'muted' | 'channelVolumes' | 'mediaTitles'> {
  const withVolume = streams.filter((stream) => stream.hasVolume && stream.channelVolumes.length > 0);
  const oldest = withVolume[0];
  return {
    state: streams.some((stream) => !stream.corked) ? 'active' : 'inactive',
    volume: oldest ? Math.max(...withVolume.map((stream) => paVolumeToScalar(maxChannel(stream.channelVolumes)))) : 1,
    muted: streams.every((stream) => stream.muted),
    channelVolumes: oldest ? oldest.channelVolumes.map(paVolumeToScalar) : [],
    mediaTitles: streams.flatMap((stream) => nonEmpty(stream.props['media.name']) ?? []),
  };
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * The events that turn `before` into `after`, in the order a listener can apply them.
 * `contextFor` names who changed a session's volume ('external' unless SndMix did).
 * Sessions whose device is in `removedDeviceIds` are disconnected (device-removed)
 * before they terminate (R25).
 */
export function diffSessions(
  before: ReadonlyMap<string, SessionRecord>,
  after: ReadonlyMap<string, SessionRecord>,
  contextFor: (sessionId: string) => string,
  removedDeviceIds: ReadonlySet<string>,
): BackendEvent[] {
  const events: BackendEvent[] = [];
  for (const [id, old] of before) {
    if (after.has(id)) continue;
    if (removedDeviceIds.has(old.deviceId) && old.disconnected === null) {
      events.push({ type: 'disconnected', sessionId: id, reason: 'device-removed' });
    }
    events.push({ type: 'state-changed', sessionId: id, state: 'expired', terminated: true });
  }
  for (const [id, next] of after) {
    const old = before.get(id);
    if (!old) {
      events.push({ type: 'session-created', session: next });
      continue;
    }
    if (old.displayName !== next.displayName || old.displayNameSource !== next.displayNameSource) {
      events.push({ type: 'display-name-changed', sessionId: id, displayName: next.displayName, displayNameSource: next.displayNameSource });
    }
    if (old.iconPath !== next.iconPath || old.icon !== next.icon) {
      events.push({ type: 'icon-changed', sessionId: id, iconPath: next.iconPath, icon: next.icon });
    }
    if (old.volume !== next.volume || old.muted !== next.muted) {
      events.push({ type: 'volume-changed', sessionId: id, volume: next.volume, muted: next.muted, eventContext: contextFor(id) });
    }
    if (!sameList(old.channelVolumes, next.channelVolumes)) {
      events.push({
        type: 'channel-volume-changed',
        sessionId: id,
        channelVolumes: next.channelVolumes,
        changedChannel: changedChannel(old.channelVolumes, next.channelVolumes),
        eventContext: contextFor(id),
      });
    }
    if (old.state !== next.state) {
      events.push({ type: 'state-changed', sessionId: id, state: next.state, terminated: false });
    }
  }
  return events;
}

/** The one channel that changed, or -1 when several did or the channel count changed. */
function changedChannel(before: readonly number[], after: readonly number[]): number {
  if (before.length !== after.length) return -1;
  const changed = after.flatMap((volume, channel) => (volume !== before[channel] ? [channel] : []));
  return changed.length === 1 ? (changed[0] ?? -1) : -1;
}

export interface DeviceDiff {
  /** Added and changed devices and default moves: apply before the session events. */
  leading: BackendEvent[];
  /** Removed devices: apply after the session events, once their sessions are gone. */
  trailing: BackendEvent[];
}

export function diffDevices(before: readonly DeviceRecord[], after: readonly DeviceRecord[]): DeviceDiff {
  const leading: BackendEvent[] = [];
  const trailing: BackendEvent[] = [];
  const beforeById = new Map(before.map((device) => [device.id, device]));
  const afterIds = new Set(after.map((device) => device.id));
  for (const device of after) {
    const old = beforeById.get(device.id);
    if (!old) leading.push({ type: 'device-added', device });
  }
  for (const flow of ['render', 'capture'] as const) {
    for (const role of DEVICE_ROLES) {
      const was = defaultOf(before, flow, role);
      const now = defaultOf(after, flow, role);
      if (was !== now) leading.push({ type: 'default-device-changed', flow, role, deviceId: now });
    }
  }
  for (const device of after) {
    const old = beforeById.get(device.id);
    if (old && !sameDevice(old, device)) leading.push({ type: 'device-changed', device });
  }
  for (const device of before) {
    if (!afterIds.has(device.id)) trailing.push({ type: 'device-removed', deviceId: device.id });
  }
  return { leading, trailing };
}

function defaultOf(devices: readonly DeviceRecord[], flow: Flow, role: DeviceRole): string | null {
  return devices.find((device) => device.flow === flow && device.defaultFor.includes(role))?.id ?? null;
}

function sameDevice(a: DeviceRecord, b: DeviceRecord): boolean {
  return (
    a.name === b.name &&
    a.flow === b.flow &&
    a.state === b.state &&
    a.volume === b.volume &&
    a.muted === b.muted &&
    sameList(a.defaultFor, b.defaultFor)
  );
}
