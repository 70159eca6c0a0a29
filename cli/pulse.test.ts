// The CLI against a real PulseAudio server started by the test (issue: Linux backend).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemAddressContext } from '../native-bridge/pulse/server-address';
import type { LoggedEvent } from '../core/contract';
import type { PulseTestServer, TestStream } from '../native-bridge/pulse/testing/test-server';
import { shouldSkipPulseTests, startPulseTestServer } from '../native-bridge/pulse/testing/test-server';
import type { SessionRecord } from '../native-bridge/types';
import { runCli } from './main';

const run = async (args: string[], stop = AbortSignal.abort()) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stop });
  return { code, stdout, stderr };
};

/** The sessions of `list --json` ({backend, sessions}). */
const listed = (stdout: string) => (JSON.parse(stdout) as { sessions: SessionRecord[] }).sessions;

interface SinkInput {
  index: number;
  mute: boolean;
  volume: Record<string, { value_percent: string; db: string }>;
  properties: Record<string, string>;
}

describe.skipIf(shouldSkipPulseTests())('sndmix on the pulse backend', () => {
  let server: PulseTestServer;
  const streams: TestStream[] = [];
  const savedServer = process.env.PULSE_SERVER;

  beforeAll(async () => {
    server = await startPulseTestServer();
    process.env.PULSE_SERVER = server.server;
    streams.push(await server.play({ appName: 'Groovebox', pid: 4242, binary: 'groovebox', iconName: 'audio-x-generic' }));
    streams.push(await server.play({ appName: 'Groovebox', pid: 4242, binary: 'groovebox' }));
    streams.push(await server.play({ appName: 'Podcaster', pid: 4343, binary: 'podcaster' }));
  }, 30_000);

  afterAll(async () => {
    if (savedServer === undefined) delete process.env.PULSE_SERVER;
    else process.env.PULSE_SERVER = savedServer;
    await Promise.all(streams.map((stream) => stream.stop()));
    await server?.stop();
  });

  const sinkInputs = async () => JSON.parse(await server.pactl(['--format=json', 'list', 'sink-inputs'])) as SinkInput[];
  const ofApp = async (name: string) => (await sinkInputs()).filter((input) => input.properties['application.name'] === name);
  const percents = (input: SinkInput) => Object.values(input.volume).map((channel) => channel.value_percent);

  it('lists one session per application, named by it, its two streams together', async () => {
    const { code, stdout } = await run(['list', '--backend', 'pulse', '--json']);
    expect(code).toBe(0);
    const sessions = listed(stdout);
    expect(sessions.map((session) => session.displayName).sort()).toEqual(['Groovebox', 'Podcaster']);
    expect(sessions.find((session) => session.displayName === 'Groovebox')).toMatchObject({ pid: 4242, flow: 'render', iconPath: 'audio-x-generic' });
  });

  it('sets volume and mute on every stream of the session, as pactl reports', async () => {
    expect((await run(['set', '--backend', 'pulse', '--name', 'Groovebox', '--volume', '0.3'])).code).toBe(0);
    const groovebox = await ofApp('Groovebox');
    expect(groovebox).toHaveLength(2);
    for (const input of groovebox) expect(percents(input)).toEqual(['30%', '30%']);
    expect(percents((await ofApp('Podcaster'))[0] as SinkInput)).toEqual(['100%', '100%']);

    expect((await run(['set', '--backend', 'pulse', '--name', 'Groovebox', '--mute', 'on'])).code).toBe(0);
    expect((await ofApp('Groovebox')).map((input) => input.mute)).toEqual([true, true]);
    expect((await run(['set', '--backend', 'pulse', '--name', 'Groovebox', '--mute', 'off'])).code).toBe(0);
    expect((await ofApp('Groovebox')).map((input) => input.mute)).toEqual([false, false]);
  });

  it('list --db reads each volume in dB as pactl prints it; devices --db the sink\'s too', async () => {
    const [podcaster] = await ofApp('Podcaster');
    if (!podcaster) throw new Error('no Podcaster stream');
    // Changed from outside, as a user of pavucontrol would.
    await server.pactl(['set-sink-input-volume', String(podcaster.index), '80%']);
    const pactlDb = Number.parseFloat(Object.values(((await ofApp('Podcaster'))[0] as SinkInput).volume)[0]?.db ?? '');
    expect(pactlDb).toBeCloseTo(-5.81, 2);
    const { code, stdout } = await run(['list', '--backend', 'pulse', '--db']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^ +${pactlDb.toFixed(1).replace('.', '\\.')} dB .*Podcaster`, 'm'));
    expect(stdout).not.toContain('* percent');
    const devices = await run(['devices', '--backend', 'pulse', '--db']);
    expect(devices.stdout).toMatch(/^render +-?\d+\.\d dB /m);
  }, 30_000);

  it('watch sees a volume and a mute changed from outside with pactl', async () => {
    const stop = new AbortController();
    const events: LoggedEvent[] = [];
    let ready: () => void = () => undefined;
    const sawBoth = new Promise<void>((resolve) => (ready = resolve));
    const watching = runCli(['watch', '--backend', 'pulse', '--json'], {
      stdout: (text) => {
        for (const line of text.trim().split('\n')) events.push(JSON.parse(line) as LoggedEvent);
        const changes = events.filter((event) => event.type === 'volume-changed');
        if (changes.some((event) => event.muted) && changes.some((event) => Math.abs(event.volume - 0.55) < 0.01)) ready();
      },
      stderr: () => undefined,
      stop: stop.signal,
    });
    const podcaster = (await ofApp('Podcaster'))[0] as SinkInput;
    // Give watch time to connect and list before changing things behind its back.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await server.pactl(['set-sink-input-volume', String(podcaster.index), '55%']);
    await server.pactl(['set-sink-input-mute', String(podcaster.index), '1']);
    await sawBoth;
    stop.abort();
    expect(await watching).toBe(0);
    const external = events.filter((event) => event.type === 'volume-changed');
    expect(external.every((event) => event.type === 'volume-changed' && event.eventContext === 'external')).toBe(true);
  }, 20_000);

  it('lists and sets recording sessions: list --device <source id>, set --pid and --name', async () => {
    const recorder = await server.record({ appName: 'Voice Memo', pid: 4545, binary: 'voice-memo' });
    const monitor = await server.record({ source: 'sndmix_test_sink.monitor', appName: 'Screen Capture', pid: 4646 });
    try {
      const mic = listed((await run(['list', '--backend', 'pulse', '--json', '--device', 'source:sndmix_test_source'])).stdout);
      expect(mic.map((session) => [session.displayName, session.flow, session.pid])).toEqual([['Voice Memo', 'capture', 4545]]);
      const all = listed((await run(['list', '--backend', 'pulse', '--json', '--all'])).stdout);
      expect(all.find((session) => session.displayName === 'Screen Capture')).toMatchObject({ deviceId: 'source:sndmix_test_sink.monitor', flow: 'capture' });

      expect((await run(['set', '--backend', 'pulse', '--pid', '4545', '--volume', '0.25'])).code).toBe(0);
      expect((await run(['set', '--backend', 'pulse', '--name', 'screen capture', '--mute', 'on'])).code).toBe(0);
      const outputs = await server.list<SinkInput>('source-outputs');
      expect(percents(outputs.find((output) => output.index === recorder.index) as SinkInput)).toEqual(['25%', '25%']);
      expect(outputs.find((output) => output.index === monitor.index)?.mute).toBe(true);
    } finally {
      await Promise.all([recorder.stop(), monitor.stop()]);
    }
  });

  it('watch prints the current sessions first, marked as a snapshot', async () => {
    const stop = new AbortController();
    let stdout = '';
    const watching = runCli(['watch', '--backend', 'pulse'], {
      stdout: (text) => {
        stdout += text;
        stop.abort();
      },
      stderr: () => undefined,
      stop: stop.signal,
    });
    expect(await watching).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('snapshot Backend: pulse');
    expect(lines.every((line) => line.startsWith('snapshot '))).toBe(true);
    expect(lines.some((line) => line.includes('Groovebox'))).toBe(true);
  });

  it('without XDG_RUNTIME_DIR, reaches the server at ~/.config/pulse/<machine-id>-runtime/native (sudo, su, cron)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sndmix-home-'));
    const stream = await server.play({ appName: 'Found Without XDG', pid: 4747 });
    try {
      mkdirSync(join(home, '.config', 'pulse'), { recursive: true });
      symlinkSync(dirname(server.socketPath), join(home, '.config', 'pulse', `${systemAddressContext().machineId}-runtime`));
      const unset = new Set(['PULSE_SERVER', 'XDG_RUNTIME_DIR', 'PULSE_RUNTIME_PATH', 'XDG_CONFIG_HOME', 'PULSE_CLIENTCONFIG']);
      const env: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.has(name))), HOME: home };
      const { stdout } = await promisify(execFile)(process.execPath, [resolve('bin/sndmix.js'), 'list', '--backend', 'pulse', '--json'], { env });
      expect(listed(stdout).find((session) => session.displayName === 'Found Without XDG')).toMatchObject({ pid: 4747 });
    } finally {
      await stream.stop();
      rmSync(home, { recursive: true, force: true });
    }
  }, 30_000);

  it('prints an app name holding terminal escapes and a newline escaped, never raw', async () => {
    const stream = await server.play({ appName: 'Evil\u001b]0;pwned\u0007\u001b[2JApp\nsndmix: fake line', binary: 'evil' });
    try {
      const { code, stdout } = await run(['list', '--backend', 'pulse']);
      expect(code).toBe(0);
      expect(stdout).toContain('Evil\\e]0;pwned\\u{7}\\e[2JApp\\nsndmix: fake line');
      expect(stdout).not.toContain('\u001b');
      expect(stdout).not.toContain('\u0007');
      expect(stdout.split('\n').some((line) => line.startsWith('sndmix: fake line'))).toBe(false);
    } finally {
      await stream.stop();
    }
  });

  it('sees a session end when its stream ends', async () => {
    const podcast = streams.pop() as TestStream;
    await podcast.stop();
    const { stdout } = await run(['list', '--backend', 'pulse', '--json']);
    expect((listed(stdout)).map((session) => session.displayName)).toEqual(['Groovebox']);
  });
});

describe('sndmix list without --backend when no server is reachable', () => {
  it('says it shows simulated sessions where the user reads: the header and the JSON backend field', async () => {
    const saved = process.env.PULSE_SERVER;
    process.env.PULSE_SERVER = 'unix:/nonexistent/sndmix-test/native';
    const stateDir = mkdtempSync(join(tmpdir(), 'sndmix-cli-'));
    try {
      const text = await run(['list', '--state-dir', stateDir]);
      expect(text.code).toBe(0);
      expect(text.stdout.split('\n')[0]).toMatch(/^Backend: sim \(SIMULATED: no PulseAudio server reachable.*showing simulated sessions instead\)$/);
      const json = JSON.parse((await run(['list', '--json', '--state-dir', stateDir])).stdout) as { backend: { name: string; notice: string } };
      expect(json.backend.name).toBe('sim');
      expect(json.backend.notice).toMatch(/no PulseAudio server reachable/);
    } finally {
      if (saved === undefined) delete process.env.PULSE_SERVER;
      else process.env.PULSE_SERVER = saved;
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('an explicit --backend pulse without a server', () => {
  it('fails with one line and exit code 2', async () => {
    const saved = process.env.PULSE_SERVER;
    process.env.PULSE_SERVER = 'unix:/nonexistent/sndmix-test/native';
    try {
      const result = await run(['list', '--backend', 'pulse']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/PulseAudio/);
    } finally {
      if (saved === undefined) delete process.env.PULSE_SERVER;
      else process.env.PULSE_SERVER = saved;
    }
  });
});
