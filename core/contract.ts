// The one contract both transports carry (Electron IPC through the preload, and the
// web mode WebSocket). Commands come from untrusted senders and are parsed here;
// server messages are produced by the engine host and trusted by the renderer.
import * as z from 'zod';
import { builtOnFirstUse } from '../base/built-on-first-use';
import type {
  BackendEvent,
  BackendEventType,
  BackendName,
  Capabilities,
  DeviceRecord,
  SessionRecord,
} from '../native-bridge/types';

// What each event does to the records, for the renderer too (it imports no code from native-bridge).
export {
  applyEvent,
  deriveSessionEvents,
  isSessionFieldEvent,
  newSessionRecord,
  sameValue,
  sessionEventValues,
} from '../native-bridge/session-events';
export type { KnownRecords, SessionFieldEvent, SessionFieldEventType } from '../native-bridge/session-events';
// The everyday mixer's pure rules, for the renderer too: one definition each.
export { appKeyOf } from './app-identity';
export { balanceOf, channelVolumesForBalance, hasBalance } from './balance';
export { dbToScalar, deviceDbMapping, formatDb, formatPercent, mappedDb, scalarToDb, sessionDbMapping, SILENCE_DB, volumeLabel } from './volume-scale';
export type { DbMapping } from './volume-scale';
export type { VolumeCurve, VolumeRangeDb } from '../native-bridge/types';
// Each client's icon table (the wire form's icons by key), for the renderer's reader too.
export { IconTableReader, IconTableWriter } from './icon-table';
export type { Resolved } from './icon-table';

/** 2: sessions refer to their icon by key into the client's icon table. */
export const PROTOCOL_VERSION = 2;

// Every event type the transports carry; a record, so the compiler insists all are listed.
const EVENT_TYPE_NAMES: Record<BackendEventType, true> = {
  'session-created': true,
  'state-changed': true,
  'display-name-changed': true,
  'icon-changed': true,
  'volume-changed': true,
  'channel-volume-changed': true,
  'grouping-changed': true,
  disconnected: true,
  'streams-changed': true,
  'output-route-changed': true,
  'device-added': true,
  'device-removed': true,
  'device-changed': true,
  'default-device-changed': true,
  duck: true,
  unduck: true,
};
export const EVENT_TYPES = Object.keys(EVENT_TYPE_NAMES) as BackendEventType[];

const id = builtOnFirstUse(() => z.string().min(1).max(512));
const unitScalar = builtOnFirstUse(() => z.number().finite().min(0).max(1));
const sessionIds = builtOnFirstUse(() => z.array(id).min(1).max(256));
/** A name the user gives an app, a device or a profile: one line, no control characters. */
const userName = builtOnFirstUse(() => z
  .string()
  .trim()
  .min(1)
  .max(100)
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), 'must be one line without control characters'));
export const ProfileNameSchema = userName;

/** What a subscription carries (the subscribe command's `messages`). */
export const SUBSCRIPTIONS = ['all', 'state', 'peaks'] as const;
export type Subscription = (typeof SUBSCRIPTIONS)[number];

export const CommandSchema = builtOnFirstUse(() => z.discriminatedUnion('type', [
  /**
   * Ask for a snapshot, then diffs, and peaks while meters are on. `messages` (default 'all'):
   * 'state' leaves the peaks out (another connection of the page takes them: a meter worker's);
   * 'peaks' asks for the peaks alone (no snapshot, patches or events).
   */
  z.object({ type: z.literal('subscribe'), messages: z.enum(SUBSCRIPTIONS).optional() }).strict(),
  /** One strip may stand for several grouped sessions (R20): all take the value. */
  z.object({ type: z.literal('set-volume'), sessionIds: z.array(id).min(1).max(256), volume: unitScalar }).strict(),
  z.object({ type: z.literal('set-mute'), sessionIds: z.array(id).min(1).max(256), muted: z.boolean() }).strict(),
  z
    .object({
      type: z.literal('set-channel-volume'),
      sessionId: id,
      channel: z.number().int().min(0).max(63),
      volume: unitScalar,
    })
    .strict(),
  z.object({ type: z.literal('set-device-volume'), deviceId: id, volume: unitScalar }).strict(),
  z.object({ type: z.literal('set-device-mute'), deviceId: id, muted: z.boolean() }).strict(),
  /** Peak meters cost backend calls: they run only while a client shows them. */
  z.object({ type: z.literal('set-meters'), enabled: z.boolean() }).strict(),
  /** Sends the sessions' app to a playback device; null: back to following the default device. */
  z.object({ type: z.literal('set-output-device'), sessionIds, deviceId: id.nullable() }).strict(),
  /** -1 left .. 0 centre .. 1 right, turned into channel volumes by core/balance.ts. */
  z.object({ type: z.literal('set-balance'), sessionIds, balance: z.number().finite().min(-1).max(1) }).strict(),
  /**
   * An app's preferences, kept by app key (appKeyOf) across restarts; fields left out are
   * unchanged, a null name removes the rename, a null reapplyProfile removes the rule.
   */
  z
    .object({
      type: z.literal('set-app-preference'),
      appKey: id,
      hidden: z.boolean().optional(),
      name: userName.nullable().optional(),
      /** Re-apply this profile's entry for the app whenever one of its sessions appears. */
      reapplyProfile: userName.nullable().optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('set-device-preference'), deviceId: id, hidden: z.boolean().optional(), name: userName.nullable().optional() })
    .strict(),
  /** Saves every app's current volume, mute and output device under a name (replacing one of that name). */
  z.object({ type: z.literal('save-profile'), name: userName }).strict(),
  /** Applies a profile to the apps present now (and, by rule, to apps that appear later). */
  z.object({ type: z.literal('apply-profile'), name: userName }).strict(),
  z.object({ type: z.literal('delete-profile'), name: userName }).strict(),
  /** Puts back the value the session had before its last change from outside SndMix (SessionNote.lastChange). */
  z.object({ type: z.literal('undo-outside-change'), sessionId: id }).strict(),
]));

