// How a failed command reads to its sender (contract.ts CommandError): the host's own
// refusals keep their code, a backend's BackendError maps to the code that names it for a
// client, anything else thrown is a 'backend-error' with its message. Never throws.
import { BackendError } from '../native-bridge/types';
import type { BackendErrorCode } from '../native-bridge/types';
import type { CommandError, ErrorCode } from './contract';

/** A step of a compound action the host's checks refused: its error is the action's. */
export class CommandRefused extends Error {
  constructor(readonly error: CommandError) {
    super(error.message);
  }
}

// A record, so the compiler insists every backend error code has its client code.
const CLIENT_CODE_OF: Record<BackendErrorCode, ErrorCode> = {
  'not-found': 'unknown-session',
  'not-supported': 'not-supported',
  disconnected: 'disconnected',
  unavailable: 'backend-error',
  'invalid-argument': 'bad-request',
  'os-error': 'backend-error',
};

export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandRefused) return error.error;
  if (error instanceof BackendError) return { code: CLIENT_CODE_OF[error.code], message: error.message };
  return { code: 'backend-error', message: messageOf(error) };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
