// Which sessions a `sndmix set` means: by id (exactly one session, any flow), or by
// name or pid (what the mixer shows: strips, grouped sessions counting once): playback
// strips first, recording strips when no playback strip matches (or when --device names
// a recording device).
import { mixerStrips } from '../core/mixer-view';
import type { DeviceRecord, SessionRecord } from '../native-bridge/types';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface TargetQuery {
  id?: string;
  name?: string;
  pid?: number;
  deviceId?: string;
}

export interface Target {
  sessionIds: string[];
  label: string;
}

export function resolveTarget(sessions: readonly SessionRecord[], devices: readonly DeviceRecord[], query: TargetQuery): Target {
  const given = [query.id, query.name, query.pid].filter((value) => value !== undefined).length;
  if (given !== 1) throw new UsageError('give exactly one of --id, --name or --pid');

  if (query.id !== undefined) {
    const session = sessions.find((candidate) => candidate.id === query.id);
    if (!session) throw new UsageError(`no session with id ${query.id}`);
    if (query.deviceId !== undefined && session.deviceId !== query.deviceId) {
      const known = devices.some((device) => device.id === query.deviceId);
      throw new UsageError(
        known ? `session ${query.id} is not on device ${query.deviceId} (it is on ${session.deviceId})` : `no device with id ${query.deviceId}`,
      );
    }
    return { sessionIds: [session.id], label: session.displayName };
  }

  const candidates = devices.filter((device) => query.deviceId === undefined || device.id === query.deviceId);
  if (query.deviceId !== undefined && candidates.length === 0) throw new UsageError(`no device with id ${query.deviceId}`);
  const wanted = query.name?.toLocaleLowerCase();
  const matchesIn = (flow: 'render' | 'capture') =>
    candidates
      .filter((device) => device.flow === flow)
      .flatMap((device) => mixerStrips(sessions, device.id, flow))
      .filter((strip) => (wanted !== undefined ? strip.displayName.toLocaleLowerCase() === wanted : strip.pids.includes(query.pid as number)));
  const playback = matchesIn('render');
  const matches = playback.length > 0 ? playback : matchesIn('capture');
  const what = query.name !== undefined ? `named "${query.name}"` : `of pid ${query.pid}`;
  const first = matches[0];
  if (!first) throw new UsageError(`no session ${what}`);
  if (matches.length > 1) {
    const ids = matches.map((strip) => strip.sessionIds.join('+')).join(', ');
    throw new UsageError(`${matches.length} sessions ${what} (ids ${ids}); use --id or --device`);
  }
  return { sessionIds: first.sessionIds, label: first.displayName };
}
