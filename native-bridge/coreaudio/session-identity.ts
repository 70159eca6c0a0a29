// Session identity (R1) as the coreaudio backend reads it, and the stable session id.
// Ids use the same formula as the sim backend (sim/identity.ts), so one identity has
// one id whichever backend reports it.
import { canonicalGuid, GUID_NULL, isGuidText } from '../com/guid';
import { sessionIdFor, type SessionIdentity } from '../sim/identity';
import type { Flow } from '../types';
import type { ProcessOwner } from './system';

export type { SessionIdentity };

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

export interface IdentityFacts {
  owner: ProcessOwner;
  /** The GUID the session was opened by, when known. */
  openedGuid: string | null;
  /** GetSessionIdentifier, or null where it is not implemented (Wine). */
  sessionIdentifier: string | null;
  deviceId: string;
  flow: Flow;
}

export function identityOf(facts: IdentityFacts): SessionIdentity {
  const fromIdentifier = facts.sessionIdentifier ? sessionGuidFromIdentifier(facts.sessionIdentifier) : null;
  return {
    sessionGuid: facts.openedGuid ? canonicalGuid(facts.openedGuid) : (fromIdentifier ?? GUID_NULL),
    crossProcess: facts.owner.crossProcess,
    pid: facts.owner.crossProcess ? 0 : facts.owner.pid,
    deviceId: facts.deviceId,
    flow: facts.flow,
  };
}

export function sessionIdOf(identity: SessionIdentity): string {
  return sessionIdFor(identity);
}
