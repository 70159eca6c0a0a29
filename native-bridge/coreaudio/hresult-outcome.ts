// What a failed Core Audio call means to the backend, decided in one place. Windows and
// Wine answer the same few ways: a method or interface not implemented (E_NOTIMPL,
// E_NOINTERFACE: the capability is "not supported", never faked), a device gone away
// (AUDCLNT_E_DEVICE_INVALIDATED: the session or device is "disconnected", R25), an unknown
// device (E_NOTFOUND), the audio service stopped (AUDCLNT_E_SERVICE_NOT_RUNNING: "unavailable"
// until it is back), or anything else (an OS error, reported with its HRESULT).
import {
  AUDCLNT_E_DEVICE_INVALIDATED,
  AUDCLNT_E_SERVICE_NOT_RUNNING,
  ComError,
  E_NOINTERFACE,
  E_NOTFOUND,
  E_NOTIMPL,
  isComError,
} from '../com/hresult';
import { BackendError } from '../types';

export type ComOutcome = 'unsupported' | 'invalidated' | 'service-stopped' | 'not-found' | 'failed';

/** A call that failed because the audio service is not running (its HRESULT, or the BackendError made of it). */
export class ServiceStoppedError extends BackendError {
  constructor(what: string) {
    super('unavailable', `could not ${what}: the Windows audio service is not running`);
  }
}

export function comOutcome(error: unknown): ComOutcome {
  if (isComError(error, E_NOTIMPL) || isComError(error, E_NOINTERFACE)) return 'unsupported';
  if (isComError(error, AUDCLNT_E_DEVICE_INVALIDATED)) return 'invalidated';
  if (isComError(error, AUDCLNT_E_SERVICE_NOT_RUNNING) || error instanceof ServiceStoppedError) return 'service-stopped';
  if (isComError(error, E_NOTFOUND)) return 'not-found';
  return 'failed';
}

export function isUnsupported(error: unknown): boolean {
  return comOutcome(error) === 'unsupported';
}

export function isInvalidated(error: unknown): boolean {
  return comOutcome(error) === 'invalidated';
}

export function isServiceStopped(error: unknown): boolean {
  return comOutcome(error) === 'service-stopped';
}

/** How a caller reacts to an outcome before it is reported (a feature marked missing, a session marked disconnected). */
export interface OutcomeReactions {
  unsupported?: () => void;
  invalidated?: () => void;
  serviceStopped?: () => void;
}

/**
 * The BackendError a failed call is reported as, after the caller's reaction ran.
 * `what` completes "could not ...": "set the volume of Player". A BackendError passes through.
 */
export function backendErrorOf(error: unknown, what: string, reactions: OutcomeReactions = {}): BackendError {
  if (error instanceof BackendError) return error;
  const outcome = comOutcome(error);
  switch (outcome) {
    case 'unsupported':
      reactions.unsupported?.();
      return new BackendError('not-supported', `could not ${what}: the platform does not implement it (${describe(error)})`);
    case 'invalidated':
      reactions.invalidated?.();
      return new BackendError('disconnected', `could not ${what}: the device is gone`);
    case 'service-stopped':
      reactions.serviceStopped?.();
      return new ServiceStoppedError(what);
    case 'not-found':
      return new BackendError('not-found', `could not ${what}: not found`);
    case 'failed':
      return new BackendError('os-error', `could not ${what}: ${describe(error)}`);
  }
}

export function describe(error: unknown): string {
  if (error instanceof ComError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
