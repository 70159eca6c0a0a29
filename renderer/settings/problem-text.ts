// The settings page's wording of what core reports as data: a hotkey that is not active
// (misspelt, bound twice, taken elsewhere) and what was wrong with the settings file.
// One exhaustive switch per kind, so a new kind in core fails the type check here.
import type { TFunction } from 'i18next';
import type { AcceleratorError, HotkeyProblem, SettingsWarning } from '../../core/contract';

export function acceleratorErrorText(t: TFunction, error: AcceleratorError): string {
  switch (error.reason) {
    case 'empty-part':
      return t('hotkeyProblem.empty-part', { text: error.text });
    case 'modifier-after-key':
      return t('hotkeyProblem.modifier-after-key', { text: error.text, modifier: error.modifier });
    case 'command-not-macos':
      return t('hotkeyProblem.command-not-macos');
    case 'two-keys':
      return t('hotkeyProblem.two-keys', { text: error.text, first: error.first, second: error.second });
    case 'unknown-key':
      return t('hotkeyProblem.unknown-key', { key: error.key });
    case 'no-key':
      return t('hotkeyProblem.no-key', { text: error.text });
    case 'needs-modifier':
      return t('hotkeyProblem.needs-modifier', { text: error.text });
  }
}

export function hotkeyProblemText(t: TFunction, problem: HotkeyProblem): string {
  switch (problem.kind) {
    case 'unparsable':
      return acceleratorErrorText(t, problem);
    case 'duplicate': {
      const rivals = problem.rivals.map((rival) => t('hotkeyProblem.rival', { action: t(`hotkeyAction.${rival}`) })).join(', ');
      return t('hotkeyProblem.duplicate', { accelerator: problem.accelerator, rivals });
    }
    case 'taken':
      return t('hotkeyProblem.taken', { accelerator: problem.accelerator });
    case 'unregistrable':
      return t('hotkeyProblem.unregistrable', { accelerator: problem.accelerator, message: problem.message });
  }
}

export function settingsWarningText(t: TFunction, warning: SettingsWarning): string {
  switch (warning.kind) {
    case 'unreadable':
      return t('settingsWarning.unreadable', { file: warning.file, message: warning.message });
    case 'not-json':
      return t('settingsWarning.not-json', { file: warning.file, message: warning.message });
    case 'not-an-object':
      return t('settingsWarning.not-an-object');
    case 'newer-version':
      return t('settingsWarning.newer-version', { version: warning.version });
    case 'invalid-setting':
      return t('settingsWarning.invalid-setting', { setting: warning.setting });
    case 'unknown-setting':
      return t('settingsWarning.unknown-setting', { setting: warning.setting });
    case 'hotkeys-not-an-object':
      return t('settingsWarning.hotkeys-not-an-object');
    case 'unknown-hotkey-action':
      return t('settingsWarning.unknown-hotkey-action', { action: warning.action });
    case 'invalid-hotkey':
      return t('settingsWarning.invalid-hotkey', { action: t(`hotkeyAction.${warning.action}`) });
    case 'copy-kept':
      return t('settingsWarning.copy-kept', { copy: warning.copy });
  }
}
