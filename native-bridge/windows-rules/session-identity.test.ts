import { describe, expect, it } from 'vitest';
import { GUID_NULL } from '../com/guid';
import { identityOf, sessionFlowOf, sessionGuidFromIdentifier, sessionIdentifierFor, sessionIdFor } from './session-identity';

const GUID = '{B3F8FA53-0004-438E-9003-51A46E139BFC}';
const IDENTIFIER = `{0.0.0.00000000}.{5d0ea3a4-6f1a-4c8b-a2ab-4c7e8fd3e1c4}|\\Device\\HarddiskVolume3\\Program Files\\App\\app.exe%b${GUID.toLowerCase()}`;

describe('session identity (R1)', () => {
  it('finds the session GUID after the last %b of an identifier (instance identifiers too)', () => {
    expect(sessionGuidFromIdentifier(IDENTIFIER)).toBe(GUID);
    expect(sessionGuidFromIdentifier(`${IDENTIFIER}|1%b4711`)).toBe(GUID);
    expect(sessionGuidFromIdentifier('no guid here')).toBeNull();
  });

  it('prefers the GUID a session was opened by, and falls back to GUID_NULL (R5)', () => {
    const base = { owner: { pid: 5, crossProcess: false }, deviceId: 'd', flow: 'render' as const };
    expect(identityOf({ ...base, openedGuid: GUID.toLowerCase(), sessionIdentifier: null }).sessionGuid).toBe(GUID);
    expect(identityOf({ ...base, openedGuid: null, sessionIdentifier: IDENTIFIER }).sessionGuid).toBe(GUID);
    expect(identityOf({ ...base, openedGuid: null, sessionIdentifier: null }).sessionGuid).toBe(GUID_NULL);
  });

  it('tells apart pids (R2), cross-process (R3), devices (R4) and flows', () => {
    const identity = { sessionGuid: GUID, crossProcess: false, pid: 5, deviceId: 'd', flow: 'render' as const };
    const id = sessionIdFor(identity);
    expect(sessionIdFor({ ...identity })).toBe(id);
    expect(
      new Set([
        id,
        sessionIdFor({ ...identity, pid: 6 }),
        sessionIdFor({ ...identity, crossProcess: true, pid: 0 }),
        sessionIdFor({ ...identity, deviceId: 'e' }),
        sessionIdFor({ ...identity, flow: 'capture' }),
      ]).size,
    ).toBe(5);
    expect(
      identityOf({
        owner: { pid: 9, crossProcess: true },
        openedGuid: GUID,
        sessionIdentifier: null,
        deviceId: 'd',
        flow: 'render',
      }).pid,
    ).toBe(0);
  });

  it('reads back the identifiers it writes: the GUID, and loopback as capture (R8)', () => {
    const facts = { deviceId: '{0.0.0.00000000}.{x}', executablePath: 'C:\\app.exe', sessionGuid: GUID.toLowerCase() };
    const plain = sessionIdentifierFor({ ...facts, loopback: false });
    const loopback = sessionIdentifierFor({ ...facts, loopback: true });
    expect(sessionGuidFromIdentifier(plain)).toBe(GUID);
    expect(sessionGuidFromIdentifier(loopback)).toBe(GUID);
    expect([sessionFlowOf(plain, 'render'), sessionFlowOf(loopback, 'render'), sessionFlowOf(null, 'capture')]).toEqual([
      'render',
      'capture',
      'capture',
    ]);
  });
});
