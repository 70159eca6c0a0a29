// An in-memory AudioBackend for engine-host and transport tests: it records what it was
// asked to do and lets a test emit backend events or change state behind the host's back.
import type {
  AudioBackend,
  BackendEvent,
  BackendListener,
  Capabilities,
  DeviceRecord,
  SessionRecord,
} from '../../native-bridge/types';
import { newSessionRecord } from '../../native-bridge/session-events';
import { BackendError } from '../../native-bridge/types';

export const ALL_CAPABILITIES: Capabilities = {
  peakMeters: true,
  channelVolumes: true,
  icons: true,
  deviceVolume: true,
  deviceMute: true,
  ducking: true,
};

export function device(overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    id: 'dev-speakers',
    name: 'Speakers',
    flow: 'render',
    state: 'active',
    defaultFor: ['console', 'multimedia', 'communications'],
    volume: 0.8,
    muted: false,
    ...overrides,
  };
}

export function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const id = overrides.id ?? 's-player';
  return newSessionRecord({
    id,
    sessionGuid: '{00000000-0000-0000-0000-000000000000}',
    crossProcess: false,
    pid: 100,
    processName: 'player.exe',
    deviceId: 'dev-speakers',
    flow: 'render',
    state: 'active',
    displayName: 'Player',
    displayNameSource: 'client',
    iconPath: '',
    icon: null,
    volume: 1,
    muted: false,
    channelVolumes: [1, 1],
    isSystemSounds: false,
    groupingParam: '',
    sessionIdentifier: `ident-${id}`,
    sessionInstanceIdentifier: `instance-${id}`,
    disconnected: null,
    ...overrides,
  });
}

export class FakeBackend implements AudioBackend {
  readonly name = 'sim' as const;
  readonly calls: string[] = [];
  devices: DeviceRecord[];
  sessions: SessionRecord[];
  /** Makes the next setter calls fail with this error. */
  failWith: Error | null = null;
  closed = false;
  private readonly listeners = new Set<BackendListener>();

  constructor(
    options: { devices?: DeviceRecord[]; sessions?: SessionRecord[] } = {},
    readonly capabilities: Capabilities = ALL_CAPABILITIES,
    readonly pollIntervalMs: number | null = null,
  ) {
    this.devices = options.devices ?? [device()];
    this.sessions = options.sessions ?? [session()];
  }

  emit(event: BackendEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return structuredClone(this.devices);
  }

  async listSessions(deviceId: string): Promise<SessionRecord[]> {
    return structuredClone(this.sessions.filter((entry) => entry.deviceId === deviceId));
  }

  async setSessionVolume(sessionId: string, volume: number, eventContext: string): Promise<void> {
    this.mutate(sessionId, `volume ${sessionId} ${volume} ${eventContext}`, (entry) => (entry.volume = volume));
  }

  async setSessionMute(sessionId: string, muted: boolean, eventContext: string): Promise<void> {
    this.mutate(sessionId, `mute ${sessionId} ${muted} ${eventContext}`, (entry) => (entry.muted = muted));
  }

  async setChannelVolume(sessionId: string, channel: number, volume: number): Promise<void> {
    this.mutate(sessionId, `channel ${sessionId} ${channel} ${volume}`, (entry) => (entry.channelVolumes[channel] = volume));
  }

  async setDeviceVolume(deviceId: string, volume: number): Promise<void> {
    this.calls.push(`device-volume ${deviceId} ${volume}`);
  }

  async setDeviceMute(deviceId: string, muted: boolean): Promise<void> {
    this.calls.push(`device-mute ${deviceId} ${muted}`);
  }

  async getPeaks(sessionIds: readonly string[]): Promise<Record<string, number>> {
    return Object.fromEntries(sessionIds.map((id) => [id, 0.5]));
  }

  async getDevicePeaks(deviceIds: readonly string[]): Promise<Record<string, number>> {
    return Object.fromEntries(deviceIds.map((id) => [id, 0.25]));
  }

  /** Records the call and moves the session's record; events are the test's to emit. */
  async setOutputDevice(sessionId: string, deviceId: string | null): Promise<void> {
    this.mutate(sessionId, `output ${sessionId} ${deviceId ?? 'default'}`, (entry) => (entry.deviceId = deviceId ?? this.devices[0]?.id ?? entry.deviceId));
  }

  subscribe(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private mutate(sessionId: string, call: string, change: (entry: SessionRecord) => void): void {
    if (this.failWith) throw this.failWith;
    const entry = this.sessions.find((candidate) => candidate.id === sessionId);
    if (!entry) throw new BackendError('not-found', `no session ${sessionId}`);
    this.calls.push(call);
    change(entry);
  }
}
