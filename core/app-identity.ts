// The one definition of "the same app" across sessions, devices and restarts: the key that
// hide/rename preferences, profile entries and re-apply rules are kept under.
// An app is its flow plus its executable's name (case-folded: Windows paths are
// case-insensitive, and the name does not change between runs the way a pid or a session
// instance id does); the system sounds session is one app of its own; an app whose
// executable is unknown (a PulseAudio client that gives only application.name) is known by
// its display name. Devices need no such key: their ids are already stable (endpoint ids,
// PulseAudio sink names).
import type { SessionRecord } from '../native-bridge/types';

export type AppIdentityFacts = Pick<SessionRecord, 'flow' | 'processName' | 'displayName' | 'isSystemSounds'>;

export function appKeyOf(session: AppIdentityFacts): string {
  if (session.isSystemSounds) return `${session.flow}|system-sounds`;
  const processName = session.processName?.trim();
  if (processName) return `${session.flow}|exe:${processName.toLowerCase()}`;
  return `${session.flow}|name:${session.displayName.trim()}`;
}
