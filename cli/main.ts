// `sndmix`: the mixer's core without a window. Every error is one line and exit code 2,
// and a command that fails changes nothing. A command loads only what it needs: the engine
// host when it opens a backend, the web server and the scenario runner in the commands that
// use them (help and usage errors load neither).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { BackendInfo, DbMapping, LoggedEvent } from '../core/contract';
import { appKeyOf, balanceOf, deviceDbMapping, sessionDbMapping, volumeLabel } from '../core/contract';
import type { EngineHost } from '../core/engine-host';
import { defaultDevice, isShown } from '../core/mixer-view';
import { openBackend, parseBackendName, windowNotice } from '../native-bridge/open-backend';
import type { BackendName, DeviceRecord, SessionRecord } from '../native-bridge/types';
import { BACKEND_NAMES, BackendError } from '../native-bridge/types';
import { once, parseBalance, parseChoice, parseHost, parsePid, parsePort, parseText, parseUnitScalar, parseUserName } from './arguments';
import { ScenarioFailed, addCheckCommand } from './check';
import type { AppSummary } from './everyday';
import { describeApp, formatProfiles, resolveOutputDevice } from './everyday';
import { addRecordCommand } from './record';
import { UsageError, resolveTarget } from './targets';
import { escapeForTerminal } from './terminal-text';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Ends `watch` and `web`; the bin wires it to SIGINT/SIGTERM. */
  stop: AbortSignal;
}

export interface CommonOptions {
  backend?: BackendName;
  stateDir?: string;
}

const EXIT_USAGE = 2;

