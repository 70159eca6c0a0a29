// Who changed a session's volume: how SndMix mints event contexts, how a context is read
// back as a ChangeOrigin (core/contract.ts), and each session's last change.
//
// Minting: every client of an engine host gets its own context GUID, and every SndMix
// context starts with the same 8 hex digits ("SNDM" in ASCII) followed by the client's kind,
// {534e444d-000K-4xxx-yxxx-xxxxxxxxxxxx}. So any SndMix process reads the kind of a change
// another SndMix process made (a `sndmix set` while the window is open), without sharing
// any state. The rest is random (version-4 bits kept), so two clients never share one.
//
// Reading: a SndMix context gives its kind. Otherwise, where the platform carries the
// changer's context (Core Audio): GUID_NULL is the app itself (an app changing its own
// volume passes none), any other GUID another program. Where it does not (PulseAudio), it is
// 'outside'. A foreign change on a device within DUCK_WINDOW_MS of that device's duck or
// unduck notification is 'ducking'.
import { randomUUID } from 'node:crypto';
import type { SessionRecord } from '../native-bridge/types';
import type { ChangeOrigin, LastChange, SessionNote } from './contract';
import { appKeyOf } from './app-identity';

export type ClientKind = 'mixer' | 'cli' | 'web';

const SNDMIX_PREFIX = '534e444d';
const KIND_CODES: Record<ClientKind, string> = { mixer: '0001', cli: '0002', web: '0003' };
const KIND_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as ClientKind]));
const GUID_NULL = '{00000000-0000-0000-0000-000000000000}';

/**
 * Changes of one origin this close together are one change (a slider drag; PulseAudio's
 * volume and channel notifications of one write): undo goes back to before the first.
 */
export const SAME_CHANGE_MS = 500;
/** A foreign change this soon after a duck/unduck of its device is the ducking. */
export const DUCK_WINDOW_MS = 1000;
/** An app whose own changes number SELF_CHANGE_COUNT within SELF_CHANGE_WINDOW_MS is flagged. */
export const SELF_CHANGE_COUNT = 3;
export const SELF_CHANGE_WINDOW_MS = 60_000;

export function mintEventContext(kind: ClientKind): string {
  return `{${SNDMIX_PREFIX}-${KIND_CODES[kind]}-${randomUUID().slice(14)}}`;
}

/** The SndMix client kind that minted a context, or null when SndMix did not. */
export function sndmixKindOf(context: string): ClientKind | null {
  const match = /^\{534e444d-([0-9a-f]{4})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i.exec(context);
  const code = match?.[1];
  return code === undefined ? null : (KIND_BY_CODE.get(code.toLowerCase()) ?? null);
}

/** The origin of a change by its context alone (ducking needs the timing: ChangeTracker). */
export function originOfContext(context: string, foreignContexts: boolean): ChangeOrigin {
  const kind = sndmixKindOf(context);
  if (kind) return kind;
  if (!foreignContexts) return 'outside';
  return context.toLowerCase() === GUID_NULL ? 'app' : 'other-program';
}

type Levels = LastChange['previous'];

export function levelsOf(session: Pick<SessionRecord, 'volume' | 'muted' | 'channelVolumes'>): Levels {
  return { volume: session.volume, muted: session.muted, channelVolumes: [...session.channelVolumes] };
}

function sameLevels(a: Levels, b: Levels): boolean {
  return a.volume === b.volume && a.muted === b.muted && a.channelVolumes.length === b.channelVolumes.length && a.channelVolumes.every((value, index) => value === b.channelVolumes[index]);
}

/** Each session's last change and how often its app changes itself; the SessionNotes they make. */
export class ChangeTracker {
  private readonly last = new Map<string, LastChange>();
  private readonly selfChanges = new Map<string, number[]>();
  private readonly ducked = new Map<string, number>();

  constructor(
    private readonly foreignContexts: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** A duck or unduck notification of a device. */
  noteDucking(deviceId: string): void {
    this.ducked.set(deviceId, this.now());
  }

  /**
   * A session's levels went from `before` to `after` by a change with this context;
   * returns whether its note changed (nothing happens when the levels are the same).
   */
  record(before: SessionRecord, after: SessionRecord, context: string): boolean {
    const previous = levelsOf(before);
    if (sameLevels(previous, levelsOf(after))) return false;
    const time = this.now();
    let origin = originOfContext(context, this.foreignContexts);
    const duckedAt = this.ducked.get(after.deviceId);
    if (sndmixKindOf(context) === null && duckedAt !== undefined && time - duckedAt <= DUCK_WINDOW_MS) origin = 'ducking';
    const known = this.last.get(after.id);
    const continued = known && known.origin === origin && time - known.time <= SAME_CHANGE_MS;
    this.last.set(after.id, { origin, time, previous: continued ? known.previous : previous });
    if (origin === 'app') {
      const recent = (this.selfChanges.get(after.id) ?? []).filter((at) => time - at <= SELF_CHANGE_WINDOW_MS);
      recent.push(time);
      this.selfChanges.set(after.id, recent.slice(-SELF_CHANGE_COUNT));
    }
    return true;
  }

  lastChange(sessionId: string): LastChange | null {
    return this.last.get(sessionId) ?? null;
  }

  noteOf(session: SessionRecord): SessionNote {
    const selfChanges = this.selfChanges.get(session.id) ?? [];
    const first = selfChanges[0];
    return {
      appKey: appKeyOf(session),
      lastChange: this.lastChange(session.id),
      changesItself: selfChanges.length >= SELF_CHANGE_COUNT && first !== undefined && this.now() - first <= SELF_CHANGE_WINDOW_MS,
    };
  }

  forget(sessionId: string): void {
    this.last.delete(sessionId);
    this.selfChanges.delete(sessionId);
  }
}
