// `sndmix record`: follows one app (by pid, process name or display name, or a program it
// starts) on any backend and writes what it observed as a scenario file (core/scenario/
// recording.ts): its sessions, every event in order with its time, as expectations a
// later run can be checked against, and the rule checks can read.
//
// Recording ends on Ctrl-C, after --duration, or once the followed process has ended and
// its sessions with it.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { LoggedEvent } from '../core/contract';
import type { EngineHost } from '../core/engine-host';
import type { Follow } from '../core/scenario/format';
import type { followsSession as FollowsSession } from '../core/scenario/recording';
import type { SessionRecord } from '../native-bridge/types';
import { observedDevice, timedEvents } from '../core/scenario/observation';
import { once, parsePid, parseText } from './arguments';
import type { CliIo, CommonOptions } from './main';
import { UsageError } from './targets';

interface RecordOptions extends CommonOptions {
  pid?: number;
  process?: string;
  name?: string;
  out?: string;
  duration?: number;
}

export interface RecordDeps {
  withCommon(command: Command): Command;
  withHost(options: CommonOptions, live: boolean, io: CliIo, body: (host: EngineHost) => Promise<void>): Promise<void>;
}

const MAX_DURATION_MS = 86_400_000;

/** Milliseconds, a plain whole number up to a day. */
function parseDuration(value: string): number {
  if (!/^\d{1,8}$/.test(value) || Number(value) > MAX_DURATION_MS) {
    throw new InvalidArgumentError(`expected milliseconds: a whole number from 0 to ${MAX_DURATION_MS}`);
  }
  return Number(value);
}

/** After the followed process ended: how long its sessions may take to end too. */
const END_GRACE_MS = 2000;
const POLL_MS = 100;

export function addRecordCommand(program: Command, io: CliIo, deps: RecordDeps): void {
  deps
    .withCommon(program.command('record').description('follow one app and write what its sessions do as a scenario file'))
    .argument('[command...]', 'a program to start and follow (after --), e.g. -- paplay song.wav')
    .option('--pid <pid>', 'follow the sessions of this process', once(parsePid))
    .option('--process <name>', 'follow the sessions of processes with this executable name (e.g. paplay, chrome.exe)', once(parseText))
    .option('--name <name>', 'follow the sessions with this display name, as the mixer shows it', once(parseText))
    .option('--out <file>', 'write the scenario here (default: standard output)', once(parseText))
    .option('--duration <ms>', 'stop after this long (default: until Ctrl-C or the app has ended)', once(parseDuration))
    .action((command: string[], options: RecordOptions) => {
      const given = [options.pid, options.process, options.name].filter((value) => value !== undefined).length + (command.length > 0 ? 1 : 0);
      if (given !== 1) throw new UsageError('give exactly one of --pid, --process, --name or a command to start (after --)');
      return deps.withHost(options, true, io, (host) => record(host, command, options, io));
    });
}

