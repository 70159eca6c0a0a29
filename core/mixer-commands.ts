// The everyday mixer's compound actions as plain commands the engine host already runs
// (set-volume, set-mute, set-channel-volume, set-output-device), so each goes through the
// same checks, backend calls and change tracking as a user's own command. Pure: records in,
// commands out.
import type { Capabilities, SessionRecord } from '../native-bridge/types';
import type { Command, LastChange, Profile, ProfileEntry } from './contract';
import { appKeyOf } from './app-identity';
import { channelVolumesForBalance } from './balance';

type SessionCommand = Extract<Command, { type: 'set-volume' | 'set-mute' | 'set-channel-volume' | 'set-output-device' }>;

/** Sessions a profile or rule acts on: present, connected, not ended. */
function usable(session: SessionRecord): boolean {
  return session.state !== 'expired' && !session.disconnected;
}

/** Channel commands that give each session the balance, keeping its louder side's level. */
export function balanceCommands(sessions: readonly SessionRecord[], balance: number): SessionCommand[] {
  const commands: SessionCommand[] = [];
  for (const session of sessions) {
    const target = channelVolumesForBalance(session.channelVolumes, balance);
    target.forEach((volume, channel) => {
      if (volume !== session.channelVolumes[channel]) commands.push({ type: 'set-channel-volume', sessionId: session.id, channel, volume });
    });
  }
  return commands;
}

/**
 * Whether a session's app can have an output device of its own: System Sounds and shared
 * (cross-process) sessions belong to no one app (Windows keeps the per-app endpoint per
 * process), so they stay where they are.
 */
export function hasOwnOutputDevice(session: Pick<SessionRecord, 'isSystemSounds' | 'crossProcess'>): boolean {
  return !session.isSystemSounds && !session.crossProcess;
}

/**
 * A profile entry per app from the sessions present: the app's render or capture session
 * that is active (else the first one). The output device is saved where the backend can
 * send an app to one (capabilities.outputDevice), as the device the app plays on now.
 */
export function profileFromSessions(sessions: readonly SessionRecord[], capabilities: Capabilities): Record<string, ProfileEntry> {
  const byApp = new Map<string, SessionRecord>();
  for (const session of sessions.filter(usable)) {
    const key = appKeyOf(session);
    const known = byApp.get(key);
    if (!known || (known.state !== 'active' && session.state === 'active')) byApp.set(key, session);
  }
  const apps: Record<string, ProfileEntry> = {};
  for (const [key, session] of byApp) {
    const outputDeviceId = capabilities.outputDevice && hasOwnOutputDevice(session) ? session.deviceId : null;
    apps[key] = { volume: session.volume, muted: session.muted, outputDeviceId };
  }
  return apps;
}

/** What applying a profile entry to one session takes (nothing where it already matches). */
export function entryCommands(session: SessionRecord, entry: ProfileEntry, capabilities: Capabilities, knownDevices: ReadonlySet<string>): SessionCommand[] {
  const commands: SessionCommand[] = [];
  if (session.volume !== entry.volume) commands.push({ type: 'set-volume', sessionIds: [session.id], volume: entry.volume });
  if (session.muted !== entry.muted) commands.push({ type: 'set-mute', sessionIds: [session.id], muted: entry.muted });
  // Moving goes last: on PulseAudio the moved session is a new record on the other device.
  const target = capabilities.outputDevice && hasOwnOutputDevice(session) ? entry.outputDeviceId : null;
  if (target !== null && target !== session.deviceId && knownDevices.has(target)) {
    commands.push({ type: 'set-output-device', sessionIds: [session.id], deviceId: target });
  }
  return commands;
}

/** Every present session whose app the profile has an entry for. */
export function profileCommands(profile: Profile, sessions: readonly SessionRecord[], capabilities: Capabilities, knownDevices: ReadonlySet<string>): SessionCommand[] {
  return sessions.filter(usable).flatMap((session) => {
    const entry = profile.apps[appKeyOf(session)];
    return entry ? entryCommands(session, entry, capabilities, knownDevices) : [];
  });
}

/** Puts back the levels a session had before its last change. */
export function undoCommands(session: SessionRecord, change: LastChange, capabilities: Capabilities): SessionCommand[] {
  const { previous } = change;
  // The volume first: on PulseAudio it rescales the channels, which then get their own values.
  const commands: SessionCommand[] = [];
  if (previous.volume !== session.volume) commands.push({ type: 'set-volume', sessionIds: [session.id], volume: previous.volume });
  const channelsDiffer = previous.channelVolumes.some((volume, channel) => volume !== session.channelVolumes[channel]);
  const setsVolume = commands.length > 0;
  if (capabilities.channelVolumes && previous.channelVolumes.length === session.channelVolumes.length && (channelsDiffer || setsVolume)) {
    previous.channelVolumes.forEach((volume, channel) => commands.push({ type: 'set-channel-volume', sessionId: session.id, channel, volume }));
  }
  if (previous.muted !== session.muted) commands.push({ type: 'set-mute', sessionIds: [session.id], muted: previous.muted });
  return commands;
}