/** The built web UI: dist/web of the package this runs from (as source in cli/, or built in dist/cli/). */
function webDir(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json')) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  return path.join(folder, 'dist', 'web');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ScenarioFailed) return 1;
    if (error instanceof CommanderError) {
      // Help and version are successes; commander already printed its one-line error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    io.stderr(`sndmix: ${escapeForTerminal(error instanceof Error ? error.message : String(error))}\n`);
    return error instanceof UsageError || error instanceof BackendError ? EXIT_USAGE : 1;
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('sndmix')
    .description('Per-application volume mixer')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`sndmix: ${escapeForTerminal(text.replace(/^error: /, '').trimEnd())}\n`),
    })
    .showHelpAfterError(false);

  withCommon(program.command('list').description('list the sessions the mixer shows for the default playback device'))
    .option('--json', 'print {backend, sessions} as JSON')
    .option('--device <id>', 'another playback or recording device (see devices)', once(parseText))
    .option('--all', 'every session of every device, capture and expired ones included')
    .option('--db', 'volumes in dB (one decimal, -inf dB at 0) where the backend says how they map; percent otherwise, with why')
    .action((options: CommonOptions & { json?: boolean; device?: string; all?: boolean; db?: boolean }) =>
      withHost(options, false, io, (host) => {
        refuseDbWithJson(options);
        const sessions = options.all ? host.sessions() : shownSessions(host.sessions(), host.devices(), options.device);
        // Which backend answered is part of the answer: a simulated list must never pass for the real one.
        const backend = { name: host.backendInfo.name, notice: host.backendInfo.notice };
        const state = host.hostState();
        const apps = Object.fromEntries(sessions.map((session) => [session.id, describeApp(session, state, host.devices())]));
        io.stdout(
          options.json
            ? `${JSON.stringify({ backend, sessions: sessions.map((session) => ({ ...session, app: apps[session.id] })) }, null, 2)}\n`
            : `${backendHeader(backend)}\n${formatSessions(sessions, host.devices(), apps, options.db ? sessionDbScale(host.backendInfo) : null)}`,
        );
      }),
    );

  withCommon(program.command('set').description('set the volume or mute of one application'))
    .option('--id <id>', 'session id (from list)', once(parseText))
    .option('--name <name>', 'display name, as the mixer shows it', once(parseText))
    .option('--pid <pid>', 'process id', once(parsePid))
    .option('--device <id>', 'only sessions of this device (playback is searched before recording)', once(parseText))
    .option('--volume <0..1>', 'volume as a decimal scalar from 0 to 1', once(parseUnitScalar))
    .option('--mute <state>', 'mute on or off', once(parseChoice(['on', 'off'] as const)))
    .option('--output <device>', 'send the app to this playback device (id or name from devices; "default" to follow the default)', once(parseText))
    .option('--balance <-1..1>', 'stereo balance: -1 left, 0 centre, 1 right (apps with two or more channels)', once(parseBalance))
    .option('--hide <state>', 'hide the app in the mixer (on) or show it again (off); kept across restarts', once(parseChoice(['on', 'off'] as const)))
    .option('--rename <name>', 'show the app under this name; kept across restarts', once(parseUserName))
    .option('--no-rename', 'drop the app\'s own name given with --rename')
    .option('--reapply <profile>', 'apply this profile\'s entry for the app whenever it appears ("off": no rule)', once(parseText))
    .action(
      (options: CommonOptions & SetOptions) =>
        withHost(options, false, io, async (host) => {
          const appChanges = options.hide !== undefined || options.rename !== undefined || options.reapply !== undefined;
          if (options.volume === undefined && options.mute === undefined && options.output === undefined && options.balance === undefined && !appChanges) {
            throw new UsageError('nothing to set: give --volume, --mute, --output, --balance, --hide, --rename or --reapply');
          }
          const target = resolveTarget(host.sessions(), host.devices(), {
            id: options.id,
            name: options.name,
            pid: options.pid,
            deviceId: options.device,
          });
          if (options.volume !== undefined) {
            const confirmed = options.balance === undefined ? Promise.resolve() : levelsConfirmed(host, target.sessionIds);
            await mustSucceed(host.execute({ type: 'set-volume', sessionIds: target.sessionIds, volume: options.volume }));
            // The balance is computed from the channels: wait until the backend told them after the volume.
            await confirmed;
          }
          if (options.balance !== undefined) {
            await mustSucceed(host.execute({ type: 'set-balance', sessionIds: target.sessionIds, balance: options.balance }));
          }
          if (options.mute !== undefined) {
            await mustSucceed(host.execute({ type: 'set-mute', sessionIds: target.sessionIds, muted: options.mute === 'on' }));
          }
          const first = host.session(target.sessionIds[0] as string);
          if (appChanges && first) {
            const reapply = options.reapply === undefined ? undefined : options.reapply === 'off' ? null : parseUserName(options.reapply);
            await mustSucceed(
              host.execute({
                type: 'set-app-preference',
                appKey: appKeyOf(first),
                ...(options.hide === undefined ? {} : { hidden: options.hide === 'on' }),
                ...(options.rename === undefined ? {} : { name: options.rename === false ? null : options.rename }),
                ...(reapply === undefined ? {} : { reapplyProfile: reapply }),
              }),
            );
          }
          const session = host.session(target.sessionIds[0] as string);
          // Last: on PulseAudio the moved app is a new session on the other device.
          if (options.output !== undefined) {
            const deviceId = resolveOutputDevice(host.devices(), options.output, session?.flow ?? 'render');
            await mustSucceed(host.execute({ type: 'set-output-device', sessionIds: target.sessionIds, deviceId }));
          }
          // Acknowledged only once saved: closing writes the settings, and fails when they are not on disk.
          await host.close();
          const balance = options.balance !== undefined && session ? `, balance ${balanceOf(session.channelVolumes).toFixed(2)}` : '';
          io.stdout(`${escapeForTerminal(target.label)}: volume ${session?.volume.toFixed(2)}${session?.muted ? ', muted' : ''}${balance}\n`);
        }),
    );

  const profile = program.command('profile').description('save, apply, list and delete profiles (every app\'s volume, mute and output device)');
  for (const [verb, description] of [
    ['save', 'save every app\'s current volume, mute and output device under NAME (replacing a profile of that name)'],
    ['apply', 'apply profile NAME to the apps present now'],
    ['delete', 'delete profile NAME (rules re-applying it go too)'],
  ] as const) {
    withCommon(profile.command(verb).description(description))
      .argument('<name>', 'profile name', parseUserName)
      .action((name: string, options: CommonOptions) =>
        withHost(options, false, io, async (host) => {
          await mustSucceed(host.execute({ type: `${verb}-profile`, name }));
          await host.close();
          io.stdout(`profile ${escapeForTerminal(name)}: ${verb === 'save' ? 'saved' : verb === 'apply' ? 'applied' : 'deleted'}\n`);
        }),
      );
  }
  withCommon(profile.command('list').description('list the saved profiles; unreadable ones are reported on stderr'))
    .option('--json', 'print {profiles, problems} as JSON')
    .action((options: CommonOptions & { json?: boolean }) =>
      withHost(options, false, io, (host) => {
        const { profiles } = host.hostState();
        io.stdout(options.json ? `${JSON.stringify(profiles, null, 2)}\n` : formatProfiles(profiles.profiles));
      }),
    );

  withCommon(program.command('devices').description('list audio endpoint devices'))
    .option('--json', 'print device records as JSON')
    .option('--db', 'master volumes in dB where the device reports its dB range; percent otherwise, with why')
    .action((options: CommonOptions & { json?: boolean; db?: boolean }) =>
      withHost(options, false, io, (host) => {
        refuseDbWithJson(options);
        const devices = host.devices();
        io.stdout(options.json ? `${JSON.stringify(devices, null, 2)}\n` : formatDevices(devices, options.db === true));
      }),
    );

  withCommon(program.command('watch').description('print the current sessions, then session and device events until Ctrl-C'))
    .option('--json', 'one JSON object per line (NDJSON): a snapshot first, then events')
    .action((options: CommonOptions & { json?: boolean }) =>
      withHost(options, true, io, async (host) => {
        const names = new Map(host.sessions().map((session) => [session.id, session.displayName]));
        const backend = { name: host.backendInfo.name, notice: host.backendInfo.notice };
        io.stdout(
          options.json
            ? `${JSON.stringify({ type: 'snapshot', backend, devices: host.devices(), sessions: host.sessions() })}\n`
            : formatSnapshot(backend, host.sessions(), host.devices()),
        );
        const stopWatching = host.onEvent((event) => {
          if (event.type === 'session-created') names.set(event.session.id, event.session.displayName);
          io.stdout(options.json ? `${JSON.stringify(event)}\n` : formatEvent(event, names));
        });
        await untilAborted(io.stop);
        stopWatching();
      }),
    );

  withCommon(program.command('web').description('serve the mixer UI to a browser'))
    .option('--port <n>', 'port (default 0: a free one)', once(parsePort))
    .option('--host <host>', 'address to bind (default 127.0.0.1)', once(parseHost))
    .option('--open', 'open the address in the default browser')
    .action((options: CommonOptions & { port?: number; host?: string; open?: boolean }) =>
      withHost(options, true, io, async (host) => {
        const { isLoopback, startWebServer } = await import('../web/server');
        const hostname = options.host ?? '127.0.0.1';
        const server = await startWebServer({ host, staticDir: webDir(), port: options.port ?? 0, hostname }).catch((error: unknown) => {
          throw listenFailure(error, hostname, options.port ?? 0);
        });
        if (!isLoopback(hostname)) {
          io.stderr(`sndmix: warning: serving on ${hostname}, reachable from other machines; anyone with the URL's token controls your audio\n`);
        }
        io.stdout(`SndMix web mode (${host.backendInfo.name} backend): ${server.url}\n`);
        if (options.open) await openInBrowser(server.url, io);
        await untilAborted(io.stop);
        await server.close();
      }),
    );

  addCheckCommand(program, io);
  addRecordCommand(program, io, { withCommon, withHost });

  return program;
}

