// Session identity (R1..R6), as Windows spells it and as SndMix keys it: what tells one
// session from every other, the session (instance) identifier strings Core Audio reports,
// and the stable session id derived from the identity. The simulated Windows (sim/)
// writes identifiers in this format; the coreaudio logic reads them back with it.
import { createHash } from 'node:crypto';
import { canonicalGuid, GUID_NULL, isGuidText } from '../com/guid';
import type { Flow } from '../types';

/** What tells one session from every other (R1). */
export interface SessionIdentity {
  /** Canonical GUID (com/guid canonicalGuid). */
  sessionGuid: string;
  crossProcess: boolean;
  /** The owning process; 0 for a cross-process session, whose identity has no pid (R3). */
  pid: number;
  deviceId: string;
  /** Loopback sessions are capture sessions (R8). */
  flow: Flow;
}

/**
 * The session id every backend reports: "s" + 16 hex digits of SHA-256 over the identity.
 * The same identity gives the same id in every run (a restarted SndMix sees a session
 * under the id it saw before); a new instance of an app (new pid) is a new id (R1, R2).
 */
export function sessionIdFor(identity: SessionIdentity): string {
  const owner = identity.crossProcess ? 'cross-process' : `pid:${identity.pid}`;
  const tuple = [identity.flow, identity.deviceId, owner, identity.sessionGuid].join('\n');
  return `s${createHash('sha256').update(tuple).digest('hex').slice(0, 16)}`;
}

/** Marks a loopback session's identifier; Windows' own strings carry no such mark (see sessionFlowOf). */
const LOOPBACK_MARK = '%bloopback';

/**
 * GetSessionIdentifier's string: "<endpoint id>|<executable, or # for cross-process>%b<session GUID>".
 * It names no pid, so two instances of an app share it (R6).
 */
export function sessionIdentifierFor(facts: {
  deviceId: string;
  executablePath: string | null;
  sessionGuid: string;
  loopback: boolean;
}): string {
  const app = facts.executablePath ?? '#';
  return `${facts.deviceId}|${app}%b${canonicalGuid(facts.sessionGuid)}${facts.loopback ? LOOPBACK_MARK : ''}`;
}

/** GetSessionInstanceIdentifier's string: the identifier plus a serial and the pid, unique per instance (R6). */
export function sessionInstanceIdentifierFor(sessionIdentifier: string, serial: number, pid: number): string {
  return `${sessionIdentifier}|${serial}%b${pid}`;
}

/**
 * The session GUID inside a session (instance) identifier. Windows spells them like
 * "{0.0.0.00000000}.{<endpoint guid>}|\Device\HarddiskVolume3\...\app.exe%b{<session GUID>}"
 * (the instance identifier adds "|1%b<pid>"): the GUID follows the last "%b".
 */
export function sessionGuidFromIdentifier(identifier: string): string | null {
  const matches = [...identifier.matchAll(/%b(\{[0-9a-fA-F-]{36}\})/g)];
  const last = matches.at(-1)?.[1];
  return last && isGuidText(last) ? canonicalGuid(last) : null;
}

/**
 * The application part of a session identifier: the executable's native image path
 * ("\\Device\\HarddiskVolume3\\...\\app.exe"); null for a cross-process session ("#") or none.
 */
export function applicationPathFromIdentifier(identifier: string): string | null {
  const bar = identifier.indexOf('|');
  const end = identifier.indexOf('%b', bar + 1);
  if (bar < 0 || end < 0) return null;
  const app = identifier.slice(bar + 1, end);
  return app && app !== '#' ? app : null;
}

/**
 * A session's flow (R8): its endpoint's, except that a loopback session on a render
 * endpoint captures. Only identifiers that carry the loopback mark tell; on real
 * Windows loopback sessions read as render sessions of their endpoint.
 */
export function sessionFlowOf(sessionIdentifier: string | null, endpointFlow: Flow): Flow {
  return sessionIdentifier?.includes(LOOPBACK_MARK) ? 'capture' : endpointFlow;
}

export interface IdentityFacts {
  /** The owning process (0 for a cross-process session). */
  owner: { pid: number; crossProcess: boolean };
  /** The GUID the session was opened by, when known. */
  openedGuid: string | null;
  /** GetSessionIdentifier, or null where it is not implemented (Wine). */
  sessionIdentifier: string | null;
  deviceId: string;
  /** The endpoint's flow. */
  flow: Flow;
}

/** The identity of a session as the OS describes it; GUID_NULL when nothing names the GUID (R5). */
export function identityOf(facts: IdentityFacts): SessionIdentity {
  const fromIdentifier = facts.sessionIdentifier ? sessionGuidFromIdentifier(facts.sessionIdentifier) : null;
  return {
    sessionGuid: facts.openedGuid ? canonicalGuid(facts.openedGuid) : (fromIdentifier ?? GUID_NULL),
    crossProcess: facts.owner.crossProcess,
    pid: facts.owner.crossProcess ? 0 : facts.owner.pid,
    deviceId: facts.deviceId,
    flow: sessionFlowOf(facts.sessionIdentifier, facts.flow),
  };
}