export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command['type'];

export type ErrorCode =
  | 'bad-request'
  | 'unknown-profile'
  | 'unknown-session'
  | 'unknown-device'
  | 'not-supported'
  | 'disconnected'
  | 'backend-error';

export interface CommandError {
  code: ErrorCode;
  message: string;
}

export type CommandResult = { ok: true } | { ok: false; error: CommandError };

/** Parses an untrusted command; never throws. */
export function parseCommand(input: unknown): { ok: true; command: Command } | { ok: false; error: CommandError } {
  const parsed = CommandSchema.safeParse(input);
  if (parsed.success) return { ok: true, command: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return {
    ok: false,
    error: { code: 'bad-request', message: `invalid command${where}: ${issue?.message ?? 'malformed'}` },
  };
}

export interface BackendInfo {
  name: BackendName;
  capabilities: Capabilities;
  /** Shown to the user, e.g. why the default backend fell back to sim. */
  notice: string | null;
  /** Why the backend cannot reach its audio system now (e.g. the sound server went away); null while it can. */
  disconnected: string | null;
}

/**
 * Who made a session's last volume, mute or channel change, told by the event context
 * (core/change-origin.ts mints SndMix's contexts, one kind per client):
 * - 'mixer': this SndMix window; 'cli' / 'web': a SndMix CLI or web client (any SndMix
 *   process: the kind is readable from the context itself);
 * - 'app': the app itself (it passed no context, GUID_NULL);
 * - 'other-program': another program that passed its own context (Sndvol, EarTrumpet);
 * - 'outside': not SndMix, and the platform does not say who (PulseAudio);
 * - 'ducking': the system lowered or restored it around a communications session.
 */
export type ChangeOrigin = 'mixer' | 'cli' | 'web' | 'app' | 'other-program' | 'outside' | 'ducking';
/** The origins that are not SndMix: their last change can be undone. */
export const OUTSIDE_ORIGINS: readonly ChangeOrigin[] = ['app', 'other-program', 'outside', 'ducking'];

export interface LastChange {
  origin: ChangeOrigin;
  /** Epoch ms. */
  time: number;
  /** The values before the change: what undo-outside-change puts back. */
  previous: Pick<SessionRecord, 'volume' | 'muted' | 'channelVolumes'>;
}

/** What the engine host knows of a session beyond what the backend says. */
export interface SessionNote {
  /** appKeyOf(session): where its preferences and profile entries live. */
  appKey: string;
  lastChange: LastChange | null;
  /** The app changed its own volume several times within a minute (core/change-origin.ts). */
  changesItself: boolean;
}

export interface AppPreference {
  hidden: boolean;
  /** The user's name for the app, shown instead of its display name; null: none. */
  name: string | null;
  /** Profile whose entry for this app is applied when one of its sessions appears; null: no rule. */
  reapplyProfile: string | null;
}

export interface DevicePreference {
  hidden: boolean;
  name: string | null;
}

/** Hide/rename choices, by app key and by device id; absent keys have the defaults (shown, own name). */
export interface Preferences {
  apps: Record<string, AppPreference>;
  devices: Record<string, DevicePreference>;
}

/** One app's settings in a profile. outputDeviceId null: the app follows the default device. */
export interface ProfileEntry {
  volume: number;
  muted: boolean;
  outputDeviceId: string | null;
}

export interface Profile {
  name: string;
  /** Epoch ms. */
  savedAt: number;
  /** By app key. */
  apps: Record<string, ProfileEntry>;
}

export interface ProfileList {
  profiles: Profile[];
  /** One line each: a profile that could not be read (it is set aside, the others stay). */
  problems: string[];
}

/** A session that started playing recently: the answer to "what just made that sound?". */
export interface HeardEntry {
  sessionId: string;
  appKey: string;
  displayName: string;
  deviceId: string;
  /** Epoch ms when it became active. */
  time: number;
}

/** How long a session stays in the recently heard list. */
export const RECENTLY_HEARD_MS = 5 * 60_000;

export interface SessionChange {
  id: string;
  changes: Partial<Omit<SessionRecord, 'id'>>;
}

/**
 * A backend event as logged by the engine host: stamped with a sequence number, the time,
 * and whether the backend notified it or a reconcile poll found it.
 */
export type LoggedEvent = BackendEvent & { seq: number; time: number; source: 'event' | 'poll' };

/**
 * The engine host's own state beside the records. A snapshot has all of it; a patch has a
 * field only when it changed: notes then holds just the changed sessions' notes (a removed
 * session's note goes with it), every other field replaces the whole value.
 */
export interface HostState {
  /** By session id. */
  notes: Record<string, SessionNote>;
  preferences: Preferences;
  profiles: ProfileList;
  /** Newest first, none older than RECENTLY_HEARD_MS. */
  recentlyHeard: HeardEntry[];
}

/**
 * A session as the wire carries it: its icon (a data URL, often the largest part of the
 * record) is sent once per client in the client's icon table (core/icon-table.ts) and the
 * session refers to it by key; null: no icon.
 */
export type WireSession = Omit<SessionRecord, 'icon'> & { iconKey: IconKey | null };
export interface WireSessionChange {
  id: string;
  changes: Partial<Omit<WireSession, 'id'>>;
}
/** A small whole number, unique within one client's icon table (which a snapshot starts afresh). */
export type IconKey = number;
/** Icons by key: a snapshot's whole table, or the entries a patch adds to it. */
export type IconEntries = Record<IconKey, string>;

/** The messages in either form: sessions as records or as the wire has them, with the icons the wire form adds. */
type MessageOf<Session, Change, Icons extends object> =
  | ({ type: 'snapshot'; protocol: number; backend: BackendInfo; devices: DeviceRecord[]; sessions: Session[] } & Icons & HostState)
  | ({
      type: 'patch';
      devices: { upserted: DeviceRecord[]; removed: string[] };
      sessions: { added: Session[]; changed: Change[]; removed: string[] };
    } & Partial<Icons> & Partial<HostState>)
  /**
   * Peak levels as whole steps of 1/PEAK_STEPS, only those that changed since the last
   * peaks message to this client (a session no longer metered is sent once as 0); no
   * message while nothing changes. `full`: every session not listed is silent (sent when
   * the client's levels are unknown: meters just started, or a peaks message was dropped).
   * devicePeaks: endpoint levels by device id, in the same form and by the same rules
   * (absent when no device level changed).
   */
  | { type: 'peaks'; peaks: Record<string, number>; devicePeaks?: Record<string, number>; full?: true }
  | { type: 'events'; events: LoggedEvent[] };

/**
 * What the transports carry. The snapshot holds the client's whole icon table and starts
 * it afresh; a patch holds only the icons it adds (the keys its sessions use that the
 * client has not been sent).
 */
export type ServerMessage = MessageOf<WireSession, WireSessionChange, { icons: IconEntries }>;
/** A server message with its icons looked up (core/icon-table.ts): what the stores apply. */
export type ResolvedMessage = MessageOf<SessionRecord, SessionChange, object>;

/**
 * Meter resolution: 1 % of the meter's height (about 5 px on a full-height strip; finer would
 * send more messages than an eye follows at 20 a second), and silence is exactly 0.
 */
export const PEAK_STEPS = 100;

/** A 0..1 peak as the whole step the peaks message carries. */
export function peakStep(peak: number): number {
  return Math.round(Math.min(1, Math.max(0, peak)) * PEAK_STEPS);
}

/** WebSocket framing: requests carry an id so replies can be matched. */
export const WsRequestSchema = builtOnFirstUse(() => z.object({ requestId: z.number().int().min(0), command: z.unknown() }).strict());
export type WsServerFrame = ServerMessage | { type: 'result'; requestId: number | null; result: CommandResult };
/** Close code of a WebSocket the server closed because it fell behind: reconnect and resubscribe (a fresh snapshot). */
export const WS_CLOSE_BEHIND = 4001;

/** What the preload exposes to the renderer and what the web client implements. */
export interface MixerApi {
  request(command: Command): Promise<CommandResult>;
  onMessage(listener: (message: ServerMessage) => void): () => void;
}

export const IPC_CHANNELS = {
  request: 'sndmix:request',
  message: 'sndmix:message',
  /** The preload took one message (flow control: electron/ipc-transport.ts). */
  ack: 'sndmix:ack',
  /** The preload asks for the window's meter port; the main process answers with one end of a channel that carries the window's peaks. */
  meterPort: 'sndmix:meter-port',
} as const;

// The desktop app's settings (schema, defaults), hotkey spelling and its second door for
// the renderer (settings page, tray flyout): what the renderer reads of them, through here.
export * from './settings';
export * from './hotkeys';
export * from './desktop-api';