/** Opens the page in the default browser; where none can be started, says so (the address is printed above). */
async function openInBrowser(url: string, io: CliIo): Promise<void> {
  try {
    const { default: open } = await import('open');
    await open(url);
  } catch (error) {
    io.stderr(`sndmix: could not open a browser (${error instanceof Error ? error.message : String(error)}): open the address above yourself\n`);
  }
}

function withCommon(command: Command): Command {
  return command
    .addOption(
      new Option('--backend <name>', 'audio backend (default: the platform\'s own, else sim)')
        .choices(BACKEND_NAMES)
        .argParser(once((value) => parseBackendName(value))),
    )
    .option('--state-dir <dir>', 'folder for persisted session settings (default: SNDMIX_STATE_DIR or the app data folder)', once(parseText))
    .exitOverride();
}

async function withHost(
  options: CommonOptions,
  live: boolean,
  io: CliIo,
  body: (host: EngineHost) => void | Promise<void>,
): Promise<void> {
  const [{ EngineHost }, { resolveStateDir }] = await Promise.all([import('../core/engine-host'), import('../core/paths')]);
  const opened = await openBackend({
    name: options.backend,
    stateDir: resolveStateDir(options.stateDir),
    live,
    onWarning: (message) => io.stderr(`sndmix: warning: ${message}\n`),
  });
  const { backend, notice } = opened;
  if (notice) io.stderr(`sndmix: note: ${notice}\n`);
  const host = await EngineHost.start(backend, {
    notice: windowNotice(opened),
    stateDir: resolveStateDir(options.stateDir),
    onError: (message) => io.stderr(`sndmix: ${message}\n`),
  }).catch(
    async (error: unknown) => {
      await backend.close();
      throw error;
    },
  );
  try {
    await body(host);
  } finally {
    await host.close();
  }
}

