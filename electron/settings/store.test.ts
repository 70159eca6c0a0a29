import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../core/settings';
import { SETTINGS_FILE, SettingsStore } from './store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sndmix-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, SETTINGS_FILE);

describe('the settings file', () => {
  it('is absent at first: defaults, no warning, and nothing written until a change', async () => {
    const store = await SettingsStore.open(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.warnings).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a change across a restart, written whole (no temp file left)', async () => {
    const store = await SettingsStore.open(dir);
    expect(await store.update({ theme: 'dark', hotkeys: { 'mic-mute': 'Alt+M' } })).toMatchObject({ ok: true });
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
    const reopened = await SettingsStore.open(dir);
    expect(reopened.get().theme).toBe('dark');
    expect(reopened.get().hotkeys['mic-mute']).toBe('Alt+M');
  });

  it('ends as the last of several quick changes', async () => {
    const store = await SettingsStore.open(dir);
    await Promise.all([1, 2, 3, 4, 5].map((step) => store.update({ hotkeyStep: step })));
    expect(JSON.parse(readFileSync(file(), 'utf8')).hotkeyStep).toBe(5);
    expect(store.get().hotkeyStep).toBe(5);
  });

  it('tells listeners of each accepted change', async () => {
    const store = await SettingsStore.open(dir);
    const seen: string[] = [];
    store.onChange((settings) => seen.push(settings.theme));
    await store.update({ theme: 'light' });
    await store.update({ theme: 'nope' });
    expect(seen).toEqual(['light']);
  });

  it('rejects a bad change with the reason and keeps the old settings', async () => {
    const store = await SettingsStore.open(dir);
    expect(await store.update({ meters: 'yes' })).toEqual({ ok: false, error: expect.stringMatching(/^invalid settings at meters:/) });
    expect(await store.update(null)).toMatchObject({ ok: false });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('corrupt (not JSON): a warning, the defaults, and the file kept beside it', async () => {
    writeFileSync(file(), '{"theme": "dark",');
    const store = await SettingsStore.open(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.warnings).toEqual([
      { kind: 'not-json', file: store.file, message: expect.any(String) },
      { kind: 'copy-kept', copy: `${store.file}.corrupt` },
    ]);
    expect(readFileSync(`${file()}.corrupt`, 'utf8')).toBe('{"theme": "dark",');
  });

  it('with one bad field: that field defaults, the rest is kept, with a warning', async () => {
    writeFileSync(file(), JSON.stringify({ version: 1, theme: 'dark', volumeScale: 'bels' }));
    const store = await SettingsStore.open(dir);
    expect(store.get()).toMatchObject({ theme: 'dark', volumeScale: 'percent' });
    expect(store.warnings).toEqual([
      { kind: 'invalid-setting', setting: 'volumeScale', issue: expect.any(String) },
      { kind: 'copy-kept', copy: `${store.file}.corrupt` },
    ]);
  });

  it('cannot be saved (read-only folder): the change fails with the reason, nothing crashes', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the target a directory instead, which no one can rename over.
      mkdirSync(file());
    } else {
      chmodSync(dir, 0o500);
    }
    const store = await SettingsStore.open(dir);
    const result = await store.update({ theme: 'dark' });
    chmodSync(dir, 0o700);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('could not save the settings') });
    expect(store.get().theme).toBe('system');
  });
});
