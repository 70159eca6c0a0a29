// Session identity (R1..R5) and the stable session ids derived from it.
import { createHash } from 'node:crypto';
import type { Flow } from '../types';

export const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';

const GUID_BODY = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const GUID_PATTERN = new RegExp(`^(?:\\{${GUID_BODY}\\}|${GUID_BODY})$`);

export function isGuid(text: unknown): text is string {
  return typeof text === 'string' && GUID_PATTERN.test(text);
}

/** Canonical spelling ({UPPER-CASE}, braced) so "{abc...}" and "ABC..." name the same session. */
export function canonicalGuid(text: string): string | null {
  if (!isGuid(text)) return null;
  const bare = text.startsWith('{') ? text.slice(1, -1) : text;
  return `{${bare.toUpperCase()}}`;
}

/** What tells one session from every other (R1). */
export interface SessionIdentity {
  /** Canonical GUID (see canonicalGuid). */
  sessionGuid: string;
  crossProcess: boolean;
  /** The owning process; 0 for a cross-process session, whose identity has no pid (R3). */
  pid: number;
  deviceId: string;
  /** Loopback sessions are capture sessions (R8). */
  flow: Flow;
}

/**
 * The session id the sim engine and the sim backend use: "s" + 16 hex digits of
 * SHA-256 over the identity tuple. The same identity gives the same id in every run
 * (so a restarted SndMix sees the demo's sessions under the ids it saw before); a
 * session that terminates and is later recreated with the same identity gets its id back.
 */
export function sessionIdFor(identity: SessionIdentity): string {
  const owner = identity.crossProcess ? 'cross-process' : `pid:${identity.pid}`;
  const tuple = [identity.flow, identity.deviceId, owner, identity.sessionGuid].join('\n');
  return `s${createHash('sha256').update(tuple).digest('hex').slice(0, 16)}`;
}
