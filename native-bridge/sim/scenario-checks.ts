// What the scenario API (devices, processes, streams) checks before the simulated Windows
// acts. A malformed spec or an unknown handle is a bug in the scenario, not something a
// Windows call would answer: it throws SimScenarioError, and nothing has changed by then.
// Pure: no state, no I/O.
import { canonicalGuid, isGuidText } from '../com/guid';
import type { DeviceRole, Flow } from '../types';
import { DEVICE_ROLES } from '../types';
import { isUnitLevel } from '../windows-rules/volume-level';

/** A scenario asked for something impossible (unknown handle, malformed spec). */
export class SimScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimScenarioError';
  }
}

export function requireFlow(flow: unknown): Flow {
  if (flow === 'render' || flow === 'capture') return flow;
  throw new SimScenarioError(`flow must be "render" or "capture", got ${JSON.stringify(flow)}`);
}

export function requireRole(role: unknown): DeviceRole {
  const known = DEVICE_ROLES.find((candidate) => candidate === role);
  if (!known) throw new SimScenarioError(`role must be one of ${DEVICE_ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  return known;
}

export function requireGuid(value: unknown, what: string): string {
  if (!isGuidText(value)) throw new SimScenarioError(`${what} ${JSON.stringify(value)} is not a GUID`);
  return canonicalGuid(value);
}

export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SimScenarioError(`${what} must be a non-empty string`);
  return value;
}

/** An endpoint's master volume, 0..1. */
export function requireDeviceVolume(volume: number): number {
  if (!isUnitLevel(volume)) throw new SimScenarioError(`device volume must be between 0 and 1, got ${volume}`);
  return volume;
}

export function optionalText(value: unknown, what: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new SimScenarioError(`${what} must be a string`);
  return value;
}

export function optionalFlag(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new SimScenarioError(`${what} must be true or false`);
  return value;
}
