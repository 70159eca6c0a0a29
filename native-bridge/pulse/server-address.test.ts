import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../types';
import type { AddressContext } from './server-address';
import { COOKIE_LENGTH, DEFAULT_TCP_PORT, describeAddress, loadCookie, parseServerList, serverAddresses } from './server-address';

/** A machine described by its environment and files, nothing read from this one. */
function machine(env: NodeJS.ProcessEnv, files: Record<string, string> = {}): AddressContext {
  return {
    env,
    home: '/home/u',
    machineId: 'm1d',
    readText: (path) => files[path] ?? null,
    listConf: (dir) => Object.keys(files).filter((path) => path.startsWith(`${dir}/`) && path.endsWith('.conf')).sort(),
  };
}
const unix = (path: string) => ({ kind: 'unix', path });

describe('PulseAudio server address, found as libpulse finds it', () => {
  it('uses an explicit server, else PULSE_SERVER, else client.conf default-server', () => {
    const conf = { '/home/u/.config/pulse/client.conf': 'default-server = unix:/conf/native ; comment\n' };
    expect(serverAddresses('unix:/tmp/a/native', machine({ PULSE_SERVER: '/env' }, conf))).toEqual([unix('/tmp/a/native')]);
    expect(serverAddresses(undefined, machine({ PULSE_SERVER: '/env' }, conf))).toEqual([unix('/env')]);
    expect(serverAddresses(undefined, machine({}, conf))).toEqual([unix('/conf/native')]);
  });

  it('reads the one client.conf libpulse reads: PULSE_CLIENTCONFIG, the user one, else /etc, each with its .d', () => {
    const files = {
      '/etc/pulse/client.conf': 'default-server = /etc-server\n',
      '/etc/pulse/client.conf.d/50-local.conf': '# override\ndefault-server = tcp:box:4714\n',
      '/x/client.conf': 'default-server = /x-server\n',
    };
    expect(serverAddresses(undefined, machine({}, files))).toEqual([{ kind: 'tcp', host: 'box', port: 4714 }]);
    expect(serverAddresses(undefined, machine({ PULSE_CLIENTCONFIG: '/x/client.conf' }, files))).toEqual([unix('/x-server')]);
    const user = { ...files, '/cfg/pulse/client.conf': 'autospawn = no\n' };
    // A user client.conf without default-server still hides /etc's: libpulse reads one file.
    expect(serverAddresses(undefined, machine({ XDG_CONFIG_HOME: '/cfg', XDG_RUNTIME_DIR: '/run/user/7' }, user))).toEqual([
      unix('/run/user/7/pulse/native'),
      unix('/var/run/pulse/native'),
    ]);
  });

  it('parses server lists: unix and TCP entries in order, entries of other machines skipped', () => {
    expect(parseServerList('{m1d}unix:/x {other}/y tcp:host:4713 /z box [::1]:4800 tcp6:[fe80::1] tcp4:10.0.0.2:1', 'm1d')).toEqual([
      unix('/x'),
      { kind: 'tcp', host: 'host', port: 4713 },
      unix('/z'),
      { kind: 'tcp', host: 'box', port: DEFAULT_TCP_PORT },
      { kind: 'tcp', host: '::1', port: 4800 },
      { kind: 'tcp', host: 'fe80::1', port: DEFAULT_TCP_PORT },
      { kind: 'tcp', host: '10.0.0.2', port: 1 },
    ]);
    expect(describeAddress({ kind: 'tcp', host: '::1', port: 4800 })).toBe('tcp:[::1]:4800');
  });

  it('refuses a server list with nothing usable on this machine, saying why', () => {
    const attempt = () => serverAddresses('{other}unix:/x tcp:host:99999', machine({}));
    expect(attempt).toThrow(BackendError);
    expect(attempt).toThrow(/names no address usable on this machine/);
  });

  it('falls back to the per-user runtime socket, then the system-wide one', () => {
    expect(serverAddresses(undefined, machine({ PULSE_RUNTIME_PATH: '/p', XDG_RUNTIME_DIR: '/run/user/7' }))).toEqual([
      unix('/p/native'),
      unix('/var/run/pulse/native'),
    ]);
    expect(serverAddresses(undefined, machine({ XDG_RUNTIME_DIR: '/run/user/7' }))).toEqual([
      unix('/run/user/7/pulse/native'),
      unix('/var/run/pulse/native'),
    ]);
  });

  it('without XDG_RUNTIME_DIR uses ~/.config/pulse/<machine-id>-runtime, as libpulse does (sudo, su, cron)', () => {
    expect(serverAddresses(undefined, machine({}))).toEqual([unix('/home/u/.config/pulse/m1d-runtime/native'), unix('/var/run/pulse/native')]);
    expect(serverAddresses(undefined, machine({ XDG_CONFIG_HOME: '/cfg' }))[0]).toEqual(unix('/cfg/pulse/m1d-runtime/native'));
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
