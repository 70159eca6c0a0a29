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
//   application.process.binary, else application.name, else the owning client. A
//   stream's own properties come first; what it lacks is taken from its owning client
//   (PipeWire-native clients such as pw-play put pid and binary only there).
// - PulseAudio has no session GUIDs either: every stream lands in its app's default
//   session, which is what GUID_NULL means on Windows (R5); no session is cross-process.
// - Volume/mute apply to all the session's streams (R13). The session's volume is its
//   loudest channel of any stream; it is muted when every stream is.
// - channelVolumes are real per-channel volumes of the session's oldest stream. Unlike
//   Windows' IChannelAudioVolume (multiplied with the master volume), PulseAudio has one
//   volume per channel and the master is just their maximum.
// - Active when any stream is running (not corked) (R9); a session ends with its last
//   stream (R10). PulseAudio never expires an idle stream, so "expired" only marks the end.
// - The app's output route: PulseAudio tells a client no stream's preferred device, but a
//   stream that is not on its flow's default device stays where it is when the default
//   changes (its device was chosen: by a move, by the app, by a restore rule), and one on
//   the default device moves with it. So a session on the default device follows the
//   default; one elsewhere is pinned to its device. What this cannot see: a stream pinned to
//   the device that is the default now reads as following the default.
import { createHash } from 'node:crypto';
import { deriveSessionEvents, newSessionRecord, sameDevice } from '../session-events';
import type {
  BackendEvent,
  DeviceRecord,
  DeviceRole,
  DisplayNameSource,
  Flow,
  OutputRoute,
  SessionRecord,
  VolumeRangeDb,
} from '../types';
import { DEVICE_ROLES, GUID_NULL } from '../types';
import type { DeviceKind, PaClient, PaDevice, PaServerInfo, PaStream } from './server-records';
import { deviceKey, PA_INVALID_INDEX, streamDeviceKey, streamKey } from './server-records';
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
  /** What an icon is looked up by when iconName finds none: see IconQuery. */
  iconQuery: IconQuery;
}

/** How a session's icon is found, as desktops do: the icon name, else the binary's, else its .desktop file's Icon. */
export interface IconQuery {
  iconName: string | null;
  binary: string | null;
  appName: string | null;
}

/** One cache key per query: equal queries find the same icon. */
export function iconQueryKey(query: IconQuery): string {
  return [query.iconName ?? '', query.binary ?? '', query.appName ?? ''].join('\n');
}

/** Identity properties a stream may lack and its owning client may have. */
const CLIENT_IDENTITY_KEYS = [
  'application.process.id',
  'application.process.binary',
  'application.name',
  'application.icon_name',
] as const;

/** The stream's properties, with the identity ones it lacks taken from its owning client. */
export function withClientIdentity(stream: PaStream, client: PaClient | undefined): PaStream {
  if (!client) return stream;
  const missing = CLIENT_IDENTITY_KEYS.filter((key) => !nonEmpty(stream.props[key]) && nonEmpty(client.props[key]));
  if (missing.length === 0) return stream;
  const props = { ...stream.props };
  for (const key of missing) props[key] = client.props[key] as string;
  return { ...stream, props };
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
  const iconName = nonEmpty(props['application.icon_name']) ?? nonEmpty(props['media.icon_name']);

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
    iconName: iconName ?? '',
    iconQuery: { iconName, binary, appName },
  };
}

/** sessionIdOf's ids by their input: a session's id is asked for at every server event, and SHA-256 was most of building it. */
const sessionIds = new Map<string, string>();
/** Past this many, the cache starts afresh (apps come and go with new pids; a long run must not grow it without end). */
const SESSION_ID_CACHE_SIZE = 1024;

/** Stable across runs and server restarts: the same app on the same device and flow gets the same id. */
export function sessionIdOf(flow: Flow, deviceId: string, appKey: string): string {
  const input = [flow, deviceId, appKey].join('\n');
  let id = sessionIds.get(input);
  if (id === undefined) {
    if (sessionIds.size >= SESSION_ID_CACHE_SIZE) sessionIds.clear();
    id = `p${createHash('sha256').update(input).digest('hex').slice(0, 16)}`;
    sessionIds.set(input, id);
  }
  return id;
}

/**
 * A dB-volume device's range: 100 % is PA_VOLUME_NORM (0 dB) and the scale is the server's
 * cubic curve; its bottom, PA_DECIBEL_MININFTY (-200 dB), stands for silence.
 */
export const PA_VOLUME_RANGE_DB: VolumeRangeDb = { minDb: -200, maxDb: 0, stepDb: 0, curve: 'cubic' };

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
      volumeRangeDb: device.decibelVolume ? PA_VOLUME_RANGE_DB : null,
    });
  }
  return records;
}

/** The devices that are their flow's default now: sessions on them follow the default (buildSessions). */
export function defaultDeviceIdsOf(devices: readonly DeviceRecord[]): Set<string> {
  return new Set(devices.filter((device) => device.defaultFor.length > 0).map((device) => device.id));
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
  /** Clients by index: what a stream's own properties lack comes from its owner. */
  clients: ReadonlyMap<number, PaClient>;
  /** SndMix's own connection: its peak-meter record streams are not sessions. */
  ownClientIndex: number;
  /** The devices that are their flow's default now (defaultDeviceIdsOf): their sessions follow the default. */
  defaultDeviceIds: ReadonlySet<string>;
  iconFor(query: IconQuery): string | null;
}

export function buildSessions(input: SessionInput): Map<string, SessionView> {
  return viewsOf(groupStreams(input.streams, input), input);
}

