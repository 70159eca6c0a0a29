// Which app is in front, for the foreground-app hotkeys, and which sessions are its.
// Windows: the foreground window's process (user32 GetForegroundWindow and
// GetWindowThreadProcessId). Linux on X11: the root window's _NET_ACTIVE_WINDOW and that
// window's _NET_WM_PID (through xprop). Elsewhere (Wayland, macOS, no window manager
// that keeps _NET_ACTIVE_WINDOW) it is "not supported", with the reason. It runs in the
// backend process, beside the other native calls.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SessionRecord } from '../../native-bridge/types';

export type ForegroundApp = { ok: true; pid: number; processName: string | null } | { ok: false; reason: string };

/** The sessions a foreground app plays through: its own process's, or a child process's (browsers play from a child). */
export function sessionsOfApp(
  app: { pid: number; processName: string | null },
  sessions: readonly SessionRecord[],
  parentOf: (pid: number) => number | null,
): SessionRecord[] {
  const live = sessions.filter((session) => session.pid > 0 && !session.isSystemSounds && session.state !== 'expired' && !session.disconnected);
  const descends = (pid: number) => {
    for (let current: number | null = pid, depth = 0; current !== null && current > 1 && depth < 64; depth += 1) {
      if (current === app.pid) return true;
      current = parentOf(current);
    }
    return false;
  };
  const own = live.filter((session) => descends(session.pid));
  if (own.length > 0 || app.processName === null) return own;
  // An app whose audio comes from a process outside its tree (a broker, a second instance): the same program.
  const name = normaliseProcessName(app.processName);
  return live.filter((session) => session.processName !== null && normaliseProcessName(session.processName) === name);
}

/** "C:\\Program Files\\VLC\\vlc.exe" and "vlc" name the same program. */
export function normaliseProcessName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? name;
  return base.replace(/\.exe$/i, '').toLowerCase();
}

/** The sessions of the "chosen app" hotkeys: by program name, with or without path or .exe. */
export function sessionsOfNamedApp(processName: string, sessions: readonly SessionRecord[]): SessionRecord[] {
  return sessionsOfApp({ pid: -1, processName }, sessions, () => null);
}

/** `xprop -root -notype _NET_ACTIVE_WINDOW` → the window id, or null when none is active. */
export function parseActiveWindow(output: string): string | null {
  const match = /_NET_ACTIVE_WINDOW\S*\s*(?:=|:)?\s*.*?(0x[0-9a-f]+)/i.exec(output);
  if (!match?.[1] || /^0x0+$/i.test(match[1])) return null;
  return match[1];
}

/** `xprop -id W -notype _NET_WM_PID` → the pid, or null when the window does not say. */
export function parseWindowPid(output: string): number | null {
  const match = /_NET_WM_PID\S*\s*=\s*(\d+)/.exec(output);
  return match?.[1] ? Number(match[1]) : null;
}

/** A Linux process's parent, from /proc/<pid>/stat (whose second field may hold spaces and parentheses). */
export function linuxParentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    return Number.isInteger(parent) && parent > 0 ? parent : null;
  } catch {
    return null;
  }
}

function linuxProcessName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 2000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

export async function x11ForegroundApp(env: NodeJS.ProcessEnv = process.env): Promise<ForegroundApp> {
  if (env.WAYLAND_DISPLAY && env.XDG_SESSION_TYPE === 'wayland') {
    return { ok: false, reason: 'not supported on Wayland: it does not tell other apps which window is in front' };
  }
  if (!env.DISPLAY) return { ok: false, reason: 'not supported without an X11 display (DISPLAY is not set)' };
  let root: string;
  try {
    root = await run('xprop', ['-root', '-notype', '_NET_ACTIVE_WINDOW']);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? 'not supported: xprop is not installed (Debian/Ubuntu: x11-utils)' : `not supported: xprop failed (${String(error)})`,
    };
  }
  const window = parseActiveWindow(root);
  if (!window) return { ok: false, reason: 'not supported: the window manager does not set _NET_ACTIVE_WINDOW, or no window is active' };
  const pid = parseWindowPid(await run('xprop', ['-id', window, '-notype', '_NET_WM_PID']).catch(() => ''));
  if (pid === null) return { ok: false, reason: `the active window ${window} does not say its process (_NET_WM_PID)` };
  return { ok: true, pid, processName: linuxProcessName(pid) };
}

export async function windowsForegroundApp(): Promise<ForegroundApp> {
  // Through com/ffi: ffi-rs's tables are shared with the COM sink thread in this process (see ffi.ts).
  const { DataType, load, open } = await import('../../native-bridge/com/ffi');
  const { createWin32Shell } = await import('../../native-bridge/coreaudio/win32-shell');
  open({ library: 'user32', path: 'user32.dll' });
  const window = load({ library: 'user32', funcName: 'GetForegroundWindow', retType: DataType.BigInt, paramsType: [], paramsValue: [] }) as bigint;
  if (window === 0n) return { ok: false, reason: 'no window is in front (the desktop or a locked screen)' };
  const owner = Buffer.alloc(4);
  load({
    library: 'user32',
    funcName: 'GetWindowThreadProcessId',
    retType: DataType.I32,
    paramsType: [DataType.BigInt, DataType.U8Array],
    paramsValue: [window, owner],
  });
  const pid = owner.readUInt32LE();
  if (pid === 0) return { ok: false, reason: 'the foreground window has no process' };
  return { ok: true, pid, processName: createWin32Shell().openProcess(pid)?.executablePath ?? null };
}

export function foregroundApp(platform: NodeJS.Platform = process.platform): Promise<ForegroundApp> {
  if (platform === 'win32') return windowsForegroundApp();
  if (platform === 'linux') return x11ForegroundApp();
  return Promise.resolve({ ok: false, reason: `not supported on ${platform}` });
}

export function parentLookup(platform: NodeJS.Platform = process.platform): (pid: number) => number | null {
  // Windows has no cheap parent lookup; its foreground window usually belongs to the playing process itself.
  return platform === 'linux' ? linuxParentOf : () => null;
}
