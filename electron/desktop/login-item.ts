// Start at login. Windows (and macOS): Electron's app.setLoginItemSettings. Linux: Electron
// has no login items there, so an XDG autostart entry (~/.config/autostart/sndmix.desktop),
// which GNOME, KDE, Xfce and others start at login.
import { rm } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export const AUTOSTART_FILE = 'sndmix.desktop';
/** Started at login: straight to the tray, no mixer window. */
export const HIDDEN_FLAG = '--hidden';

export function autostartDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'autostart');
}

/** The Exec line quotes per the Desktop Entry spec: a path with spaces still starts. */
export function autostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return ['[Desktop Entry]', 'Type=Application', 'Name=SndMix', 'Comment=Per-application volume mixer', `Exec=${quoted} ${HIDDEN_FLAG}`, 'Terminal=false', 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

export async function setLinuxAutostart(enabled: boolean, executable: string, dir = autostartDir()): Promise<void> {
  const file = path.join(dir, AUTOSTART_FILE);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, autostartEntry(executable));
}
