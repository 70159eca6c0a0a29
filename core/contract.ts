// The one contract both transports carry (Electron IPC through the preload, and the
// web mode WebSocket). Commands come from untrusted senders and are parsed here;
// server messages are produced by the engine host and trusted by the renderer.
import { z } from 'zod';
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

export const PROTOCOL_VERSION = 1;

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
  'device-added': true,
  'device-removed': true,
  'device-changed': true,
  'default-device-changed': true,
  duck: true,
  unduck: true,
};
export const EVENT_TYPES = Object.keys(EVENT_TYPE_NAMES) as BackendEventType[];

const id = z.string().min(1).max(512);
const unitScalar = z.number().finite().min(0).max(1);

export const CommandSchema = z.discriminatedUnion('type', [
  /** Ask for a snapshot, then diffs. */
  z.object({ type: z.literal('subscribe') }).strict(),
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
]);

export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command['type'];

export type ErrorCode =
  | 'bad-request'
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

export interface SessionChange {
  id: string;
  changes: Partial<Omit<SessionRecord, 'id'>>;
}

/**
 * A backend event as logged by the engine host: stamped with a sequence number, the time,
 * and whether the backend notified it or a reconcile poll found it.
 */
export type LoggedEvent = BackendEvent & { seq: number; time: number; source: 'event' | 'poll' };

export type ServerMessage =
  | { type: 'snapshot'; protocol: number; backend: BackendInfo; devices: DeviceRecord[]; sessions: SessionRecord[] }
  | {
      type: 'patch';
      devices: { upserted: DeviceRecord[]; removed: string[] };
      sessions: { added: SessionRecord[]; changed: SessionChange[]; removed: string[] };
    }
  /**
   * Peak levels as whole steps of 1/PEAK_STEPS, only those that changed since the last
   * peaks message to this client (a session no longer metered is sent once as 0); no
   * message while nothing changes. `full`: every session not listed is silent (sent when
   * the client's levels are unknown: meters just started, or a peaks message was dropped).
   */
  | { type: 'peaks'; peaks: Record<string, number>; full?: true }
  | { type: 'events'; events: LoggedEvent[] };

/** Meter resolution: a step is under a pixel of a meter, and silence is exactly 0. */
export const PEAK_STEPS = 100;

/** A 0..1 peak as the whole step the peaks message carries. */
export function peakStep(peak: number): number {
  return Math.round(Math.min(1, Math.max(0, peak)) * PEAK_STEPS);
}

/** WebSocket framing: requests carry an id so replies can be matched. */
export const WsRequestSchema = z.object({ requestId: z.number().int().min(0), command: z.unknown() }).strict();
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
} as const;
