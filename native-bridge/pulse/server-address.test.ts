import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../types';
import { COOKIE_LENGTH, loadCookie, serverSocketCandidates } from './server-address';

describe('PulseAudio server address', () => {
  it('uses an explicit server or PULSE_SERVER, unix sockets only', () => {
    expect(serverSocketCandidates('unix:/tmp/a/native', {})).toEqual(['/tmp/a/native']);
    expect(serverSocketCandidates(undefined, { PULSE_SERVER: '{abc}unix:/x tcp:host:4713 /y' })).toEqual(['/x', '/y']);
  });

  it('refuses a server list with no unix socket, saying why', () => {
    const attempt = () => serverSocketCandidates('tcp:localhost:4713', {});
    expect(attempt).toThrow(BackendError);
    expect(attempt).toThrow(/not a unix socket/);
    try {
      attempt();
    } catch (error) {
      expect((error as BackendError).code).toBe('unavailable');
    }
  });

  it('falls back to the per-user runtime sockets, then the system-wide one', () => {
    expect(serverSocketCandidates(undefined, { PULSE_RUNTIME_PATH: '/p', XDG_RUNTIME_DIR: '/run/user/7' }, 7)).toEqual([
      '/p/native',
      '/run/user/7/pulse/native',
      '/var/run/pulse/native',
    ]);
    expect(serverSocketCandidates(undefined, {}, 1000)).toEqual(['/run/user/1000/pulse/native', '/var/run/pulse/native']);
  });

  it('loads a 256-byte cookie, and sends zeros rather than a malformed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sndmix-cookie-'));
    try {
      const good = Buffer.alloc(COOKIE_LENGTH, 7);
      writeFileSync(join(dir, 'good'), good);
      writeFileSync(join(dir, 'short'), Buffer.alloc(10, 1));
      expect(await loadCookie({ PULSE_COOKIE: join(dir, 'good'), XDG_CONFIG_HOME: dir })).toEqual(good);
      expect(await loadCookie({ PULSE_COOKIE: join(dir, 'short'), XDG_CONFIG_HOME: dir })).toEqual(Buffer.alloc(COOKIE_LENGTH));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
