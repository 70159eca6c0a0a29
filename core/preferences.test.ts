import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PREFERENCES_FILE, PreferencesStore } from './preferences';
import { temporaryDirs } from '../base/testing/temp-dirs';

describe('PreferencesStore', () => {
  const stateDir = temporaryDirs('sndmix-prefs-');

  it('keeps hide, rename and rules per app and per device across restarts, in the documented format', async () => {
    const dir = stateDir();
    const store = new PreferencesStore(dir);
    await store.setApp('render|exe:firefox.exe', { name: 'Browser', reapplyProfile: 'Evening' });
    await store.setApp('render|exe:firefox.exe', { hidden: true });
    await store.setDevice('sink:usb', { name: 'Headset' });
    const again = new PreferencesStore(dir);
    expect(again.all()).toEqual({
      apps: { 'render|exe:firefox.exe': { hidden: true, name: 'Browser', reapplyProfile: 'Evening' } },
      devices: { 'sink:usb': { hidden: false, name: 'Headset' } },
    });
    expect(JSON.parse(readFileSync(join(dir, PREFERENCES_FILE), 'utf8'))).toEqual({
      version: 1,
      preferences: {
        'app:render|exe:firefox.exe': { hidden: true, name: 'Browser', reapplyProfile: 'Evening' },
        'device:sink:usb': { hidden: false, name: 'Headset' },
      },
    });
  });

  it('removes an entry that is back to the defaults', async () => {
    const store = new PreferencesStore(stateDir());
    await store.setApp('a', { hidden: true });
    await store.setApp('a', { hidden: false });
    expect(store.all()).toEqual({ apps: {}, devices: {} });
  });

  it('drops rules naming a deleted profile, keeping the rest of the entry', async () => {
    const store = new PreferencesStore(stateDir());
    await store.setApp('a', { name: 'A', reapplyProfile: 'Gone' });
    await store.setApp('b', { reapplyProfile: 'Gone' });
    expect(await store.dropRulesFor('Gone')).toBe(true);
    expect(store.all().apps).toEqual({ a: { hidden: false, name: 'A', reapplyProfile: null } });
  });

  it('drops and reports an invalid entry, keeping the others and the original aside', () => {
    const dir = stateDir();
    writeFileSync(
      join(dir, PREFERENCES_FILE),
      JSON.stringify({ version: 1, preferences: { 'app:good': { hidden: true, name: null }, 'app:bad': { hidden: 'yes', name: null } } }),
    );
    const store = new PreferencesStore(dir);
    expect(store.app('good').hidden).toBe(true);
    expect(store.problems.join('\n')).toMatch(/dropped 1 invalid entry .*"app:bad"/);
  });
});
