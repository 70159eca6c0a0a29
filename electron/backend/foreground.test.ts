import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { session } from '../../core/testing/fake-backend';
import { linuxParentOf, normaliseProcessName, parseActiveWindow, parseWindowPid, sessionsOfApp, sessionsOfNamedApp, x11ForegroundApp } from './foreground';

// A browser (pid 100) plays from its audio child (pid 130, child of 120, child of 100); vlc is on its own.
const parents = new Map([
  [130, 120],
  [120, 100],
  [100, 1],
  [200, 1],
  [300, 1],
]);
const parentOf = (pid: number) => parents.get(pid) ?? null;
const browserAudio = session({ id: 'browser', pid: 130, processName: 'chrome' });
const vlc = session({ id: 'vlc', pid: 200, processName: 'C:\\Program Files\\VideoLAN\\VLC\\vlc.exe' });
const vlcSecond = session({ id: 'vlc-2', pid: 300, processName: 'vlc' });
const systemSounds = session({ id: 'system', pid: 100, isSystemSounds: true });
const gone = session({ id: 'gone', pid: 100, state: 'expired' });
const all = [browserAudio, vlc, vlcSecond, systemSounds, gone];
const ids = (sessions: { id: string }[]) => sessions.map((candidate) => candidate.id);

describe('foreground-app resolution', () => {
  it("finds the sessions of the window's process and its descendants (a browser's audio child)", () => {
    expect(ids(sessionsOfApp({ pid: 100, processName: 'chrome' }, all, parentOf))).toEqual(['browser']);
  });

  it('takes only that process when it plays itself', () => {
    expect(ids(sessionsOfApp({ pid: 200, processName: 'vlc.exe' }, all, parentOf))).toEqual(['vlc']);
  });

  it('falls back to the same program by name when nothing in its tree plays', () => {
    expect(ids(sessionsOfApp({ pid: 999, processName: 'VLC.EXE' }, all, parentOf))).toEqual(['vlc', 'vlc-2']);
  });

  it('never returns System Sounds, expired or disconnected sessions', () => {
    const disconnected = session({ id: 'dis', pid: 100, disconnected: 'session-logoff' });
    expect(sessionsOfApp({ pid: 100, processName: null }, [systemSounds, gone, disconnected], parentOf)).toEqual([]);
  });

  it('a chosen app by name matches with or without path and .exe', () => {
    expect(ids(sessionsOfNamedApp('vlc', all))).toEqual(['vlc', 'vlc-2']);
    expect(normaliseProcessName('/usr/bin/Firefox')).toBe('firefox');
  });

  it('reads a real process tree from /proc', () => {
    const child = spawn('sleep', ['5']);
    try {
      expect(linuxParentOf(child.pid ?? 0)).toBe(process.pid);
      expect(linuxParentOf(2 ** 30)).toBeNull();
    } finally {
      child.kill();
    }
  });
});

describe('X11 foreground window', () => {
  it("parses xprop's answers", () => {
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW: window id # 0x3a00007\n')).toBe('0x3a00007');
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x0\n')).toBeNull();
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW:  not found.\n')).toBeNull();
    expect(parseWindowPid('_NET_WM_PID = 4242\n')).toBe(4242);
    expect(parseWindowPid('_NET_WM_PID:  not found.\n')).toBeNull();
  });

  it('is "not supported" with the reason on Wayland and without a display', async () => {
    expect(await x11ForegroundApp({ WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^not supported on Wayland/),
    });
    expect(await x11ForegroundApp({})).toEqual({ ok: false, reason: expect.stringContaining('DISPLAY is not set') });
  });
});
