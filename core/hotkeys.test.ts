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
    expect(linux('M')).toEqual({ ok: false, error: { reason: 'needs-modifier', text: 'M' } });
  });

  it('says what is wrong', () => {
    expect(linux('Ctrl+')).toEqual({ ok: false, error: { reason: 'empty-part', text: 'Ctrl+' } });
    expect(linux('Ctrl+Alt')).toEqual({ ok: false, error: { reason: 'no-key', text: 'Ctrl+Alt' } });
    expect(linux('Ctrl+A+B')).toEqual({ ok: false, error: { reason: 'two-keys', text: 'Ctrl+A+B', first: 'A', second: 'B' } });
    expect(linux('A+Ctrl')).toEqual({ ok: false, error: { reason: 'modifier-after-key', text: 'A+Ctrl', modifier: 'Ctrl' } });
    expect(linux('Ctrl+Banana')).toEqual({ ok: false, error: { reason: 'unknown-key', key: 'Banana' } });
    expect(linux('Ctrl+F25')).toEqual({ ok: false, error: { reason: 'unknown-key', key: 'F25' } });
    expect(parseAccelerator('Cmd+M', 'win32')).toEqual({ ok: false, error: { reason: 'command-not-macos' } });
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
      'app-mute': { kind: 'duplicate', accelerator: 'Control+Alt+M', rivals: ['mic-mute'] },
      'mic-mute': { kind: 'duplicate', accelerator: 'Control+Alt+M', rivals: ['app-mute'] },
    });
  });

  it('a badly spelled one is reported and the rest still registered', () => {
    const plan = planHotkeys({ ...DEFAULT_SETTINGS.hotkeys, 'mic-mute': 'Ctrl+Hyper+M', 'default-mute': 'F8' }, 'linux');
    expect(plan.register).toEqual([{ action: 'default-mute', accelerator: 'F8' }]);
    expect(plan.problems['mic-mute']).toEqual({ kind: 'unparsable', accelerator: 'Ctrl+Hyper+M', reason: 'unknown-key', key: 'Hyper' });
  });
});