/** How long `set` waits for the backend to confirm a volume before computing a balance from it (Wine never confirms). */
const CONFIRM_MS = 500;

/** Resolves on the backend's next level event for one of the sessions, or after CONFIRM_MS. */
function levelsConfirmed(host: EngineHost, sessionIds: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, CONFIRM_MS);
    const stop = host.onEvent((event) => {
      if ((event.type === 'channel-volume-changed' || event.type === 'volume-changed') && sessionIds.includes(event.sessionId)) done();
    });
    function done() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

async function mustSucceed(result: Promise<{ ok: true } | { ok: false; error: { message: string } }>): Promise<void> {
  const settled = await result;
  if (!settled.ok) throw new UsageError(settled.error.message);
}

/** Keeps the process alive (backend timers are unref'd) until the signal fires. */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  return new Promise((resolve) =>
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve();
      },
      { once: true },
    ),
  );
}

/** A port in use, an address not on this machine: the user's input, so exit code 2 with one line. */
function listenFailure(error: unknown, hostname: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${hostname}:${port}`;
  if (code === 'EADDRINUSE') return new UsageError(`cannot serve on ${where}: the port is in use (pick another with --port, or 0 for a free one)`);
  if (code === 'EADDRNOTAVAIL') return new UsageError(`cannot serve on ${where}: that address is not on this machine`);
  if (code === 'EACCES') return new UsageError(`cannot serve on ${where}: not allowed to use that port`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new UsageError(`cannot serve on ${where}: the host name does not resolve`);
  return error instanceof Error ? error : new Error(String(error));
}

/** What the mixer window shows: one device's sessions of its flow, as Sndvol does (the default playback device unless named). */
function shownSessions(sessions: readonly SessionRecord[], devices: readonly DeviceRecord[], deviceId?: string): SessionRecord[] {
  const device = deviceId === undefined ? defaultDevice(devices, 'render') : devices.find((candidate) => candidate.id === deviceId);
  if (deviceId !== undefined && !device) throw new UsageError(`no device with id ${deviceId}`);
  if (!device) return [];
  return sessions.filter((session) => session.deviceId === device.id && isShown(session, device.flow));
}

interface SetOptions {
  id?: string;
  name?: string;
  pid?: number;
  device?: string;
  volume?: number;
  mute?: 'on' | 'off';
  output?: string;
  balance?: number;
  hide?: 'on' | 'off';
  /** false with --no-rename. */
  rename?: string | false;
  reapply?: string;
}

interface BackendSummary {
  name: BackendName;
  notice: string | null;
}

/** First line of `list` and `watch`: which backend, and loudly when it is the simulated fallback. */
function backendHeader(backend: BackendSummary): string {
  return backend.notice ? `Backend: ${backend.name} (SIMULATED: ${backend.notice})` : `Backend: ${backend.name}`;
}

function formatSnapshot(backend: BackendSummary, sessions: readonly SessionRecord[], devices: readonly DeviceRecord[]): string {
  const lines = formatSessions(sessions, devices).trimEnd().split('\n');
  return `${[`snapshot ${backendHeader(backend)}`, ...lines.map((line) => `snapshot ${line}`)].join('\n')}\n`;
}

/** `--db` is for people reading the list; JSON gives the 0..1 scalar (core/volume-scale.ts maps it). */
function refuseDbWithJson(options: { json?: boolean; db?: boolean }): void {
  if (options.json && options.db) throw new UsageError('--db is for the text listing: --json gives each volume as its 0..1 scalar');
}

interface DbScale {
  mapping: DbMapping | null;
  /** Why there is no mapping, printed once under the list. */
  unknown: string;
}

function sessionDbScale(backend: BackendInfo): DbScale {
  return {
    mapping: sessionDbMapping(backend.capabilities),
    unknown: `the ${backend.name} backend does not say how its session volumes map to dB`,
  };
}

function formatSessions(
  sessions: readonly SessionRecord[],
  devices: readonly DeviceRecord[],
  apps: Record<string, AppSummary> = {},
  db: DbScale | null = null,
): string {
  const lines: string[] = [];
  let dbUnknown = false;
  for (const device of devices) {
    const own = sessions.filter((session) => session.deviceId === device.id);
    if (own.length === 0) continue;
    const defaults = device.defaultFor.length > 0 ? ` [default: ${device.defaultFor.join(', ')}]` : '';
    lines.push(`${escapeForTerminal(device.name)} (${device.flow})${defaults}`);
    for (const session of own) {
      const label = volumeLabel(session.volume, db ? 'decibel' : 'percent', db?.mapping ?? null);
      dbUnknown ||= label.dbUnknown;
      const volume = `${label.text}${label.dbUnknown ? '*' : ''}`.padStart(db ? 9 : 5);
      const mute = session.muted ? 'muted' : '     ';
      const state = (session.disconnected ? 'disconnected' : session.state).padEnd(12);
      const pid = String(session.pid).padStart(6);
      const app = apps[session.id];
      const shown = app?.name ? `${app.name} [${session.displayName}]` : session.displayName;
      const flags = app ? app.flags.map((flag) => ` [${flag}]`).join('') : '';
      lines.push(`  ${volume} ${mute} ${state} ${pid}  ${escapeForTerminal(shown)}${escapeForTerminal(flags)}  (${escapeForTerminal(session.id)})`);
    }
  }
  if (db && dbUnknown) lines.push(`* percent: ${db.unknown}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : 'no sessions\n';
}

