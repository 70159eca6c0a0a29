// Names and icons of the coreaudio backend's sessions: what the client set, else the
// default Windows derives from the app (windows-rules/display-names.ts, R17..R19), read
// through the OS seam with each Win32 lookup made only when the rules need it and cached.
import { fileNameOf, iconSources, resolveDisplayName, type ResolvedName } from '../windows-rules/display-names';
import { describe } from './hresult-outcome';
import type { AudioSystem } from './system';

/** What naming needs to know of one session; the backend's session entry. */
export interface NamedSession {
  readonly record: {
    pid: number;
    crossProcess: boolean;
    isSystemSounds: boolean;
    sessionGuid: string;
    iconPath: string;
  };
  /** What the client set, indirect strings resolved; "" when nothing. */
  clientName: string;
  /** undefined until looked up; null when the process cannot be looked into. */
  executablePath: string | null | undefined;
}

export class SessionNames {
  private readonly fileDescriptions = new Map<string, string | null>();
  private readonly icons = new Map<string, string | null>();

  constructor(
    private readonly system: AudioSystem,
    private readonly warnOnce: (key: string, message: string) => void,
  ) {}

  /** The client's name as it should read: "@dll,-id" resource strings resolved (System Sounds' is one). */
  clientName(name: string): string {
    const trimmed = name.trim();
    if (!trimmed.startsWith('@')) return trimmed;
    return this.system.resolveIndirectString(trimmed)?.trim() ?? '';
  }

  nameOf(session: NamedSession, windowTitles: Map<number, string>): ResolvedName {
    const { record } = session;
    return resolveDisplayName(
      {
        clientName: session.clientName,
        isSystemSounds: record.isSystemSounds,
        crossProcess: record.crossProcess,
        pid: record.pid,
        sessionGuid: record.sessionGuid,
      },
      {
        windowTitle: () => windowTitles.get(record.pid) ?? null,
        fileDescription: () => {
          const path = this.executablePathOf(session);
          if (!path) return null;
          if (!this.fileDescriptions.has(path)) this.fileDescriptions.set(path, this.system.fileDescription(path));
          return this.fileDescriptions.get(path) ?? null;
        },
        executablePath: () => this.executablePathOf(session),
      },
    );
  }

  /** Main window titles of the sessions whose name may come from one (one window walk for all). */
  windowTitlesFor(sessions: readonly NamedSession[]): Map<number, string> {
    const pids = [
      ...new Set(
        sessions
          .filter(({ record, clientName }) => !record.crossProcess && !clientName && !record.isSystemSounds)
          .map(({ record }) => record.pid),
      ),
    ];
    if (pids.length === 0) return new Map();
    try {
      return this.system.mainWindowTitles(pids);
    } catch (error) {
      this.warnOnce('window titles', `reading window titles failed: ${describe(error)}`);
      return new Map();
    }
  }

  executablePathOf(session: NamedSession): string | null {
    if (session.record.crossProcess) return null;
    if (session.executablePath === undefined) {
      const { pid } = session.record;
      try {
        session.executablePath = this.system.processDetails(pid).executablePath;
      } catch (error) {
        this.warnOnce(`process ${pid}`, `reading process ${pid} failed: ${describe(error)}`);
        session.executablePath = null;
      }
    }
    return session.executablePath;
  }

  processNameOf(session: NamedSession): string | null {
    const path = this.executablePathOf(session);
    return path ? fileNameOf(path) : null;
  }

  /** The client's icon, else (process-specific sessions, R18) the executable's; cached by source. */
  iconOf(session: NamedSession): string | null {
    for (const source of iconSources(session.record, () => this.executablePathOf(session))) {
      if (!this.icons.has(source)) {
        let icon: string | null = null;
        try {
          icon = this.system.renderIcon(source);
        } catch (error) {
          this.warnOnce(`icon ${source}`, `rendering the icon ${source} failed: ${describe(error)}`);
        }
        this.icons.set(source, icon);
      }
      const icon = this.icons.get(source);
      if (icon) return icon;
    }
    return null;
  }
}
