// The settings page of the desktop app: every field of core/settings.ts, each change
// saved at once through the desktop API (the main process keeps the file). Hotkeys are
// checked as they are typed (core/hotkeys.ts); the main process adds what only it can
// know (keys taken by another app). Warnings about the stored file are shown on top.
import type { ReactNode } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HotkeyAction, HotkeyProblem, Settings, SettingsPatch } from '../../core/contract';
import { HOTKEY_ACTIONS, parseAccelerator } from '../../core/contract';
import { WarningIcon } from '../components/icons';
import { useDesktop, useDesktopApi } from '../desktop/desktop-context';
import { acceleratorErrorText, hotkeyProblemText, settingsWarningText } from './problem-text';

/** The platform the accelerators are for, as Electron names it; the renderer has no `process`. */
function platform(): string {
  const agent = navigator.userAgent;
  if (agent.includes('Windows')) return 'win32';
  if (agent.includes('Mac OS')) return 'darwin';
  return 'linux';
}

export function SettingsPage() {
  const api = useDesktopApi();
  const desktop = useDesktop((state) => state.desktop);
  const showPage = useDesktop((state) => state.showPage);
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();
  if (!api || !desktop) return <p className="placeholder">{t('settings.loading')}</p>;
  const { settings } = desktop;
  const save = (patch: SettingsPatch) => {
    setError(null);
    void api.updateSettings(patch).then((result) => {
      if (!result.ok) setError(result.error);
    });
  };

  return (
    <section className="settings" aria-labelledby="settings-title" data-testid="settings-page">
      <div className="settings-header">
        <h2 id="settings-title" className="settings-title">
          {t('settings.title')}
        </h2>
        <button type="button" className="button" onClick={() => showPage('mixer')}>
          {t('settings.back')}
        </button>
      </div>
      {desktop.settingsWarnings.length > 0 && (
        <div className="banner banner-warning" role="status">
          <WarningIcon className="banner-icon" />
          <span className="banner-text">{t('settings.fileProblems', { problems: desktop.settingsWarnings.map((warning) => settingsWarningText(t, warning)).join('; ') })}</span>
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert">
          <WarningIcon className="banner-icon" />
          <span className="banner-text">{error}</span>
        </div>
      )}

      <SettingsGroup title={t('settings.appearance')}>
        <Choice
          label={t('settings.theme')}
          value={settings.theme}
          options={[
            ['system', t('settings.themeSystem')],
            ['light', t('settings.themeLight')],
            ['dark', t('settings.themeDark')],
          ]}
          onChange={(theme) => save({ theme })}
        />
        <Choice
          label={t('settings.volumeScale')}
          value={settings.volumeScale}
          options={[
            ['percent', t('settings.scalePercent')],
            ['decibel', t('settings.scaleDecibel')],
          ]}
          onChange={(volumeScale) => save({ volumeScale })}
        />
        <Switch label={t('settings.meters')} checked={settings.meters} onChange={(meters) => save({ meters })} />
      </SettingsGroup>

      <SettingsGroup title={t('settings.window')}>
        <Switch label={t('settings.closeToTray')} checked={settings.closeToTray} onChange={(closeToTray) => save({ closeToTray })} />
        <Switch
          label={t('settings.startAtLogin')}
          checked={settings.startAtLogin}
          disabled={desktop.startAtLoginUnsupported !== null}
          note={desktop.startAtLoginUnsupported}
          onChange={(startAtLogin) => save({ startAtLogin })}
        />
      </SettingsGroup>

      <SettingsGroup title={t('settings.hotkeys')}>
        <p className="settings-note">{t('settings.hotkeysNote')}</p>
        <HotkeyAppField settings={settings} save={save} />
        <label className="settings-field">
          <span className="settings-label">{t('settings.hotkeyStep')}</span>
          <input
            className="text-input number-input"
            type="number"
            min={1}
            max={25}
            defaultValue={settings.hotkeyStep}
            onBlur={(event) => {
              const step = Number(event.currentTarget.value);
              if (Number.isInteger(step) && step >= 1 && step <= 25 && step !== settings.hotkeyStep) save({ hotkeyStep: step });
            }}
          />
        </label>
        <table className="hotkeys">
          <thead>
            <tr>
              <th scope="col">{t('settings.action')}</th>
              <th scope="col">{t('settings.keys')}</th>
            </tr>
          </thead>
          <tbody>
            {HOTKEY_ACTIONS.map((action) => (
              <HotkeyRow key={action} action={action} binding={settings.hotkeys[action]} problem={desktop.hotkeyProblems[action] ?? null} save={save} />
            ))}
          </tbody>
        </table>
        {desktop.lastHotkeyError && <p className="settings-note">{t('settings.lastHotkeyError', { error: desktop.lastHotkeyError })}</p>}
      </SettingsGroup>
    </section>
  );
}

