import { describe, expect, it } from 'vitest';
import { entryCommands, hasOwnOutputDevice, profileFromSessions } from './mixer-commands';
import { ALL_CAPABILITIES, session } from './testing/fake-backend';

const MOVES = { ...ALL_CAPABILITIES, outputDevice: true };
const DEVICES = new Set(['dev-speakers', 'dev-headset']);

describe('an app\'s output device in profiles', () => {
  const systemSounds = session({ id: 's-system', isSystemSounds: true, processName: null, pid: 0, crossProcess: true, deviceId: 'dev-headset' });
  const shared = session({ id: 's-shared', crossProcess: true, pid: 0, processName: null, displayName: 'Shared audio session' });
  const player = session({ id: 's-player', deviceId: 'dev-headset' });

  it('belongs to an app\'s own session only: System Sounds and shared sessions have none', () => {
    expect([player, systemSounds, shared].map(hasOwnOutputDevice)).toEqual([true, false, false]);
  });

  it('is saved for apps, never for System Sounds or a shared session', () => {
    const apps = profileFromSessions([player, systemSounds, shared], MOVES);
    expect(Object.values(apps).map((entry) => entry.outputDeviceId)).toEqual(['dev-headset', null, null]);
  });

  it('is applied to apps only: System Sounds (one per device) stays where it is', () => {
    const entry = { volume: 1, muted: false, outputDeviceId: 'dev-speakers' };
    expect(entryCommands(player, entry, MOVES, DEVICES)).toEqual([{ type: 'set-output-device', sessionIds: ['s-player'], deviceId: 'dev-speakers' }]);
    expect(entryCommands(systemSounds, entry, MOVES, DEVICES)).toEqual([]);
    expect(entryCommands(shared, entry, MOVES, DEVICES)).toEqual([]);
  });
});
