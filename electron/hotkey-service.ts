// Global hotkeys: registered with globalShortcut from the settings, each problem kept for
// the settings page (misspelt, a conflict between two actions, keys taken by another app
// or the system), and each press turned into mixer commands.
import { globalShortcut } from 'electron';
import type { HotkeyProblem } from '../core/hotkeys';
import { planHotkeys } from '../core/hotkeys';
import type { HostClient } from '../core/engine-host';
import type { HotkeyAction, Settings } from '../core/settings';
import type { BackendSupervisor } from './backend/supervisor';
import type { HotkeyOutcome } from './desktop/hotkey-actions';
import { deviceHotkeyCommands, hotkeyTarget, sessionHotkeyCommands } from './desktop/hotkey-actions';
import { sessionsOfNamedApp } from './backend/foreground';
import type { MixerMirror } from './desktop/mixer-mirror';

export class HotkeyService {
  problems: Partial<Record<HotkeyAction, HotkeyProblem>> = {};
  lastError: string | null = null;

  constructor(
    /** Read at each press: the step and the chosen app may change without the keys changing. */
    private readonly settings: () => Settings,
    private readonly client: HostClient,
    private readonly mirror: MixerMirror,
    private readonly supervisor: BackendSupervisor,
    private readonly onChange: () => void,
  ) {}

  /** (Re)registers every bound hotkey. */
  apply(bindings: Settings['hotkeys']): void {
    globalShortcut.unregisterAll();
    const plan = planHotkeys(bindings, process.platform);
    const problems = { ...plan.problems };
    for (const { action, accelerator } of plan.register) {
      let registered: boolean;
      try {
        registered = globalShortcut.register(accelerator, () => void this.press(action));
      } catch (error) {
        problems[action] = { kind: 'unregistrable', accelerator, message: error instanceof Error ? error.message : String(error) };
        continue;
      }
      if (!registered) problems[action] = { kind: 'taken', accelerator };
    }
    this.problems = problems;
    this.onChange();
  }

  private async outcome(action: HotkeyAction, settings: Settings): Promise<HotkeyOutcome> {
    const step = settings.hotkeyStep;
    switch (hotkeyTarget(action)) {
      case 'default':
      case 'mic':
        return deviceHotkeyCommands(action, this.mirror.devices.values(), step);
      case 'app': {
        if (!settings.hotkeyApp) return { ok: false, reason: 'no app is chosen for the app hotkeys (Settings)' };
        const sessions = sessionsOfNamedApp(settings.hotkeyApp, [...this.mirror.sessions.values()]).filter((session) => session.flow === 'render');
        return sessions.length > 0 ? sessionHotkeyCommands(action, sessions, step) : { ok: false, reason: `${settings.hotkeyApp} has no audio session` };
      }
      case 'foreground': {
        const front = await this.supervisor.foreground();
        if (!front.ok) return { ok: false, reason: `foreground app: ${front.reason}` };
        const sessions = front.sessions.filter((session) => session.flow === 'render');
        const name = front.processName ?? `process ${front.pid}`;
        return sessions.length > 0 ? sessionHotkeyCommands(action, sessions, step) : { ok: false, reason: `the app in front (${name}) has no audio session` };
      }
    }
  }

  private async press(action: HotkeyAction): Promise<void> {
    const outcome = await this.outcome(action, this.settings());
    let error = outcome.ok ? null : outcome.reason;
    if (outcome.ok) {
      for (const command of outcome.commands) {
        const result = await this.client.handle(command);
        if (!result.ok) error = result.error.message;
      }
    }
    if (error !== null) console.warn(`sndmix: hotkey ${action}: ${error}`);
    const shown = error === null ? null : `${action}: ${error}`;
    if (shown !== this.lastError) {
      this.lastError = shown;
      this.onChange();
    }
  }

  dispose(): void {
    globalShortcut.unregisterAll();
  }
}
