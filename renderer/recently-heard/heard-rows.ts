// The recently heard list as the panel shows it: each entry with the name the user sees for
// the app (their rename wins), its device's name, and whether its session can still be muted.
import type { HeardEntry, Preferences } from '../../core/contract';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';
import { formatSeconds } from '../timeline/format';

export interface HeardRow {
  sessionId: string;
  appKey: string;
  name: string;
  deviceName: string;
  /** Local wall-clock time it started playing, to the second. */
  clock: string;
  /** Its session is still there and connected: mute can reach it. */
  live: boolean;
  muted: boolean;
  hidden: boolean;
}

export interface HeardSources {
  recentlyHeard: readonly HeardEntry[];
  sessions: ReadonlyMap<string, SessionRecord>;
  devices: ReadonlyMap<string, DeviceRecord>;
  preferences: Preferences;
  /** The UI's language, for the clock. */
  language: string;
}

export function heardRows({ recentlyHeard, sessions, devices, preferences, language }: HeardSources): HeardRow[] {
  return recentlyHeard.map((entry) => {
    const session = sessions.get(entry.sessionId);
    const preference = preferences.apps[entry.appKey];
    return {
      sessionId: entry.sessionId,
      appKey: entry.appKey,
      name: preference?.name ?? session?.displayName ?? entry.displayName,
      deviceName: devices.get(entry.deviceId)?.name ?? entry.deviceId,
      clock: formatSeconds(entry.time, language),
      live: session !== undefined && session.disconnected === null && session.state !== 'expired',
      muted: session?.muted === true,
      hidden: preference?.hidden === true,
    };
  });
}
