// Where the PulseAudio server listens and which cookie to show it, found the way libpulse
// finds them: an explicit server, else $PULSE_SERVER, else the per-user runtime socket
// ($PULSE_RUNTIME_PATH, $XDG_RUNTIME_DIR/pulse, /run/user/<uid>/pulse), else the
// system-wide socket. pipewire-pulse listens on the same per-user socket.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BackendError } from '../types';

/** PA_NATIVE_COOKIE_LENGTH */
export const COOKIE_LENGTH = 256;

/**
 * Unix socket paths to try, in order. `server` uses PULSE_SERVER's syntax: a
 * space-separated list of "unix:/path", "/path" or "tcp:host:port" entries, each
 * optionally prefixed by "{machine-id}". Only unix sockets are supported (pulseaudio.js
 * speaks the native protocol over unix sockets only).
 */
export function serverSocketCandidates(
  server: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.getuid?.() ?? 0,
): string[] {
  const listed = server ?? env.PULSE_SERVER;
  if (listed !== undefined && listed.trim() !== '') {
    const entries = listed.trim().split(/\s+/);
    const sockets = entries.flatMap((entry) => {
      const address = entry.replace(/^\{[^}]*\}/, '');
      if (address.startsWith('unix:')) return [address.slice('unix:'.length)];
      if (address.startsWith('/')) return [address];
      return [];
    });
    if (sockets.length === 0) {
      throw new BackendError(
        'unavailable',
        `PulseAudio server "${listed}" is not a unix socket; SndMix reaches PulseAudio only through a local unix socket`,
      );
    }
    return sockets;
  }
  const candidates = [
    env.PULSE_RUNTIME_PATH ? join(env.PULSE_RUNTIME_PATH, 'native') : null,
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'pulse', 'native') : null,
    `/run/user/${uid}/pulse/native`,
    '/var/run/pulse/native',
  ];
  return [...new Set(candidates.filter((candidate): candidate is string => candidate !== null))];
}

/**
 * The auth cookie, or an all-zero one. A local server authenticates unix-socket clients
 * of its own user by credentials and ignores the cookie, but the protocol still wants one.
 */
export async function loadCookie(env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const files = [
    env.PULSE_COOKIE,
    join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pulse', 'cookie'),
    join(homedir(), '.pulse-cookie'),
  ];
  for (const file of files) {
    if (!file) continue;
    const cookie = await readFile(file).catch(() => null);
    if (cookie?.length === COOKIE_LENGTH) return cookie;
  }
  return Buffer.alloc(COOKIE_LENGTH);
}
