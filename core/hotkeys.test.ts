import { describe, expect, it } from 'vitest';
import { parseAccelerator, planHotkeys } from './hotkeys';
import { DEFAULT_SETTINGS } from './settings';

const linux = (text: string) => parseAccelerator(text, 'linux');

describe('hotkey parsing', () => {
  it('gives one canonical spelling whatever the case, aliases and modifier order', () => {
    expect(linux('ctrl+alt+m')).toEqual({ ok: true, accelerator: 'Control+Alt+M' });
    expect(linux('Alt+Control+M')).toEqual({ ok: true, accelerator: 'Control+Alt+M' });
    expect(linux('CmdOrCtrl+Shift+Up')).toEqual({ ok: true, accelerator: 'Control+Shift+Up' });
    expect(parseAccelerator('CmdOrCtrl+Shift+Up', 'darwin')).toEqual({ ok: true, accelerator: 'Command+Shift+Up' });
    expect(linux('Meta+Option+esc')).toEqual({ ok: true, accelerator: 'Alt+Super+Escape' });
    expect(linux('Ctrl+Return')).toEqual({ ok: true, accelerator: 'Control+Enter' });
    expect(linux('Ctrl++')).toEqual({ ok: true, accelerator: 'Control+Plus' });
    expect(linux('Shift+pagedown')).toEqual({ ok: true, accelerator: 'Shift+PageDown' });
  });

  it('lets function and media keys stand alone, nothing else', () => {
    expect(linux('F9')).toEqual({ ok: true, accelerator: 'F9' });
    expect(linux('VolumeMute')).toEqual({ ok: true, accelerator: 'VolumeMute' });
    expect(linux('M')).toMatchObject({ ok: false, error: expect.stringContaining('needs a modifier') });
  });

  it('says what is wrong', () => {
    expect(linux('Ctrl+')).toMatchObject({ ok: false, error: expect.stringContaining('empty part') });
    expect(linux('Ctrl+Alt')).toMatchObject({ ok: false, error: expect.stringContaining('no key') });
    expect(linux('Ctrl+A+B')).toMatchObject({ ok: false, error: expect.stringContaining('two keys') });
    expect(linux('A+Ctrl')).toMatchObject({ ok: false, error: expect.stringContaining('comes after the key') });
    expect(linux('Ctrl+Banana')).toMatchObject({ ok: false, error: '"Banana" is not a key Electron knows' });
    expect(linux('Ctrl+F25')).toMatchObject({ ok: false });
    expect(parseAccelerator('Cmd+M', 'win32')).toMatchObject({ ok: false, error: expect.stringContaining('only on macOS') });
  });
});

describe('hotkey conflicts', () => {
  it('registers distinct hotkeys and leaves unbound actions out', () => {
    const plan = planHotkeys({ ...DEFAULT_SETTINGS.hotkeys, 'mic-mute': 'Ctrl+Alt+M', 'default-mute': 'Ctrl+Alt+D' }, 'win32');
    expect(plan).toEqual({
      register: [
        { action: 'default-mute', accelerator: 'Control+Alt+D' },
        { action: 'mic-mute', accelerator: 'Control+Alt+M' },
      ],
      problems: {},
    });
  });

  it('two actions on the same keys, however spelled: neither registered, each told which other has them', () => {
    const plan = planHotkeys(
      { ...DEFAULT_SETTINGS.hotkeys, 'mic-mute': 'Ctrl+Alt+M', 'app-mute': 'alt+control+m', 'default-mute': 'Ctrl+Alt+D' },
      'linux',
    );
    expect(plan.register).toEqual([{ action: 'default-mute', accelerator: 'Control+Alt+D' }]);
    expect(plan.problems).toEqual({
      'app-mute': 'Control+Alt+M is also bound to “Microphone: mute / unmute”',
      'mic-mute': 'Control+Alt+M is also bound to “Chosen app: mute / unmute”',
    });
  });

  it('a badly spelled one is reported and the rest still registered', () => {
    const plan = planHotkeys({ ...DEFAULT_SETTINGS.hotkeys, 'mic-mute': 'Ctrl+Hyper+M', 'default-mute': 'F8' }, 'linux');
    expect(plan.register).toEqual([{ action: 'default-mute', accelerator: 'F8' }]);
    expect(plan.problems['mic-mute']).toBe('"Hyper" is not a key Electron knows');
  });
});