async function record(host: EngineHost, command: string[], options: RecordOptions, io: CliIo): Promise<void> {
  // The serializer (and its YAML library) loads only when a recording is made.
  const { describeFollow, followsSession, recordingToYaml } = await import('../core/scenario/recording');
  const backend = host.backendInfo.name;
  // Listen before starting the program, so its first session cannot slip by.
  const startedAt = Date.now();
  const atStart = host.sessions();
  const all: LoggedEvent[] = [];
  const stopListening = host.onEvent((event) => all.push(event));
  let child: ChildProcess | null = null;
  let ranForMs = 0;
  let follow: Follow | undefined;
  try {
    child = command.length > 0 ? await start(command) : null;
    follow =
      child !== null ? { pid: child.pid as number } : options.pid !== undefined ? { pid: options.pid } : options.process !== undefined ? { processName: options.process } : { displayName: options.name as string };
    const following = follow;
    io.stderr(`sndmix: recording ${describeFollow(following)} on ${backend}; Ctrl-C to stop\n`);
    // Pids are real only on real backends: the sim's are made up.
    const followedPid = backend === 'sim' ? undefined : following.pid;
    const sessionsGone = () => {
      const { ids } = followedOnly(followsSession, following, atStart, all);
      return !host.sessions().some((session) => ids.has(session.id));
    };
    await until(io.stop, options.duration, async () => {
      if (followedPid === undefined || isRunning(followedPid, child)) return false;
      ranForMs ||= Date.now() - startedAt;
      return sessionsGone() || Date.now() - startedAt - ranForMs > END_GRACE_MS;
    });
    // A program the recording started ends with it, and its sessions' end is recorded too.
    if (child && isRunning(child.pid as number, child)) {
      ranForMs = Date.now() - startedAt;
      child.kill('SIGTERM');
      const ended = Date.now() + END_GRACE_MS;
      await until(new AbortController().signal, END_GRACE_MS, async () => !isRunning(child?.pid as number, child) && (sessionsGone() || Date.now() > ended));
    }
  } finally {
    stopListening();
    if (child && isRunning(child.pid as number, child)) child.kill('SIGKILL');
  }
  const durationMs = Date.now() - startedAt;
  const { sessions, events, ids } = followedOnly(followsSession, follow, atStart, all);
  const pids = new Set([...sessions, ...events.flatMap((event) => (event.type === 'session-created' ? [event.session] : []))].map((session) => session.pid));
  const endedPids = backend === 'sim' ? [] : [...pids].filter((pid) => pid > 0 && !isRunning(pid, pid === child?.pid ? child : null));
  const program = command[0];
  const text = recordingToYaml({
    name: `${program ?? describeFollow(follow)} on ${backend}`,
    backend,
    startedAt,
    durationMs,
    follow,
    devices: host.devices().map(observedDevice),
    sessions,
    events: timedEvents(events, startedAt),
    endedPids,
    ...(program !== undefined ? { launched: { app: appName(program), command, ranForMs: ranForMs || durationMs } } : {}),
  });
  if (options.out === undefined) io.stdout(text);
  else {
    await writeFile(options.out, text).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot write ${options.out}: ${error.code ?? error.message}`);
    });
  }
  io.stderr(`sndmix: recorded ${events.length} events of ${ids.size} session(s) in ${(durationMs / 1000).toFixed(1)} s${options.out ? ` to ${options.out}` : ''}\n`);
}

/** The followed app's sessions at the start, and the events about them (and about devices), in order. */
function followedOnly(followsSession: typeof FollowsSession, follow: Follow | undefined, atStart: readonly SessionRecord[], all: readonly LoggedEvent[]) {
  const sessions = atStart.filter((session) => follow !== undefined && followsSession(follow, session));
  const ids = new Set(sessions.map((session) => session.id));
  const events = all.filter((event) => {
    if (event.type === 'session-created') {
      if (follow === undefined || !followsSession(follow, event.session)) return false;
      ids.add(event.session.id);
      return true;
    }
    return !('sessionId' in event) || ids.has(event.sessionId);
  });
  return { sessions, events, ids };
}

/** Starts the program to follow; its pid is what its sessions carry. */
async function start(command: string[]): Promise<ChildProcess> {
  const [program, ...args] = command as [string, ...string[]];
  // Players print progress on stderr: it is not the recording's business.
  const child = spawn(program, args, { stdio: 'ignore' });
  const error = await new Promise<Error | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', resolve);
  });
  if (error) throw new UsageError(`cannot start ${program}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
  return child;
}

function isRunning(pid: number, child: ChildProcess | null): boolean {
  if (child) return child.exitCode === null && child.signalCode === null;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves on abort, after `durationMs`, or once `done` says so (checked every 100 ms). */
async function until(signal: AbortSignal, durationMs: number | undefined, done: () => Promise<boolean>): Promise<void> {
  const deadline = durationMs === undefined ? Infinity : Date.now() + durationMs;
  while (!signal.aborted && Date.now() < deadline && !(await done())) {
    await new Promise<void>((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function basename(program: string): string {
  return program.split(/[\\/]/).pop() ?? program;
}

/** An alias for the app in the recorded steps: its program's name as a word. */
function appName(program: string): string {
  const word = basename(program).replace(/\.exe$/i, '').replace(/[^\w-]+/g, '-');
  return /^[A-Za-z]/.test(word) ? word : `app-${word}`;
}
