import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, SettingsPatchSchema, SettingsSchema, applySettingsPatch, migrateSettings } from './settings';

describe('settings migration', () => {
  it('no file: the defaults, no warning', () => {
    expect(migrateSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, warnings: [] });
  });

  it('the defaults fit the schema', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });

  it('a file from before versions (fields missing) keeps what it has and takes defaults for the rest', () => {
    const { settings, warnings } = migrateSettings({ theme: 'dark', hotkeys: { 'mic-mute': 'Alt+M' } });
    expect(warnings).toEqual([]);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', hotkeys: { ...DEFAULT_SETTINGS.hotkeys, 'mic-mute': 'Alt+M' } });
    expect(settings.version).toBe(SETTINGS_VERSION);
  });

  it('one bad field is reset with a warning naming it; the others are kept', () => {
    const { settings, warnings } = migrateSettings({ version: 1, theme: 'purple', meters: false, hotkeyStep: 400 });
    expect(settings.theme).toBe('system');
    expect(settings.meters).toBe(false);
    expect(settings.hotkeyStep).toBe(DEFAULT_SETTINGS.hotkeyStep);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ kind: 'invalid-setting', setting: 'theme' });
    expect(warnings[1]).toMatchObject({ kind: 'invalid-setting', setting: 'hotkeyStep' });
  });

  it('bad hotkeys are unbound one by one, unknown ones dropped', () => {
    const { settings, warnings } = migrateSettings({ hotkeys: { 'mic-mute': 7, 'default-mute': 'Ctrl+F9', 'warp-drive': 'F1' } });
    expect(settings.hotkeys['mic-mute']).toBeNull();
    expect(settings.hotkeys['default-mute']).toBe('Ctrl+F9');
    expect(warnings).toEqual([
      { kind: 'invalid-hotkey', action: 'mic-mute' },
      { kind: 'unknown-hotkey-action', action: 'warp-drive' },
    ]);
  });

  it('not an object, or from a newer SndMix: the defaults and a warning', () => {
    expect(migrateSettings([1, 2]).warnings).toEqual([{ kind: 'not-an-object' }]);
    expect(migrateSettings('x').settings).toEqual(DEFAULT_SETTINGS);
    expect(migrateSettings({ version: 99, theme: 'dark' })).toEqual({
      settings: DEFAULT_SETTINGS,
      warnings: [{ kind: 'newer-version', version: '99' }],
    });
  });

  it('unknown fields are dropped with a warning', () => {
    expect(migrateSettings({ version: 1, colour: 'red' }).warnings).toEqual([{ kind: 'unknown-setting', setting: 'colour' }]);
  });
});

describe('settings patches', () => {
  it('change only what they name; a hotkey patch keeps the other hotkeys', () => {
    const start = applySettingsPatch(DEFAULT_SETTINGS, { hotkeys: { 'mic-mute': 'Alt+M' } });
    const next = applySettingsPatch(start, SettingsPatchSchema.parse({ theme: 'light', hotkeys: { 'default-mute': 'Alt+D' } }));
    expect(next).toEqual({ ...DEFAULT_SETTINGS, theme: 'light', hotkeys: { ...DEFAULT_SETTINGS.hotkeys, 'mic-mute': 'Alt+M', 'default-mute': 'Alt+D' } });
  });

  it('reject the version, unknown fields and bad values', () => {
    expect(SettingsPatchSchema.safeParse({ version: 2 }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ hotkeys: { nope: 'F1' } }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ volumeScale: 'bels' }).success).toBe(false);
  });
});
