// The CLI against a real PulseAudio server started by the test (issue: Linux backend).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface SinkInput {
  index: number;
  mute: boolean;
  volume: Record<string, { value_percent: string }>;
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
    const sessions = JSON.parse(stdout) as SessionRecord[];
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
    expect((JSON.parse(stdout) as SessionRecord[]).map((session) => session.displayName)).toEqual(['Groovebox']);
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
