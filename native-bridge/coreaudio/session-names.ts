// Names and icons of the coreaudio backend's sessions: what the client set, else the
// default Windows derives from the app (windows-rules/display-names.ts, R17..R19), read
// through the OS seam with each Win32 lookup made only when the rules need it and cached.
import { readdirSync, readFileSync } from 'node:fs';
import { fileNameOf, iconSources, resolveDisplayName, type ResolvedName } from '../windows-rules/display-names';
import { applicationPathFromIdentifier } from '../windows-rules/session-identity';
import type * as AppPackage from './app-package';
import type { PackageLook, PackageReader } from './app-package';
import { describe } from './hresult-outcome';
import type { AudioSystem, ProcessDetails } from './system';

/** What naming needs to know of one session; the backend's session entry. */
export interface NamedSession {
  readonly record: {
    pid: number;
    crossProcess: boolean;
    isSystemSounds: boolean;
    sessionGuid: string;
    iconPath: string;
    sessionIdentifier: string;
  };
  /** What the client set, indirect strings resolved; "" when nothing. */
  clientName: string;
  /** undefined until looked up; null when the process cannot be looked into. */
  executablePath: string | null | undefined;
}

/** A path with a folder: a bare file name (all the process list tells of a closed process) is never looked up. */
function hasFolder(path: string): boolean {
  return /[\\/]/.test(path);
}

export class SessionNames {
  private readonly fileDescriptions = new Map<string, string | null>();
  private readonly icons = new Map<string, string | null>();
  private readonly details = new WeakMap<NamedSession, ProcessDetails | null>();
  private readonly packageOfSession = new WeakMap<NamedSession, PackageLook | null>();
  /** By package full name and application id. */
  private readonly packages = new Map<string, PackageLook>();
  private readonly packageReader: PackageReader;

  constructor(
    private readonly system: AudioSystem,
    private readonly warnOnce: (key: string, message: string) => void,
    /** null where the system runs no packaged apps. */
    private readonly packageLookups: typeof AppPackage | null,
  ) {
    // The package's own files, read as any file (a package folder is readable by its users).
    this.packageReader = {
      readFile: (path) => {
        try {
          return readFileSync(path);
        } catch {
          return null;
        }
      },
      listDirectory: (path) => {
        try {
          return readdirSync(path);
        } catch {
          return [];
        }
      },
      resolveIndirectString: (text) => this.system.resolveIndirectString(text),
    };
  }

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
        packageName: () => this.packageOf(session)?.displayName ?? null,
        windowTitle: () => windowTitles.get(record.pid) ?? null,
        fileDescription: () => {
          const path = this.executablePathOf(session);
          if (!path || !hasFolder(path)) return null;
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
    if (session.executablePath === undefined) session.executablePath = this.processDetailsOf(session)?.executablePath ?? null;
    return session.executablePath;
  }

  private processDetailsOf(session: NamedSession): ProcessDetails | null {
    if (session.record.crossProcess) return null;
    if (!this.details.has(session)) {
      const { pid } = session.record;
      try {
        this.details.set(session, this.system.processDetails(pid));
      } catch (error) {
        this.warnOnce(`process ${pid}`, `reading process ${pid} failed: ${describe(error)}`);
        this.details.set(session, null);
      }
    }
    return this.details.get(session) ?? null;
  }

  /**
   * A packaged app's name and logo (defect 9): its package from the process (GetPackageFullName),
   * else from the WindowsApps folder its image path (the process's, else the one in its session
   * identifier) lies in; installed where the OS says, else in that folder.
   */
  private packageOf(session: NamedSession): PackageLook | null {
    const { record } = session;
    const lookups = this.packageLookups;
    if (!lookups || record.crossProcess || record.isSystemSounds) return null;
    if (this.packageOfSession.has(session)) return this.packageOfSession.get(session) ?? null;
    let look: PackageLook | null = null;
    try {
      const details = this.processDetailsOf(session);
      const imagePaths = [details?.executablePath ?? null, applicationPathFromIdentifier(record.sessionIdentifier)];
      const inFolder = imagePaths.map((path) => (path ? lookups.packageInPath(path) : null)).find((found) => found !== null) ?? null;
      const fullName = details?.packageFullName ?? inFolder?.fullName ?? null;
      if (fullName) {
        // The identifier's path is a native one ("\Device\HarddiskVolume3\..."): mapped to its drive.
        const installPath =
          this.system.packageInstallPath(fullName) ?? (inFolder?.fullName === fullName ? this.system.win32Path(inFolder.installPath) : null);
        const applicationId = lookups.applicationIdOf(details?.appUserModelId ?? null);
        const key = `${fullName}!${applicationId ?? ''}`;
        if (installPath && !this.packages.has(key)) this.packages.set(key, lookups.lookAtPackage({ fullName, installPath, applicationId }, this.packageReader));
        look = this.packages.get(key) ?? null;
      }
    } catch (error) {
      this.warnOnce(`package ${record.pid}`, `reading the package of process ${record.pid} failed: ${describe(error)}`);
    }
    this.packageOfSession.set(session, look);
    return look;
  }

  processNameOf(session: NamedSession): string | null {
    const path = this.executablePathOf(session);
    return path ? fileNameOf(path) : null;
  }

  /** The first icon of iconSources that renders (a package's logo is one already); cached by source. */
  iconOf(session: NamedSession): string | null {
    const clientIcon = session.record.iconPath.trim();
    let logo: string | null = null;
    const sources = iconSources(session.record, {
      packageLogo: () => (logo = this.packageOf(session)?.logo ?? null),
      executablePath: () => this.executablePathOf(session),
    });
    for (const source of sources) {
      if (source === logo) return logo;
      if (source !== clientIcon && !hasFolder(source)) continue;
      const icon = this.renderedIcon(source);
      if (icon) return icon;
    }
    return null;
  }

  private renderedIcon(source: string): string | null {
    if (!this.icons.has(source)) {
      let icon: string | null = null;
      try {
        icon = this.system.renderIcon(source);
      } catch (error) {
        this.warnOnce(`icon ${source}`, `rendering the icon ${source} failed: ${describe(error)}`);
      }
      this.icons.set(source, icon);
    }
    return this.icons.get(source) ?? null;
  }
}
