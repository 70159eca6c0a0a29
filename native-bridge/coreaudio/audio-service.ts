// Whether the Windows audio service (audiosrv) is running, as the coreaudio backend last
// learnt it. When it stops, calls answer AUDCLNT_E_SERVICE_NOT_RUNNING and sessions
// disconnect with ServerShutdown; what SndMix held of that run is dead, and a restarted
// service hands out new objects. The outage is reported like the pulse backend's lost server
// (AudioBackend.onConnectionChange): with why while it lasts, null once it is over.
export const SERVICE_STOPPED_MESSAGE =
  'the Windows audio service stopped (AUDCLNT_E_SERVICE_NOT_RUNNING); SndMix follows it again once it is back';

export class AudioServiceState {
  private outage: string | null = null;
  private readonly listeners = new Set<(disconnected: string | null) => void>();

  get stopped(): boolean {
    return this.outage !== null;
  }

  /** Marks the service stopped; true for the call that began the outage. */
  lost(): boolean {
    if (this.outage !== null) return false;
    this.outage = SERVICE_STOPPED_MESSAGE;
    this.tell(this.outage);
    return true;
  }

  /** The service answers again (a session manager activated). */
  back(): void {
    if (this.outage === null) return;
    this.outage = null;
    this.tell(null);
  }

  onChange(listener: (disconnected: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.listeners.clear();
  }

  private tell(disconnected: string | null): void {
    for (const listener of [...this.listeners]) listener(disconnected);
  }
}