/**
 * buildSessions(input) after some streams changed since `before` = buildSessions(earlier
 * input): `changed` names them by streamKey (their records or their owning clients' changed,
 * or they came or went); everything else in the input (the other streams and their clients,
 * devices, shown and default devices, own client, icons) must be as `before` was built with.
 * Only the sessions a changed stream was or is now in are built again; every other session
 * keeps its view (the same object), and the order is buildSessions' own (by oldest stream).
 */
export function rebuildSessions(
  before: ReadonlyMap<string, SessionView>,
  input: SessionInput,
  changed: ReadonlySet<string>,
): Map<string, SessionView> {
  const isChanged = (stream: PaStream) => changed.has(streamKey(stream.kind, stream.index));
  // A stream's session depends on nothing but its own inputs: unchanged streams stay where they were.
  const sessionOfStream = new Map<string, string>();
  const affected = new Set<string>();
  for (const [id, view] of before) {
    for (const stream of view.streams) {
      sessionOfStream.set(streamKey(stream.kind, stream.index), id);
      if (isChanged(stream)) affected.add(id);
    }
  }
  for (const id of groupStreams(input.streams.filter(isChanged), input).keys()) affected.add(id);
  const inAffected = (stream: PaStream) => isChanged(stream) || affected.has(sessionOfStream.get(streamKey(stream.kind, stream.index)) ?? '');
  const rebuilt = viewsOf(groupStreams(input.streams.filter(inAffected), input), input);
  const kept = [...before].filter(([id]) => !affected.has(id));
  // buildSessions makes sessions in the order of their oldest streams among all streams.
  const rank = new Map(byIndex(input.streams).map((stream, position) => [streamKey(stream.kind, stream.index), position]));
  const rankOf = ([, { streams: [oldest] }]: [string, SessionView]) => (oldest ? (rank.get(streamKey(oldest.kind, oldest.index)) ?? 0) : 0);
  return new Map([...kept, ...rebuilt].sort((a, b) => rankOf(a) - rankOf(b)));
}

/** Oldest (lowest index) first; a sink-input and a source-output with the same index keep their order. */
function byIndex(streams: readonly PaStream[]): PaStream[] {
  return [...streams].sort((a, b) => a.index - b.index);
}

interface StreamGroup {
  flow: Flow;
  deviceId: string;
  /** Oldest first, each with its owning client's identity (withClientIdentity). */
  streams: PaStream[];
}

/** The streams that are sessions, by session id, in the order of each session's oldest stream. */
function groupStreams(streams: readonly PaStream[], input: SessionInput): Map<string, StreamGroup> {
  const deviceByKey = new Map(input.devices.map((device) => [deviceKey(device.kind, device.index), device]));
  const groups = new Map<string, StreamGroup>();
  const ordered = byIndex(streams).map((stream) => withClientIdentity(stream, input.clients.get(stream.clientIndex)));
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
  return groups;
}

function viewsOf(groups: ReadonlyMap<string, StreamGroup>, input: SessionInput): Map<string, SessionView> {
  const views = new Map<string, SessionView>();
  for (const [id, { flow, deviceId, streams }] of groups) {
    const record = sessionShell(id, flow, deviceId, sessionIdentity(streams), input.iconFor);
    const outputRoute: OutputRoute = input.defaultDeviceIds.has(deviceId) ? { kind: 'follows-default' } : { kind: 'pinned', deviceId };
    views.set(id, { record: Object.assign(record, aggregate(streams), { outputRoute }), streams });
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
  const iconGiver = identities.find((identity) => identity.iconName !== '') ?? named;
  return { ...named, iconName: iconGiver.iconName, iconQuery: { ...named.iconQuery, iconName: iconGiver.iconQuery.iconName } };
}

function sessionShell(
  id: string,
  flow: Flow,
  deviceId: string,
  app: AppIdentity,
  iconFor: (query: IconQuery) => string | null,
): SessionRecord {
  const sessionIdentifier = `${deviceId}|${app.instanceFreeKey}%b${GUID_NULL}`;
  return newSessionRecord({
    id,
    sessionGuid: GUID_NULL,
    crossProcess: false,
    pid: app.pid,
    processName: app.processName,
    deviceId,
    flow,
    displayName: app.displayName,
    displayNameSource: app.displayNameSource,
    iconPath: app.iconName,
    icon: iconFor(app.iconQuery),
    isSystemSounds: false,
    sessionIdentifier,
    sessionInstanceIdentifier: app.pid > 0 ? `${sessionIdentifier}|${app.pid}` : `${sessionIdentifier}|${app.key}`,
  });
}

/** The fields a session takes from all of its streams together. */
function aggregate(
  streams: readonly PaStream[],
): Pick<SessionRecord, 'state' | 'volume' | 'muted' | 'channelVolumes' | 'mediaTitles' | 'streamCount'> {
  const withVolume = streams.filter((stream) => stream.hasVolume && stream.channelVolumes.length > 0);
  const oldest = withVolume[0];
  return {
    state: streams.some((stream) => !stream.corked) ? 'active' : 'inactive',
    volume: oldest ? Math.max(...withVolume.map((stream) => paVolumeToScalar(maxChannel(stream.channelVolumes)))) : 1,
    muted: streams.every((stream) => stream.muted),
    channelVolumes: oldest ? oldest.channelVolumes.map(paVolumeToScalar) : [],
    mediaTitles: streams.flatMap((stream) => nonEmpty(stream.props['media.name']) ?? []),
    streamCount: streams.length,
  };
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
    if (old) events.push(...deriveSessionEvents(old, next, contextFor(id)));
    else events.push({ type: 'session-created', session: next });
  }
  return events;
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
