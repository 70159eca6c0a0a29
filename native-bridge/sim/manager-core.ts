// Engine-side state of one activated IAudioSessionManager2: its listeners, whether it
// has enumerated yet (R22), and whether its device went away (R25). sim/system.ts turns
// it into the coreaudio seam's SessionManager.
import type { DuckEvents } from '../coreaudio/system';
import { tellEach } from './listeners';
import type { SessionCore } from './session';

export class ManagerCore {
  enumerated = false;
  invalidated = false;
  /** IAudioSessionNotification sinks, told of each new session. */
  readonly sessionListeners = new Set<(session: SessionCore) => void>();
  readonly duckListeners = new Set<DuckEvents>();

  constructor(
    readonly deviceId: string,
    private readonly listenerFailed: (error: unknown) => void,
  ) {}

  /** R22: new sessions are announced only to a manager that has enumerated once. */
  announceSession(session: SessionCore): void {
    if (!this.enumerated || this.invalidated) return;
    tellEach(this.sessionListeners, (listener) => listener(session), this.listenerFailed);
  }

  /** R23: a communications stream started on the default communications device. */
  announceDuck(communicationSession: SessionCore, communicationSessions: number): void {
    if (this.invalidated) return;
    tellEach(this.duckListeners, (listener) => listener.duck(communicationSession.sessionInstanceIdentifier, communicationSessions), this.listenerFailed);
  }

  announceUnduck(communicationSession: SessionCore): void {
    if (this.invalidated) return;
    tellEach(this.duckListeners, (listener) => listener.unduck(communicationSession.sessionInstanceIdentifier), this.listenerFailed);
  }
}
