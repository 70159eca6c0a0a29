import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES_FILE, ProfileStore } from './profiles';
import { temporaryDirs } from '../base/testing/temp-dirs';

describe('ProfileStore', () => {
  const stateDir = temporaryDirs('sndmix-profiles-');

  it('saves, lists by name, replaces and deletes profiles across restarts', async () => {
    const dir = stateDir();
    const store = new ProfileStore(dir);
    await store.save('Work', { 'render|exe:a': { volume: 0.5, muted: false, outputDeviceId: null } }, 10);
    await store.save('Evening', { 'render|exe:a': { volume: 0.2, muted: true, outputDeviceId: 'sink:usb' } }, 20);
    await store.save('Work', {}, 30);
    const again = new ProfileStore(dir);
    expect(again.list()).toEqual({
      profiles: [
        { name: 'Evening', savedAt: 20, apps: { 'render|exe:a': { volume: 0.2, muted: true, outputDeviceId: 'sink:usb' } } },
        { name: 'Work', savedAt: 30, apps: {} },
      ],
      problems: [],
    });
    expect(await again.delete('Work')).toBe(true);
    expect(await again.delete('Work')).toBe(false);
    expect(new ProfileStore(dir).list().profiles.map((profile) => profile.name)).toEqual(['Evening']);
  });

  it('reports a corrupt profile and keeps every other one, and the original file aside', () => {
    const dir = stateDir();
    writeFileSync(
      join(dir, PROFILES_FILE),
      JSON.stringify({
        version: 1,
        profiles: {
          Good: { savedAt: 1, apps: { x: { volume: 1, muted: false, outputDeviceId: null } } },
          Broken: { savedAt: 1, apps: { x: { volume: 7, muted: false, outputDeviceId: null } } },
          'Two\nLines': { savedAt: 1, apps: {} },
        },
      }),
    );
    const list = new ProfileStore(dir).list();
    expect(list.profiles.map((profile) => profile.name)).toEqual(['Good']);
    expect(list.problems).toHaveLength(2);
    expect(list.problems[0]).toMatch(/"Broken"/);
    expect(list.problems[1]).toMatch(/left out profile "Two\\nLines"/);
    expect(readdirSync(dir).some((name) => name.startsWith(`${PROFILES_FILE}.dropped`) || name.includes('dropped'))).toBe(true);
  });

  it('sets an unreadable file aside and starts empty, never overwriting it', () => {
    const dir = stateDir();
    writeFileSync(join(dir, PROFILES_FILE), '{ not json');
    const list = new ProfileStore(dir).list();
    expect(list.profiles).toEqual([]);
    expect(list.problems.join('\n')).toMatch(/not valid JSON/);
  });
});
