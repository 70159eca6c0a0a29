import { describe, expect, it } from 'vitest';
import { session } from './testing/fake-backend';
import { appKeyOf } from './app-identity';

describe('appKeyOf', () => {
  it('is the flow and the executable, whatever the pid, session or device', () => {
    expect(appKeyOf(session({ processName: 'Firefox.EXE', pid: 1 }))).toBe('render|exe:firefox.exe');
    expect(appKeyOf(session({ processName: 'firefox.exe', pid: 2, id: 'other', deviceId: 'dev-headset' }))).toBe('render|exe:firefox.exe');
    expect(appKeyOf(session({ processName: 'firefox.exe', flow: 'capture' }))).toBe('capture|exe:firefox.exe');
  });

  it('gives the system sounds their own key, and nameless executables their display name', () => {
    expect(appKeyOf(session({ isSystemSounds: true, processName: null }))).toBe('render|system-sounds');
    expect(appKeyOf(session({ processName: null, displayName: ' Music Bot ' }))).toBe('render|name:Music Bot');
  });
});
