// Everything about a command that can be checked before the backend is touched, so a
// refused command changes nothing: the backend can do it (capabilities), the sessions and
// devices it names are known (and connected), values fit them (channels, flows), the
// profile it names exists, there is an outside change to undo. One case per command type
// (the switch is exhaustive); null means the command may run. Reads the host's records
// and state, changes nothing.
import type { AudioBackend, Capabilities, SessionRecord } from '../native-bridge/types';
import type { KnownRecords } from '../native-bridge/session-events';
import type { Command, CommandError } from './contract';
import { OUTSIDE_ORIGINS } from './contract';
import type { HostStateKeeper } from './host-state';

/** What the checks read. */
export interface CheckedHost {
  readonly backend: Pick<AudioBackend, 'name' | 'setOutputDevice'>;
  /** The capabilities clients were told (BackendInfo). */
  readonly capabilities: Capabilities;
  readonly known: KnownRecords;
  readonly state: Pick<HostStateKeeper, 'tracker' | 'profiles'>;
}

/** Why the command must not run, or null when it may. */
export function refusalOf(command: Command, host: CheckedHost): CommandError | null {
  const { capabilities, backend, known, state } = host;
  switch (command.type) {
    case 'subscribe':
    case 'set-app-preference':
    case 'set-device-preference':
    case 'save-profile':
      return null;
    case 'apply-profile':
    case 'delete-profile':
      return state.profiles.get(command.name) ? null : { code: 'unknown-profile', message: `no profile named ${command.name}` };
    case 'set-output-device':
      return refuseOutputDevice(host, command.sessionIds, command.deviceId);
    case 'set-balance': {
      if (!capabilities.channelVolumes) return { code: 'not-supported', message: `the ${backend.name} backend has no channel volumes, so no balance` };
      const refused = refuseSessions(known, command.sessionIds);
      if (refused) return refused;
      const mono = knownSessions(known, command.sessionIds).find((session) => session.channelVolumes.length < 2);
      return mono ? { code: 'bad-request', message: `session ${mono.id} (${mono.displayName}) has ${mono.channelVolumes.length} channel(s): no balance` } : null;
    }
    case 'undo-outside-change': {
      const refused = refuseSessions(known, [command.sessionId]);
      if (refused) return refused;
      const last = state.tracker.lastChange(command.sessionId);
      return last && OUTSIDE_ORIGINS.includes(last.origin)
        ? null
        : { code: 'bad-request', message: `the last change of session ${command.sessionId} was ${last ? `made by SndMix (${last.origin})` : 'not seen'}: nothing from outside to undo` };
    }
    case 'set-meters':
      return command.enabled && !capabilities.peakMeters
        ? { code: 'not-supported', message: `the ${backend.name} backend has no peak meters` }
        : null;
    case 'set-volume':
    case 'set-mute':
      return refuseSessions(known, command.sessionIds);
    case 'set-channel-volume': {
      if (!capabilities.channelVolumes) {
        return { code: 'not-supported', message: `the ${backend.name} backend has no channel volumes` };
      }
      const refused = refuseSessions(known, [command.sessionId]);
      if (refused) return refused;
      const channels = known.sessions.get(command.sessionId)?.channelVolumes.length ?? 0;
      return command.channel < channels
        ? null
        : { code: 'bad-request', message: `session ${command.sessionId} has ${channels} channels, not ${command.channel + 1}` };
    }
    case 'set-device-volume':
    case 'set-device-mute': {
      const supported = command.type === 'set-device-volume' ? capabilities.deviceVolume : capabilities.deviceMute;
      if (!supported) {
        return { code: 'not-supported', message: `the ${backend.name} backend cannot set a device's ${command.type === 'set-device-volume' ? 'volume' : 'mute'}` };
      }
      return known.devices.has(command.deviceId)
        ? null
        : { code: 'unknown-device', message: `no device with id ${command.deviceId}` };
    }
  }
}

/** The records of the sessions that are known (refuseSessions() found them all). */
export function knownSessions(known: KnownRecords, ids: readonly string[]): SessionRecord[] {
  return ids.flatMap((id) => known.sessions.get(id) ?? []);
}

function refuseOutputDevice(host: CheckedHost, ids: readonly string[], deviceId: string | null): CommandError | null {
  const { backend, known } = host;
  if (!host.capabilities.outputDevice || !backend.setOutputDevice) {
    return { code: 'not-supported', message: `the ${backend.name} backend cannot send an app to another device` };
  }
  const refused = refuseSessions(known, ids);
  if (refused) return refused;
  if (deviceId === null) return null;
  const device = known.devices.get(deviceId);
  if (!device) return { code: 'unknown-device', message: `no device with id ${deviceId}` };
  const other = knownSessions(known, ids).find((session) => session.flow !== device.flow);
  return other ? { code: 'bad-request', message: `session ${other.id} is ${other.flow}, device ${deviceId} is ${device.flow}` } : null;
}

function refuseSessions(known: KnownRecords, ids: readonly string[]): CommandError | null {
  for (const id of ids) {
    const session = known.sessions.get(id);
    if (!session) return { code: 'unknown-session', message: `session ${id} is gone: it ended or its device went away` };
    if (session.disconnected) {
      return { code: 'disconnected', message: `session ${id} (${session.displayName}) is disconnected: ${session.disconnected}` };
    }
  }
  return null;
}
