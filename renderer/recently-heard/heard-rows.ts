// The recently heard list as the panel shows it: each entry with the name the user sees for
// the app (their rename wins), its icon, its device's name, and whether its session can still
// be muted. A short sound's session is often gone when the user looks: its icon is then the
// one another session of the same app shows, else none (the generic app icon).
import type { HeardEntry, Preferences } from '../../core/contract';
import { appKeyOf } from '../../core/contract';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';
import { formatSeconds } from '../timeline/format';

export interface HeardRow {
  sessionId: string;
  appKey: string;
  name: string;
  /** A data URL, or null for the generic icon. */
  icon: string | null;
  isSystemSounds: boolean;
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
  let iconsByApp: Map<string, SessionRecord> | null = null;
  const sameApp = (appKey: string) => {
    iconsByApp ??= new Map([...sessions.values()].filter((session) => session.icon !== null).map((session) => [appKeyOf(session), session]));
    return iconsByApp.get(appKey);
  };
  return recentlyHeard.map((entry) => {
    const session = sessions.get(entry.sessionId);
    const preference = preferences.apps[entry.appKey];
    const pictured = session?.icon ? session : sameApp(entry.appKey);
    return {
      sessionId: entry.sessionId,
      appKey: entry.appKey,
      name: preference?.name ?? session?.displayName ?? entry.displayName,
      icon: pictured?.icon ?? null,
      isSystemSounds: (session ?? pictured)?.isSystemSounds === true,
      deviceName: devices.get(entry.deviceId)?.name ?? entry.deviceId,
      clock: formatSeconds(entry.time, language),
      live: session !== undefined && session.disconnected === null && session.state !== 'expired',
      muted: session?.muted === true,
      hidden: preference?.hidden === true,
    };
  });
}
