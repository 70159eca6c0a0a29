import { describe, expect, it } from 'vitest';
import type { HeardEntry } from '../../core/contract';
import { SPEAKERS, device, session } from '../testing/fixtures';
import { formatClock } from '../timeline/format';
import { heardRows } from './heard-rows';

const TIME = new Date(2026, 11, 2, 21, 4, 5, 678).getTime();
const entry = (sessionId: string, overrides: Partial<HeardEntry> = {}): HeardEntry => ({
  sessionId,
  appKey: `render|exe:${sessionId}.exe`,
  displayName: sessionId,
  deviceId: SPEAKERS,
  time: TIME,
  ...overrides,
});

describe('heardRows', () => {
  const devices = new Map([[SPEAKERS, device(SPEAKERS, { name: 'Speakers' })]]);
  const none = { apps: {}, devices: {} };

  it('keeps the host’s order and gives each entry its time to the second, its device’s name and its session’s mute', () => {
    const sessions = new Map([['bell', session('bell', { displayName: 'Bell', muted: true })]]);
    const rows = heardRows({ recentlyHeard: [entry('bell'), entry('chime', { time: TIME - 1000 })], sessions, devices, preferences: none, language: 'en' });
    expect(rows.map((row) => row.sessionId)).toEqual(['bell', 'chime']);
    expect(rows[0]).toMatchObject({ name: 'Bell', deviceName: 'Speakers', clock: formatClock(TIME, 'en').slice(0, 8), live: true, muted: true, hidden: false });
    expect(rows[0]?.clock).toBe('21:04:05');
  });

  it('still names a session that ended (by what the host heard) and says it can no longer be muted', () => {
    const rows = heardRows({ recentlyHeard: [entry('chime', { displayName: 'Chime', deviceId: 'gone-device' })], sessions: new Map(), devices, preferences: none, language: 'en' });
    expect(rows[0]).toMatchObject({ name: 'Chime', deviceName: 'gone-device', live: false, muted: false });
    const expired = new Map([['chime', session('chime', { state: 'expired' })]]);
    expect(heardRows({ recentlyHeard: [entry('chime')], sessions: expired, devices, preferences: none, language: 'en' })[0]?.live).toBe(false);
  });

  it('uses the user’s name for the app and says whether it is hidden', () => {
    const preferences = { apps: { 'render|exe:bell.exe': { hidden: true, name: 'Doorbell', reapplyProfile: null } }, devices: {} };
    const sessions = new Map([['bell', session('bell', { displayName: 'Bell' })]]);
    expect(heardRows({ recentlyHeard: [entry('bell')], sessions, devices, preferences, language: 'en' })[0]).toMatchObject({ name: 'Doorbell', hidden: true });
  });

  it('pictures an entry with its session’s icon, an ended one with another session of its app, else the generic icon', () => {
    const bellIcon = 'data:image/png;base64,YmVsbA==';
    const live = new Map([['bell', session('bell', { processName: 'bell.exe', icon: bellIcon })]]);
    expect(heardRows({ recentlyHeard: [entry('bell')], sessions: live, devices, preferences: none, language: 'en' })[0]).toMatchObject({ icon: bellIcon });
    // The short sound's session ended; the app's other session (another instance) still shows the icon.
    const other = new Map([['bell-2', session('bell-2', { processName: 'Bell.exe', icon: bellIcon })]]);
    expect(heardRows({ recentlyHeard: [entry('bell')], sessions: other, devices, preferences: none, language: 'en' })[0]).toMatchObject({ icon: bellIcon });
    expect(heardRows({ recentlyHeard: [entry('chime')], sessions: other, devices, preferences: none, language: 'en' })[0]).toMatchObject({ icon: null, isSystemSounds: false });
  });
});