function formatDevices(devices: readonly DeviceRecord[], db = false): string {
  let dbUnknown = false;
  const listed = `${devices
    .map((device) => {
      const label = device.volume === null ? null : volumeLabel(device.volume, db ? 'decibel' : 'percent', deviceDbMapping(device));
      dbUnknown ||= label?.dbUnknown === true;
      const volume = (label ? `${label.text}${label.dbUnknown ? '*' : ''}` : '-').padStart(db ? 9 : 4);
      const defaults = device.defaultFor.length > 0 ? ` [default: ${device.defaultFor.join(', ')}]` : '';
      return `${device.flow.padEnd(7)} ${volume}${device.muted ? ' muted' : '      '} ${escapeForTerminal(device.name)}${defaults}  (${escapeForTerminal(device.id)}, ${device.state})`;
    })
    .join('\n')}\n`;
  return dbUnknown ? `${listed}* percent: the device does not report its dB range\n` : listed;
}

function formatEvent(event: LoggedEvent, names: Map<string, string>): string {
    const { type, seq, time, source, ...detail } = event;
  const who = 'sessionId' in event ? ` ${escapeForTerminal(names.get(event.sessionId) ?? event.sessionId)}` : '';
  const data = JSON.stringify(detail, (key, value: unknown) => (key === 'icon' && typeof value === 'string' ? '(data)' : value));
  return `${new Date(time).toISOString().slice(11, 23)} ${type}${who}${source === 'poll' ? ' (poll)' : ''} ${escapeForTerminal(data)}\n`;
}
