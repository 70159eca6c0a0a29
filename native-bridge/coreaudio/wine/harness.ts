// Linux side of the Wine proofs: prepares the prefix (setup.sh), runs a private
// PulseAudio with a null sink, bundles TypeScript for Windows Node, and runs Windows
// programs under Wine. Decision: the Windows side runs esbuild bundles (one CommonJS
// file per entry, built here on Linux), not tsx under Windows Node, because tsx needs
// esbuild's win32 binary, which npm will not install on Linux.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');

export interface WineEnvironment {
  wine64: string;
  wineserver: string;
  prefix: string;
  nodeExe: string;
  runtimeDir: string;
  home: string;
  /** The Core Audio double (../double/): its DLL, its conformance program, its prefix. */
  double: { dll: string; conformance: string; prefix: string };
  /** Environment for Wine processes: prefix, quiet logs, the shim DLL, our PulseAudio. */
  env: NodeJS.ProcessEnv;
}

/** Runs setup.sh (idempotent: downloads and builds only what is missing). */
export function prepareWine(): WineEnvironment {
  const setup = spawnSync('bash', [join(here, 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (setup.status !== 0) throw new Error(`wine setup failed (exit ${setup.status}); see the messages above`);
  const values = Object.fromEntries(
    setup.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const required = (key: string): string => {
    const value = values[key];
    if (!value) throw new Error(`wine setup did not report ${key}`);
    return value;
  };
  const home = required('WINE_HOME');
  const pulseDir = join(home, 'pulse');
  return {
    wine64: required('WINE64'),
    wineserver: required('WINESERVER'),
    prefix: required('WINEPREFIX'),
    nodeExe: required('NODE_EXE'),
    runtimeDir: required('RUNTIME_DIR'),
    home,
    double: { dll: required('DOUBLE_DLL'), conformance: required('DOUBLE_CONFORMANCE'), prefix: required('DOUBLE_PREFIX') },
    env: {
      ...process.env,
      WINEPREFIX: required('WINEPREFIX'),
      WINEDEBUG: process.env.SNDMIX_WINEDEBUG ?? '-all',
      WINEDLLOVERRIDES: 'bcryptprimitives=n;mscoree=;mshtml=',
      // Our own PulseAudio, apart from any other test's.
      PULSE_RUNTIME_PATH: pulseDir,
      PULSE_SERVER: `unix:${join(pulseDir, 'native')}`,
      // Node refuses Wine's default Windows version otherwise (the prefix is set to win10 too).
      NODE_SKIP_PLATFORM_CHECK: '1',
    },
  };
}

/** The same set-up, its programs run in the double's prefix (CLSID_MMDeviceEnumerator is the double). */
export function inDoublePrefix(wine: WineEnvironment): WineEnvironment {
  return { ...wine, prefix: wine.double.prefix, env: { ...wine.env, WINEPREFIX: wine.double.prefix } };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a private PulseAudio with a null sink (Wine's winepulse needs a server), unless
 * one of ours is already running. Returns a stop function that ends only a daemon this
 * call started, by its pid.
 */
export async function startPulse(wine: WineEnvironment): Promise<() => void> {
  const runtime = wine.env.PULSE_RUNTIME_PATH as string;
  mkdirSync(runtime, { recursive: true });
  const pidFile = join(runtime, 'pid');
  const running = existsSync(pidFile) ? Number.parseInt(readFileSync(pidFile, 'utf8'), 10) : NaN;
  if (Number.isInteger(running) && alive(running) && existsSync(join(runtime, 'native'))) return () => undefined;
  rmSync(join(runtime, 'native'), { force: true });
  const started = spawnSync(
    'pulseaudio',
    [
      '--daemonize=yes',
      '--exit-idle-time=-1',
      '-n',
      '--load=module-null-sink sink_name=nullsink',
      '--load=module-native-protocol-unix auth-anonymous=1',
      '--load=module-always-sink',
      `--log-target=file:${join(runtime, 'log.txt')}`,
    ],
    // HOME: the daemon keeps its cookie and state under it; ours stays inside .wine/.
    { env: { ...process.env, PULSE_RUNTIME_PATH: runtime, HOME: runtime }, encoding: 'utf8' },
  );
  if (started.status !== 0) throw new Error(`pulseaudio failed to start: ${started.stderr}`);
  for (let attempt = 0; attempt < 50 && !existsSync(join(runtime, 'native')); attempt++) {
    await new Promise((done) => setTimeout(done, 100));
  }
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  return () => {
    if (alive(pid)) process.kill(pid, 'SIGTERM');
  };
}

/** Bundles a TypeScript entry for Windows Node into the runtime dir; returns the bundle path. */
export async function bundleForWindows(
  wine: WineEnvironment,
  entry: string,
  name: string,
  define: Record<string, string> = {},
): Promise<string> {
  const outfile = join(wine.runtimeDir, `${name}.cjs`);
  await build({
    define,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Resolved at run time from runtime/node_modules: the win32 ffi-rs.
    external: ['ffi-rs'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // native.ts reads import.meta.url only where __filename does not exist (ESM).
    logOverride: { 'empty-import-meta': 'silent' },
  });
  return outfile;
}

export function windowsPath(linuxPath: string): string {
  return `Z:${linuxPath.replaceAll('/', '\\')}`;
}

export interface WineRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Windows program. Its stdout/stderr go to files (Windows Node writing to a pipe
 * under Wine fails with EBADF) that are read back afterwards.
 */
export async function runUnderWine(wine: WineEnvironment, program: string, args: string[], timeoutMs: number): Promise<WineRun> {
  const logs = join(wine.home, 'logs');
  mkdirSync(logs, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const stdoutFile = join(logs, `${stamp}.out`);
  const stderrFile = join(logs, `${stamp}.err`);
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const command = `exec ${[wine.wine64, program, ...args].map(quote).join(' ')} >${quote(stdoutFile)} 2>${quote(stderrFile)}`;
  const child = spawn('sh', ['-c', command], { env: wine.env, cwd: wine.runtimeDir, stdio: 'ignore' });
  const code = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${program} under Wine took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', fail);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      done(exitCode);
    });
  });
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').replaceAll('\r\n', '\n') : '');
  const run = { code, stdout: read(stdoutFile), stderr: read(stderrFile) };
  rmSync(stdoutFile, { force: true });
  rmSync(stderrFile, { force: true });
  return run;
}

/** Runs a bundle under Windows Node. */
export function runNodeUnderWine(wine: WineEnvironment, bundle: string, args: string[], timeoutMs: number): Promise<WineRun> {
  return runUnderWine(wine, wine.nodeExe, [windowsPath(bundle), ...args], timeoutMs);
}
