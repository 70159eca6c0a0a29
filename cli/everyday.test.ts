// `sndmix set --output/--balance/--hide/--rename`, `list`'s flags and `sndmix profile` on
// the sim backend, and --output/--balance on a real PulseAudio server read back with pactl.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PulseTestServer, TestStream } from '../native-bridge/pulse/testing/test-server';
import { shouldSkipPulseTests, startPulseTestServer } from '../native-bridge/pulse/testing/test-server';
import type { SessionRecord } from '../native-bridge/types';
import type { AppSummary } from './everyday';
import { runCli } from './main';

const run = async (args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stop: AbortSignal.abort() });
  return { code, stdout, stderr };
};
type Listed = SessionRecord & { app: AppSummary };
const listed = (stdout: string) => (JSON.parse(stdout) as { sessions: Listed[] }).sessions;
const freshStateDir = () => mkdtempSync(path.join(tmpdir(), 'sndmix-cli-everyday-'));

describe('sndmix everyday-mixer commands on the sim backend', () => {
  it('hides and renames an app for good; list shows it with a flag, under its new name', async () => {
    const stateDir = freshStateDir();
    const sim = ['--backend', 'sim', '--state-dir', stateDir];
    const [first] = listed((await run(['list', '--json', ...sim])).stdout);
    if (!first) throw new Error('no sessions');
    expect(await run(['set', ...sim, '--id', first.id, '--hide', 'on', '--rename', 'My App'])).toMatchObject({ code: 0, stderr: '' });
    const after = listed((await run(['list', '--json', ...sim])).stdout).find((session) => session.id === first.id);
    expect(after?.app).toMatchObject({ hidden: true, name: 'My App' });
    const text = (await run(['list', ...sim])).stdout;
    expect(text).toContain(`My App [${first.displayName}] [hidden]`);
    expect(await run(['set', ...sim, '--id', first.id, '--no-rename', '--hide', 'off'])).toMatchObject({ code: 0 });
    expect(listed((await run(['list', '--json', ...sim])).stdout).find((session) => session.id === first.id)?.app).toMatchObject({ hidden: false, name: null });
  });

  it('saves, lists, applies and deletes a profile', async () => {
    const stateDir = freshStateDir();
    const sim = ['--backend', 'sim', '--state-dir', stateDir];
    const [first] = listed((await run(['list', '--json', ...sim])).stdout);
    if (!first) throw new Error('no sessions');
    await run(['set', ...sim, '--id', first.id, '--volume', '0.4']);
    expect(await run(['profile', 'save', 'Evening', ...sim])).toMatchObject({ code: 0, stdout: 'profile Evening: saved\n' });
    await run(['set', ...sim, '--id', first.id, '--volume', '0.9']);
    expect(await run(['profile', 'apply', 'Evening', ...sim])).toMatchObject({ code: 0, stdout: 'profile Evening: applied\n' });
    expect(listed((await run(['list', '--json', ...sim])).stdout).find((session) => session.id === first.id)?.volume).toBe(0.4);
    const list = JSON.parse((await run(['profile', 'list', '--json', ...sim])).stdout) as { profiles: { name: string }[] };
    expect(list.profiles.map((profile) => profile.name)).toEqual(['Evening']);
    expect(await run(['profile', 'delete', 'Evening', ...sim])).toMatchObject({ code: 0 });
    expect((await run(['profile', 'list', ...sim])).stdout).toBe('no profiles\n');
    expect(await run(['profile', 'apply', 'Evening', ...sim])).toMatchObject({ code: 2, stderr: 'sndmix: no profile named Evening\n' });
  });

  it('reports a corrupt profile on stderr and still lists and keeps the others', async () => {
    const stateDir = freshStateDir();
    writeFileSync(
      path.join(stateDir, 'profiles.json'),
      JSON.stringify({ version: 1, profiles: { Good: { savedAt: 1, apps: {} }, Bad: { savedAt: 'yesterday', apps: {} } } }),
    );
    const result = await run(['profile', 'list', '--backend', 'sim', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Good {2}\(0 apps/);
    expect(result.stderr).toMatch(/dropped 1 invalid entry .*"Bad"/);
    expect(readdirSync(stateDir).some((name) => name.includes('dropped'))).toBe(true);
  });

  it('--output sends an app to another playback device and keeps it there across runs (the per-app default endpoint); default brings it back', async () => {
    const sim = ['--backend', 'sim', '--state-dir', freshStateDir()];
    const devices = (JSON.parse((await run(['devices', '--json', ...sim])).stdout) as { id: string; name: string; flow: string; defaultFor: string[] }[]).filter((device) => device.flow === 'render');
    const other = devices.find((device) => !device.defaultFor.includes('multimedia'));
    const [app] = listed((await run(['list', '--json', ...sim])).stdout).filter((session) => !session.isSystemSounds && session.pid > 0);
    if (!other || !app) throw new Error('the demo has no second playback device or no app');
    expect(await run(['set', ...sim, '--id', app.id, '--output', other.name])).toMatchObject({ code: 0, stderr: '' });
    // A new run: the app's session is on that device now.
    const moved = listed((await run(['list', '--json', '--all', ...sim])).stdout).filter((session) => session.pid === app.pid && session.state !== 'expired');
    expect(moved.map((session) => session.deviceId)).toEqual([other.id]);
    expect((await run(['list', ...sim])).stdout).not.toContain(`(${app.id})`);
    expect(await run(['set', ...sim, '--pid', String(app.pid), '--device', other.id, '--output', 'default'])).toMatchObject({ code: 0, stderr: '' });
    expect(listed((await run(['list', '--json', ...sim])).stdout).map((session) => session.id)).toContain(app.id);
  }, 30_000);

  it('list says whether each app follows the default device or is pinned to one (and which), in the table and in --json', async () => {
    const sim = ['--backend', 'sim', '--state-dir', freshStateDir()];
    const devices = (JSON.parse((await run(['devices', '--json', ...sim])).stdout) as { id: string; name: string; flow: string; defaultFor: string[] }[]).filter((device) => device.flow === 'render');
    const other = devices.find((device) => !device.defaultFor.includes('multimedia'));
    const sessions = listed((await run(['list', '--json', ...sim])).stdout);
    const app = sessions.find((session) => !session.isSystemSounds && session.pid > 0);
    const systemSounds = sessions.find((session) => session.isSystemSounds);
    if (!other || !app || !systemSounds) throw new Error('the demo has no second playback device, no app or no System Sounds');
    expect(app.outputRoute).toEqual({ kind: 'follows-default' });
    expect(app.app.flags).toContain('follows default device');
    // System Sounds belongs to no one app: it has no route of its own, and list says none.
    expect(systemSounds.outputRoute).toBeNull();
    expect(systemSounds.app.flags.join(' ')).not.toMatch(/default device|pinned/);

    expect(await run(['set', ...sim, '--id', app.id, '--output', other.id])).toMatchObject({ code: 0, stderr: '' });
    const moved = listed((await run(['list', '--json', '--device', other.id, ...sim])).stdout).find((session) => session.pid === app.pid);
    expect(moved?.outputRoute).toEqual({ kind: 'pinned', deviceId: other.id });
    const text = (await run(['list', '--device', other.id, ...sim])).stdout;
    expect(text).toContain(`[pinned to ${other.name}]  (${moved?.id})`);

    expect(await run(['set', ...sim, '--id', moved?.id ?? '', '--output', 'default'])).toMatchObject({ code: 0, stderr: '' });
    expect(listed((await run(['list', '--json', ...sim])).stdout).find((session) => session.pid === app.pid)?.outputRoute).toEqual({ kind: 'follows-default' });
  }, 30_000);

  it('refuses bad --balance, --output and names with one line and exit code 2, changing nothing', async () => {
    const sim = ['--backend', 'sim', '--state-dir', freshStateDir()];
    const [first] = listed((await run(['list', '--json', ...sim])).stdout);
    if (!first) throw new Error('no sessions');
    for (const balance of ['2', '-1.5', 'left', '1e0']) {
      const result = await run(['set', ...sim, '--id', first.id, '--balance', balance]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^sndmix: .*-1 \(left\) to 1 \(right\)/);
    }
    expect(await run(['set', ...sim, '--id', first.id, '--output', 'No Such Device'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no playback device with id or name "No Such Device"/) });
    expect((await run(['profile', 'save', 'two\nlines', ...sim])).code).toBe(2);
    expect((await run(['profile', 'list', ...sim])).stdout).toBe('no profiles\n');
  });
});

interface SinkInput {
  index: number;
  sink: number;
  volume: Record<string, { value_percent: string }>;
  properties: Record<string, string>;
}

describe.skipIf(shouldSkipPulseTests())('sndmix set --output and --balance on a real PulseAudio server', () => {
  let server: PulseTestServer;
  let stream: TestStream;
  const stateDir = freshStateDir();

  beforeAll(async () => {
    server = await startPulseTestServer({ sinks: [{ name: 'sndmix_test_sink', description: 'Test Output' }, { name: 'sndmix_other_sink', description: 'Other Output' }] });
    stream = await server.play({ appName: 'Jukebox', pid: 4747, binary: 'jukebox' });
  }, 30_000);
  afterAll(async () => {
    await stream?.stop();
    await server?.stop();
  });

  const pulse = () => ['--backend', 'pulse', '--state-dir', stateDir];
  const jukebox = async () => (await server.list<SinkInput>('sink-inputs')).find((input) => input.index === stream.index);
  const withServer = async <T>(body: () => Promise<T>): Promise<T> => {
    const saved = process.env.PULSE_SERVER;
    process.env.PULSE_SERVER = server.server;
    try {
      return await body();
    } finally {
      if (saved === undefined) delete process.env.PULSE_SERVER;
      else process.env.PULSE_SERVER = saved;
    }
  };

  it('--output by device name moves the app\'s stream, as pactl shows; list shows it under that device', async () => {
    await withServer(async () => {
      expect(await run(['set', ...pulse(), '--name', 'Jukebox', '--output', 'Other Output'])).toMatchObject({ code: 0, stderr: '' });
      const sinks = await server.list<{ index: number; name: string }>('sinks');
      const sinkNow = async () => {
        const input = await jukebox();
        return sinks.find((sink) => sink.index === input?.sink)?.name;
      };
      expect(await sinkNow()).toBe('sndmix_other_sink');
      const all = listed((await run(['list', '--json', '--all', ...pulse()])).stdout);
      expect(all.find((session) => session.displayName === 'Jukebox')?.deviceId).toBe('sink:sndmix_other_sink');
      expect(await run(['set', ...pulse(), '--name', 'Jukebox', '--output', 'default'])).toMatchObject({ code: 0 });
      expect(await sinkNow()).toBe('sndmix_test_sink');
    });
  }, 20_000);

  it('list reads a stream pactl moved off the default sink as pinned there, and one moved back as following the default', async () => {
    await withServer(async () => {
      const routeNow = async () => listed((await run(['list', '--json', '--all', ...pulse()])).stdout).find((session) => session.displayName === 'Jukebox')?.outputRoute;
      expect(await routeNow()).toEqual({ kind: 'follows-default' });
      await server.pactl(['move-sink-input', String(stream.index), 'sndmix_other_sink']);
      expect(await routeNow()).toEqual({ kind: 'pinned', deviceId: 'sink:sndmix_other_sink' });
      expect((await run(['list', '--device', 'sink:sndmix_other_sink', ...pulse()])).stdout).toMatch(/Jukebox \[pinned to Other Output\]/);
      await server.pactl(['move-sink-input', String(stream.index), 'sndmix_test_sink']);
      expect(await routeNow()).toEqual({ kind: 'follows-default' });
    });
  }, 20_000);

  it('--balance sets the channels pactl reads', async () => {
    await withServer(async () => {
      const result = await run(['set', ...pulse(), '--name', 'Jukebox', '--volume', '0.8', '--balance', '-0.5']);
      expect(result).toMatchObject({ code: 0, stdout: 'Jukebox: volume 0.80, balance -0.50\n' });
      expect(Object.values((await jukebox())?.volume ?? {}).map((channel) => channel.value_percent)).toEqual(['80%', '40%']);
    });
  }, 20_000);
});
