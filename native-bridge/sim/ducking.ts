// Communications ducking (R23): a communications stream started on the default
// communications device ducks; its session managers' duck listeners hear of it, and of
// the unduck when the stream stops, closes, moves or is invalidated. Guarantees: a stream
// ducks at most once at a time and every duck is followed by exactly one unduck; other
// render sessions read as lowered (peaks.ts) while any stream ducks.
import type { ManagerCore } from './manager-core';
import type { SessionCore, StreamCore } from './session';

export class Ducking {
  private readonly streams = new Set<StreamCore>();

  constructor(private readonly managersOf: (deviceId: string) => Iterable<ManagerCore>) {}

  begin(stream: StreamCore): void {
    stream.ducking = true;
    this.streams.add(stream);
    const communicationSessions = new Set([...this.streams].map((ducking) => ducking.session)).size;
    for (const manager of this.managersOf(stream.session.identity.deviceId)) manager.announceDuck(stream.session, communicationSessions);
  }

  end(stream: StreamCore): void {
    if (!stream.ducking) return;
    stream.ducking = false;
    this.streams.delete(stream);
    for (const manager of this.managersOf(stream.session.identity.deviceId)) manager.announceUnduck(stream.session);
  }

  /** Whether another session's communications stream lowers this render session now. */
  lowers(session: SessionCore): boolean {
    return session.identity.flow === 'render' && this.streams.size > 0 && ![...this.streams].some((stream) => stream.session === session);
  }
}
