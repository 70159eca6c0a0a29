// What a Sndvol-like mixer shows for a device's sessions: the rules R11, R12, R19, R20
// as one pure function, shared by the renderer, the CLI and the tests.
import type { DeviceRecord, Flow, SessionRecord, SessionState } from '../native-bridge/types';
import { GUID_NULL } from '../native-bridge/types';

export interface MixerStrip {
  /** Stable React key: the grouping param when grouped, else the session id. */
  key: string;
  /** Every session this strip controls (several when grouped, R20). */
  sessionIds: string[];
  displayName: string;
  icon: string | null;
  volume: number;
  muted: boolean;
  /** Active when any grouped session is active (R9). */
  state: Exclude<SessionState, 'expired'>;
  isSystemSounds: boolean;
  disconnected: boolean;
  pids: number[];
}

/** The device a mixer opens on for a flow: the default console endpoint, else another default, else the first present one. */
export function defaultDevice(devices: Iterable<DeviceRecord>, flow: Flow): DeviceRecord | undefined {
  const candidates = [...devices].filter((device) => device.flow === flow && device.state === 'active');
  return (
    candidates.find((device) => device.defaultFor.includes('console')) ??
    candidates.find((device) => device.defaultFor.includes('multimedia')) ??
    candidates.find((device) => device.defaultFor.length > 0) ??
    candidates[0]
  );
}

/** Sessions a mixer shows: of the wanted flow (R12), not expired unless System Sounds (R11). */
export function isShown(session: SessionRecord, flow: Flow): boolean {
  return session.flow === flow && (session.isSystemSounds || session.state !== 'expired');
}

/**
 * One strip per shown session of the device, grouped sessions merged (R20), System
 * Sounds first (as Sndvol places it), the others in the order the backend listed them.
 */
export function mixerStrips(sessions: readonly SessionRecord[], deviceId: string, flow: Flow = 'render'): MixerStrip[] {
  return [...stripGroups(sessions, deviceId, flow)].map(([key, members]) => toStrip(key, members));
}

/**
 * mixerStrips without making the strips: each strip's key and members, in the strips'
 * order. For a list that needs the keys of hundreds of strips and the strips of a few.
 */
export function stripGroups(sessions: Iterable<SessionRecord>, deviceId: string, flow: Flow = 'render'): Map<string, SessionRecord[]> {
  const groups = new Map<string, SessionRecord[]>();
  let hasSystemSounds = false;
  for (const session of sessions) {
    if (session.deviceId !== deviceId || !isShown(session, flow)) continue;
    const key = groupKey(session);
    const group = groups.get(key);
    if (group) group.push(session);
    else groups.set(key, [session]);
    hasSystemSounds ||= session.isSystemSounds;
  }
  if (!hasSystemSounds) return groups;
  // System Sounds is never merged (groupKey): its group is that one session.
  return new Map([...groups].sort(([, a], [, b]) => Number((b[0] as SessionRecord).isSystemSounds) - Number((a[0] as SessionRecord).isSystemSounds)));
}

/** The key of the strip a shown session belongs to. */
export function groupKey(session: SessionRecord): string {
  // GUID_NULL means "no grouping" (the default); System Sounds is never merged.
  if (session.isSystemSounds || !session.groupingParam || session.groupingParam === GUID_NULL) return session.id;
  return `group:${session.groupingParam}`;
}

/** The strip of a group's members (in the backend's order). */
export function toStrip(key: string, members: SessionRecord[]): MixerStrip {
  // An active member (else the first) speaks for the group: its name and level.
  const lead = members.find((member) => member.state === 'active') ?? (members[0] as SessionRecord);
  return {
    key,
    sessionIds: members.map((member) => member.id),
    displayName: lead.displayName,
    icon: members.find((member) => member.icon)?.icon ?? null,
    volume: lead.volume,
    muted: lead.muted,
    state: members.some((member) => member.state === 'active') ? 'active' : 'inactive',
    isSystemSounds: lead.isSystemSounds,
    disconnected: members.every((member) => member.disconnected !== null),
    pids: [...new Set(members.map((member) => member.pid))],
  };
}
