// What the Electron main process and the backend's own process say to each other.
// The backend process runs the engine host (and with it the native backend: Core Audio
// wants an MTA, which a plain Node process gives and Electron's UI thread does not);
// the main process relays each window's commands to it and its messages back.
// Both ends are our own code, yet a message is checked before use: a garbled one is
// reported, never acted on.
import * as z from 'zod';
import type { BackendInfo, CommandResult, ServerMessage } from '../../core/contract';
import type { SessionRecord } from '../../native-bridge/types';

/** How the backend process is told what to open (its argv after the module). */
export interface BackendProcessConfig {
  /** Unset: the platform's own backend, the sim where none serves. */
  backend: string | null;
  stateDir: string;
  /** The e2e sim (not live, on a test clock) and its door; only honoured in builds that carry the door. */
  e2e: boolean;
}

const clientId = z.number().int().min(0);
const requestId = z.number().int().min(0);

export const ToBackendSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connect'), clientId }).strict(),
  z.object({ type: z.literal('disconnect'), clientId }).strict(),
  z.object({ type: z.literal('command'), clientId, requestId, command: z.unknown() }).strict(),
  /** A test's function (as source) to run against the sim world; only where the door is built in. */
  z.object({ type: z.literal('e2e'), requestId, source: z.string(), arg: z.unknown() }).strict(),
  /** The app in front and its sessions (the foreground-app hotkeys): a native question, so asked here. */
  z.object({ type: z.literal('foreground'), requestId }).strict(),
  z.object({ type: z.literal('close') }).strict(),
]);
export type ToBackend = z.infer<typeof ToBackendSchema>;

export type FromBackend =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'message'; clientId: number; message: ServerMessage }
  | { type: 'result'; requestId: number; result: CommandResult }
  | { type: 'e2e-result'; requestId: number; ok: true; value: unknown }
  | { type: 'e2e-result'; requestId: number; ok: false; error: string }
  | { type: 'foreground-result'; requestId: number; ok: true; pid: number; processName: string | null; sessions: SessionRecord[] }
  | { type: 'foreground-result'; requestId: number; ok: false; reason: string }
  /** Opening the backend failed: the process exits after saying why. */
  | { type: 'fatal'; message: string }
  | { type: 'closed' };

// Server messages come from our own engine host; only the envelope is checked here.
export const FromBackendSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), backend: z.object({ name: z.string() }).passthrough() }),
  z.object({ type: z.literal('message'), clientId, message: z.object({ type: z.string() }).passthrough() }),
  z.object({ type: z.literal('result'), requestId, result: z.object({ ok: z.boolean() }).passthrough() }),
  z.object({ type: z.literal('e2e-result'), requestId, ok: z.boolean(), value: z.unknown(), error: z.string().optional() }),
  z.object({ type: z.literal('foreground-result'), requestId, ok: z.boolean(), reason: z.string().optional(), sessions: z.array(z.unknown()).optional() }),
  z.object({ type: z.literal('fatal'), message: z.string() }),
  z.object({ type: z.literal('closed') }),
]);

export function parseFromBackend(input: unknown): FromBackend | null {
  return FromBackendSchema.safeParse(input).success ? (input as FromBackend) : null;
}

/** argv of the backend process: one JSON argument, so no value needs quoting rules. */
export function encodeConfig(config: BackendProcessConfig): string[] {
  return [JSON.stringify(config)];
}

const ConfigSchema = z.object({ backend: z.string().nullable(), stateDir: z.string().min(1), e2e: z.boolean() }).strict();

export function decodeConfig(argv: readonly string[]): BackendProcessConfig {
  const last = argv.at(-1);
  if (last === undefined) throw new Error('the backend process was started without its configuration');
  let json: unknown;
  try {
    json = JSON.parse(last);
  } catch {
    throw new Error(`the backend process's configuration is not JSON: ${last}`);
  }
  return ConfigSchema.parse(json);
}
