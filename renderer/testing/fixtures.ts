// Records and messages for renderer tests: complete, valid, overridable.
import type { BackendInfo, ResolvedMessage } from '../../core/contract';
import { newSessionRecord, PROTOCOL_VERSION } from '../../core/contract';
import type { DeviceRecord, SessionRecord } from '../../native-bridge/types';

export const SPEAKERS = 'dev-speakers';
export const HEADPHONES = 'dev-headphones';
export const MICROPHONE = 'dev-mic';

export function session(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return newSessionRecord({
    id,
    sessionGuid: '{00000000-0000-0000-0000-000000000000}',
    crossProcess: false,
    pid: 1000,
    processName: `${id}.exe`,
    deviceId: SPEAKERS,
    flow: 'render',
    state: 'active',
    displayName: id,
    displayNameSource: 'client',
    iconPath: '',
    icon: null,
    volume: 0.5,
    muted: false,
    channelVolumes: [0.5, 0.5],
    isSystemSounds: false,
    groupingParam: '{00000000-0000-0000-0000-000000000000}',
    sessionIdentifier: id,
    sessionInstanceIdentifier: `${id}#1`,
    disconnected: null,
    ...overrides,
  });
}

export function device(id: string, overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    id,
    name: id,
    flow: 'render',
    state: 'active',
    defaultFor: [],
    volume: 0.8,
    muted: false,
    ...overrides,
  };
}

export function backendInfo(overrides: Partial<BackendInfo> = {}): BackendInfo {
  return {
    name: 'sim',
    capabilities: {
      peakMeters: true,
      channelVolumes: true,
      icons: true,
      deviceVolume: true,
      deviceMute: true,
      ducking: true,
    },
    notice: null,
    disconnected: null,
    ...overrides,
  };
}

/** A speakers device (default) with Firefox and Spotify, plus headphones and a microphone. */
export function snapshot(
  overrides: Partial<Extract<ResolvedMessage, { type: 'snapshot' }>> = {},
): Extract<ResolvedMessage, { type: 'snapshot' }> {
  return {
    type: 'snapshot',
    protocol: PROTOCOL_VERSION,
    backend: backendInfo(),
    devices: [
      device(SPEAKERS, { name: 'Speakers', defaultFor: ['console', 'multimedia'] }),
      device(HEADPHONES, { name: 'Headphones' }),
      device(MICROPHONE, { name: 'Microphone', flow: 'capture', defaultFor: ['console'] }),
    ],
    sessions: [
      session('firefox', { displayName: 'Firefox', volume: 0.45 }),
      session('spotify', { displayName: 'Spotify', volume: 0.8, pid: 2000 }),
    ],
    notes: {},
    preferences: { apps: {}, devices: {} },
    profiles: { profiles: [], problems: [] },
    recentlyHeard: [],
    ...overrides,
  };
}

export function patch(
  sessions: Partial<Extract<ResolvedMessage, { type: 'patch' }>['sessions']> = {},
  devices: Partial<Extract<ResolvedMessage, { type: 'patch' }>['devices']> = {},
): Extract<ResolvedMessage, { type: 'patch' }> {
  return {
    type: 'patch',
    devices: { upserted: [], removed: [], ...devices },
    sessions: { added: [], changed: [], removed: [], ...sessions },
  };
}
