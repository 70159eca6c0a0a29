// What a session is called and which icon it shows when the client set none (R17..R19),
// as Windows decides it, in pure functions over lazy lookups (each lookup costs Win32
// calls: only made when needed). A process-specific session whose process cannot be
// looked into is still its process's: "Process <pid>"; only a cross-process session,
// which may span several apps, gets the generic "Shared audio session" label.
import type { DisplayNameSource } from '../types';

export const SYSTEM_SOUNDS_LABEL = 'System Sounds';

export interface NameFacts {
  /** What the client set (GetDisplayName, indirect strings already resolved); "" when nothing. */
  clientName: string;
  isSystemSounds: boolean;
  crossProcess: boolean;
  pid: number;
  sessionGuid: string;
}

export interface ProcessLookups {
  /** A packaged (Store) app's name from its package manifest; null for other apps. */
  packageName(): string | null;
  windowTitle(): string | null;
  fileDescription(): string | null;
  executablePath(): string | null;
}

export interface ResolvedName {
  displayName: string;
  displayNameSource: DisplayNameSource;
}

/** "C:\\Program Files\\App\\app.exe" -> "app.exe" (either slash). */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * R19: System Sounds is labelled as such. Otherwise the client's name; else, for a
 * process-specific session (R18), a packaged app's package display name (what Start and
 * Sndvol show for Store apps), the process's main window title, then its
 * executable's FileDescription, then the executable's file name. A cross-process
 * session without a client name, or a process we cannot look into, gets a generic label.
 */
export function resolveDisplayName(facts: NameFacts, lookups: ProcessLookups): ResolvedName {
  if (facts.isSystemSounds) return { displayName: SYSTEM_SOUNDS_LABEL, displayNameSource: 'system-sounds' };
  const clientName = facts.clientName.trim();
  if (clientName) return { displayName: clientName, displayNameSource: 'client' };
  if (!facts.crossProcess) {
    const packageName = lookups.packageName()?.trim();
    if (packageName) return { displayName: packageName, displayNameSource: 'package' };
    const title = lookups.windowTitle()?.trim();
    if (title) return { displayName: title, displayNameSource: 'window-title' };
    const description = lookups.fileDescription()?.trim();
    if (description) return { displayName: description, displayNameSource: 'file-description' };
    const path = lookups.executablePath();
    if (path) return { displayName: fileNameOf(path), displayNameSource: 'executable' };
    return { displayName: `Process ${facts.pid}`, displayNameSource: 'generic' };
  }
  return { displayName: `Shared audio session ${facts.sessionGuid.slice(1, 9).toLowerCase()}`, displayNameSource: 'generic' };
}

export interface IconFacts {
  /** The client's icon path ("" when none). */
  iconPath: string;
  crossProcess: boolean;
}

/**
 * The icon sources to try, in order (R17, R18): the client's icon path, then, for a
 * process-specific session only, a packaged app's logo (a PNG data URL), then its
 * executable (whose first icon is used). Each lookup is made only when reached.
 */
export function* iconSources(facts: IconFacts, lookups: { packageLogo(): string | null; executablePath(): string | null }): Generator<string> {
  const clientIcon = facts.iconPath.trim();
  if (clientIcon) yield clientIcon;
  if (facts.crossProcess) return;
  const logo = lookups.packageLogo();
  if (logo) yield logo;
  const path = lookups.executablePath();
  if (path) yield path;
}
