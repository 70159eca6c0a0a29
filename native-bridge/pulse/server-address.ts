// Where the PulseAudio server listens and which cookie to show it, found the way libpulse
// (pa_context_connect, PulseAudio 16) finds them:
// 1. an explicit server (PulseBackendOptions.server), else $PULSE_SERVER, else the
//    default-server of the one client.conf libpulse reads ($PULSE_CLIENTCONFIG, else
//    $XDG_CONFIG_HOME/pulse/client.conf or ~/.config/pulse/client.conf, else
//    /etc/pulse/client.conf; each with its client.conf.d/*.conf after it, later wins);
// 2. without one: the per-user socket in the runtime dir ($PULSE_RUNTIME_PATH, else
//    $XDG_RUNTIME_DIR/pulse, else ~/.config/pulse/<machine-id>-runtime), then the
//    system-wide /var/run/pulse/native.
// pipewire-pulse listens on the same per-user socket. Server lists are entries split by
// whitespace, tried in order: "unix:/path", "/path", "tcp:host:port", "tcp4:"/"tcp6:",
// "host", "host:port", "[v6addr]:port"; an entry prefixed "{machine-id}" is used only on
// that machine. Not followed: the PULSE_SERVER property of the X11 root window, and
// autospawn (SndMix never starts a server).
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { BackendError } from '../types';

/** PA_NATIVE_COOKIE_LENGTH */
export const COOKIE_LENGTH = 256;
/** PA_NATIVE_DEFAULT_PORT */
export const DEFAULT_TCP_PORT = 4713;
const SYSTEM_SOCKET = '/var/run/pulse/native';
const SYSTEM_CLIENT_CONF = '/etc/pulse/client.conf';

export type ServerAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** As PULSE_SERVER would spell it: "unix:/run/user/1000/pulse/native", "tcp:host:4713". */
export function describeAddress(address: ServerAddress): string {
  if (address.kind === 'unix') return `unix:${address.path}`;
  return `tcp:${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

/** What the lookup reads from the system: injectable so every rule is testable. */
export interface AddressContext {
  env: NodeJS.ProcessEnv;
  home: string;
  /** /etc/machine-id (else /var/lib/dbus/machine-id, else the host name), as libpulse's pa_machine_id. */
  machineId: string;
  /** A file's text, or null when it cannot be read. */
  readText(path: string): string | null;
  /** The *.conf files of a folder, sorted; [] when there is none. */
  listConf(dir: string): string[];
}

export function systemAddressContext(env: NodeJS.ProcessEnv = process.env): AddressContext {
  const readText = (path: string): string | null => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  const machineId = (readText('/etc/machine-id') ?? readText('/var/lib/dbus/machine-id'))?.trim() || hostname();
  return {
    env,
    home: env.HOME || homedir(),
    machineId,
    readText,
    listConf: (dir) => {
      try {
        return readdirSync(dir).filter((name) => name.endsWith('.conf')).sort().map((name) => join(dir, name));
      } catch {
        return [];
      }
    },
  };
}

/** Addresses to try, in order; throws BackendError('unavailable') when a server list names none usable here. */
export function serverAddresses(server: string | undefined, context: AddressContext = systemAddressContext()): ServerAddress[] {
  const { env } = context;
  const configured = [server, env.PULSE_SERVER, defaultServerFromClientConf(context)].find(
    (value): value is string => value !== undefined && value.trim() !== '',
  );
  if (configured !== undefined) {
    const addresses = parseServerList(configured, context.machineId);
    if (addresses.length === 0) {
      throw new BackendError('unavailable', `PulseAudio server "${configured}" names no address usable on this machine (machine id ${context.machineId})`);
    }
    return addresses;
  }
  const runtimeDir = env.PULSE_RUNTIME_PATH || (env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'pulse') : join(configHome(context), `${context.machineId}-runtime`));
  const paths = [join(runtimeDir, 'native'), SYSTEM_SOCKET];
  return [...new Set(paths)].map((path) => ({ kind: 'unix', path }));
}

/** $XDG_CONFIG_HOME/pulse, else ~/.config/pulse (pa_get_config_home_dir). */
function configHome(context: AddressContext): string {
  return join(context.env.XDG_CONFIG_HOME || join(context.home, '.config'), 'pulse');
}

/** default-server of the client.conf libpulse would read (the first that exists), its .d folder after it. */
export function defaultServerFromClientConf(context: AddressContext): string | undefined {
  const candidates = context.env.PULSE_CLIENTCONFIG
    ? [context.env.PULSE_CLIENTCONFIG]
    : [join(configHome(context), 'client.conf'), SYSTEM_CLIENT_CONF];
  for (const file of candidates) {
    const text = context.readText(file);
    if (text === null) continue;
    let value = confValue(text, 'default-server');
    for (const extra of context.listConf(`${file}.d`)) value = confValue(context.readText(extra) ?? '', 'default-server') ?? value;
    return value;
  }
  return undefined;
}

/** A key of PulseAudio's simple "key = value" conf syntax (";" and "#" start comments); the last one wins. */
function confValue(text: string, key: string): string | undefined {
  let value: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[;#].*$/, '').trim();
    const match = /^([\w-]+)\s*=\s*(.*)$/.exec(line);
    if (match?.[1] === key) value = match[2]?.trim();
  }
  return value;
}

/** pa_parse_address over a server list; entries for another machine are skipped, as libpulse does. */
export function parseServerList(list: string, machineId: string): ServerAddress[] {
  const addresses: ServerAddress[] = [];
  for (const entry of list.trim().split(/\s+/)) {
    const scoped = /^\{([^}]*)\}(.*)$/.exec(entry);
    if (scoped && scoped[1] !== machineId) continue;
    const address = parseAddress(scoped ? (scoped[2] ?? '') : entry);
    if (address) addresses.push(address);
  }
  return addresses;
}

function parseAddress(text: string): ServerAddress | null {
  if (text.startsWith('unix:')) return text.length > 5 ? { kind: 'unix', path: text.slice(5) } : null;
  if (text.startsWith('/')) return { kind: 'unix', path: text };
  const hostPort = text.replace(/^tcp[46]?:/, '');
  if (hostPort === '') return null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const plain = bracketed ? null : /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  const match = bracketed ?? plain;
  if (!match?.[1]) return null;
  const port = match[2] === undefined ? DEFAULT_TCP_PORT : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { kind: 'tcp', host: match[1], port };
}

/**
 * The auth cookie, or an all-zero one. A local server authenticates unix-socket clients
 * of its own user by credentials and ignores the cookie, but the protocol still wants one;
 * over TCP the server checks it (unless it allows anonymous or the client's address).
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
