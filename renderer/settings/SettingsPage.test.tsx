import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import type { DesktopApi, DesktopState, SettingsPatch } from '../../core/contract';
import { DEFAULT_SETTINGS, SettingsPatchSchema, applySettingsPatch } from '../../core/contract';
import { DesktopProvider } from '../desktop/desktop-context';
import { createDesktopStore } from '../desktop/desktop-store';
import type { Language } from '../i18n/i18n';
import { withStrings } from '../testing/strings';
import { SettingsPage } from './SettingsPage';

afterEach(cleanup);

/** The main process's side as the page sees it: patches checked by the real schema and applied by the real rule. */
class RecordingDesktop implements DesktopApi {
  readonly patches: SettingsPatch[] = [];
  constructor(private readonly store: ReturnType<typeof createDesktopStore>) {}
  getState = () => Promise.resolve(this.store.getState().desktop as DesktopState);
  updateSettings = async (patch: SettingsPatch) => {
    const parsed = SettingsPatchSchema.safeParse(patch);
    if (!parsed.success) return { ok: false as const, error: 'invalid settings' };
    this.patches.push(parsed.data);
    const state = this.store.getState().desktop as DesktopState;
    this.store.getState().receive({ ...state, settings: applySettingsPatch(state.settings, parsed.data) });
    return { ok: true as const };
  };
  onState = () => () => undefined;
  onShowPage = () => () => undefined;
  act = () => undefined;
}

function renderSettings(overrides: Partial<DesktopState> = {}, language: Language = 'en') {
  const store = createDesktopStore();
  store.getState().receive({
    settings: DEFAULT_SETTINGS,
    settingsWarnings: [],
    hotkeyProblems: {},
    lastHotkeyError: null,
    backend: { state: 'running' },
    startAtLoginUnsupported: null,
    ...overrides,
  });
  store.getState().showPage('settings');
  const api = new RecordingDesktop(store);
  render(
    <DesktopProvider api={api} store={store}>
      <SettingsPage />
    </DesktopProvider>,
    { wrapper: withStrings(language) },
  );
  return { api, store };
}

describe('the settings page', () => {
  it('saves a change at once', async () => {
    const { api, store } = renderSettings();
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Theme' }), { target: { value: 'dark' } });
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('switch', { name: 'Level meters' }));
    });
    expect(api.patches).toEqual([{ theme: 'dark' }, { meters: false }]);
    expect(store.getState().desktop?.settings.theme).toBe('dark');
  });

  it('says what is wrong with a typed hotkey and does not save it; a good one is saved in its canonical spelling', async () => {
    const { api } = renderSettings();
    const input = screen.getByRole('textbox', { name: 'Microphone: mute / unmute' });
    fireEvent.change(input, { target: { value: 'Ctrl+Banana' } });
    expect(screen.getByText('“Banana” is not a key Electron knows')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await act(async () => {
      fireEvent.blur(input);
    });
    expect(api.patches).toEqual([]);
    fireEvent.change(input, { target: { value: 'alt+ctrl+m' } });
    await act(async () => {
      fireEvent.blur(input);
    });
    expect(api.patches).toEqual([{ hotkeys: { 'mic-mute': 'Control+Alt+M' } }]);
    expect((input as HTMLInputElement).value).toBe('Control+Alt+M');
  });

  it("shows the main process's word on a bound hotkey (a conflict or keys taken elsewhere)", () => {
    renderSettings({
      settings: { ...DEFAULT_SETTINGS, hotkeys: { ...DEFAULT_SETTINGS.hotkeys, 'default-mute': 'Control+F9' } },
      hotkeyProblems: { 'default-mute': { kind: 'taken', accelerator: 'Control+F9' } },
    });
    expect(screen.getByText('Control+F9 is taken by another app or the system')).toBeTruthy();
  });

  it("words the main process's problems and the file's warnings in German too", () => {
    renderSettings(
      {
        settings: { ...DEFAULT_SETTINGS, hotkeys: { ...DEFAULT_SETTINGS.hotkeys, 'default-mute': 'Control+F9', 'mic-mute': 'Control+F10', 'app-mute': 'Control+F10' } },
        hotkeyProblems: {
          'default-mute': { kind: 'taken', accelerator: 'Control+F9' },
          'mic-mute': { kind: 'duplicate', accelerator: 'Control+F10', rivals: ['app-mute'] },
        },
        settingsWarnings: [{ kind: 'unknown-setting', setting: 'colour' }],
      },
      'de',
    );
    expect(screen.getByText('Control+F9 ist von einer anderen Anwendung oder dem System belegt')).toBeTruthy();
    expect(screen.getByText('Control+F10 ist auch „Gewählte Anwendung: stumm / laut“ zugewiesen')).toBeTruthy();
    expect(screen.getByText('Die Einstellungsdatei hatte Probleme: die unbekannte Einstellung „colour“ wurde verworfen.')).toBeTruthy();
  });

  it('words a hotkey misspelt as it is typed in German', async () => {
    renderSettings({}, 'de');
    const input = screen.getByRole('textbox', { name: 'Mikrofon: stumm / laut' });
    await act(async () => {
      fireEvent.change(input, { target: { value: 'Ctrl+Banana' } });
    });
    expect(screen.getByText('„Banana“ ist keine Taste, die Electron kennt')).toBeTruthy();
  });

  it("shows the settings file's problems and a start-at-login that cannot work here", () => {
    renderSettings({
      settingsWarnings: [
        { kind: 'invalid-setting', setting: 'theme', issue: 'Invalid option' },
        { kind: 'copy-kept', copy: '/state/settings.json.corrupt' },
      ],
      startAtLoginUnsupported: 'not supported on freebsd',
    });
    expect(screen.getByRole('status').textContent).toBe(
      'The settings file had problems: setting “theme” is invalid: using its default; the file was kept as /state/settings.json.corrupt.',
    );
    const login = screen.getByRole('switch', { name: /Start SndMix when I log in/ }) as HTMLInputElement;
    expect(login.disabled).toBe(true);
    expect(screen.getByText(/not supported on freebsd/)).toBeTruthy();
  });

  it('speaks German when the UI does: groups, choices and every hotkey action', async () => {
    const { api } = renderSettings({}, 'de');
    expect(screen.getByRole('heading', { name: 'Einstellungen' })).toBeTruthy();
    const scale = screen.getByRole('combobox', { name: 'Lautstärkeskala' });
    expect([...scale.querySelectorAll('option')].map((option) => option.textContent)).toEqual(['Prozent (0–100)', 'Dezibel']);
    expect(screen.getByRole('textbox', { name: 'Mikrofon: stumm / laut' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Aktion' })).toBeTruthy();
    await act(async () => {
      fireEvent.change(scale, { target: { value: 'decibel' } });
    });
    expect(api.patches).toEqual([{ volumeScale: 'decibel' }]);
  });
});