function SettingsGroup({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="settings-group" aria-labelledby={id}>
      <h3 id={id} className="settings-group-title">
        {title}
      </h3>
      {children}
    </section>
  );
}

function Choice<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange(value: T): void }) {
  return (
    <label className="settings-field">
      <span className="settings-label">{label}</span>
      <select className="select" value={value} onChange={(event) => onChange(event.currentTarget.value as T)}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Switch({
  label,
  checked,
  onChange,
  disabled = false,
  note = null,
}: {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
  note?: string | null;
}) {
  return (
    <label className="toggle settings-field">
      <input type="checkbox" role="switch" className="toggle-input" checked={checked} disabled={disabled} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span className="toggle-track" aria-hidden="true" />
      <span className="toggle-label">
        {label}
        {note && <span className="settings-note"> ({note})</span>}
      </span>
    </label>
  );
}

function HotkeyAppField({ settings, save }: { settings: Settings; save(patch: SettingsPatch): void }) {
  const { t } = useTranslation();
  return (
    <label className="settings-field">
      <span className="settings-label">{t('settings.hotkeyApp')}</span>
      <input
        className="text-input"
        type="text"
        defaultValue={settings.hotkeyApp ?? ''}
        onBlur={(event) => {
          const name = event.currentTarget.value.trim() || null;
          if (name !== settings.hotkeyApp) save({ hotkeyApp: name });
        }}
      />
    </label>
  );
}

function HotkeyRow({
  action,
  binding,
  problem,
  save,
}: {
  action: HotkeyAction;
  binding: string | null;
  problem: HotkeyProblem | null;
  save(patch: SettingsPatch): void;
}) {
  const [draft, setDraft] = useState(binding ?? '');
  const inputId = useId();
  const problemId = useId();
  const { t } = useTranslation();
  const typed = draft.trim();
  const parsed = typed === '' ? null : parseAccelerator(typed, platform());
  const shownProblem = parsed && !parsed.ok ? acceleratorErrorText(t, parsed.error) : typed === (binding ?? '') && problem ? hotkeyProblemText(t, problem) : null;
  return (
    <tr data-testid={`hotkey-${action}`}>
      <th scope="row">
        <label htmlFor={inputId}>{t(`hotkeyAction.${action}`)}</label>
      </th>
      <td>
        <input
          id={inputId}
          className="text-input"
          type="text"
          value={draft}
          placeholder={t('settings.noKeys')}
          aria-invalid={shownProblem !== null}
          aria-describedby={shownProblem ? problemId : undefined}
          onChange={(event) => setDraft(event.currentTarget.value)}
          onBlur={() => {
            if (parsed && !parsed.ok) return;
            const next = parsed?.ok ? parsed.accelerator : null;
            if (next !== binding) save({ hotkeys: { [action]: next } });
            if (next !== null) setDraft(next);
          }}
        />
        {shownProblem && (
          <p id={problemId} className="hotkey-problem" role="status">
            {shownProblem}
          </p>
        )}
      </td>
    </tr>
  );
}
