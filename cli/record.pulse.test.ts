// sndmix record and check on a private PulseAudio server with real clients (paplay, mpv):
// a recording checks against the session rules and runs again; the disturbance
// scenarios of scenarios/pulse pass, their JUnit report valid.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../core/scenario/format';
import { observationOfRecording } from '../core/scenario/recording';
import { checkRules } from '../core/scenario/rules';
import type { PulseTestServer } from '../native-bridge/pulse/testing/test-server';
import { shouldSkipPulseTests, startPulseTestServer } from '../native-bridge/pulse/testing/test-server';
import { runCli } from './main';

const run = async (args: string[], stop = new AbortController().signal) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stop });
  return { code, stdout, stderr };
};

const dir = mkdtempSync(path.join(tmpdir(), 'sndmix-record-'));
const installed = (binary: string) => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
/** mpv is a real player many people use; CI installs it (.ci/run), so there it must be present. */
const mpvMissing = !installed('mpv') && process.env.CI !== 'true';

describe.skipIf(shouldSkipPulseTests())('sndmix record and check on PulseAudio', () => {
  let server: PulseTestServer;
  const savedServer = process.env.PULSE_SERVER;

  beforeAll(async () => {
    server = await startPulseTestServer({ sinks: [{ name: 'speakers', description: 'Speakers' }] });
    process.env.PULSE_SERVER = server.server;
  }, 30_000);

  afterAll(async () => {
    if (savedServer === undefined) delete process.env.PULSE_SERVER;
    else process.env.PULSE_SERVER = savedServer;
    await server?.stop();
  });

  it('records a paplay it starts, and the recording passes the rules and runs again', async () => {
    const file = path.join(dir, 'paplay.yaml');
    const recorded = await run(['record', '--backend', 'pulse', '--duration', '1000', '--out', file, '--', 'paplay', '--raw', '/dev/zero']);
    expect(recorded).toMatchObject({ code: 0, stdout: '' });
    expect(recorded.stderr).toMatch(/recorded 2 events of 1 session\(s\)/);
    const { scenario } = parseScenario(readFileSync(file, 'utf8'));
    const [session] = scenario.sessions ?? [];
    expect(session).toMatchObject({ displayName: 'paplay', flow: 'render', deviceId: 'sink:speakers', sessionGuid: '{00000000-0000-0000-0000-000000000000}' });
    expect(scenario.expect.events.map(({ type, sessionAlias }) => `${type} ${sessionAlias}`)).toEqual([`session-created ${session?.alias}`, `state-changed ${session?.alias}`]);
    expect(scenario.steps[0]).toEqual({ launch: { app: 'paplay', command: ['paplay', '--raw', '/dev/zero'] } });

    const checked = await run(['check', '--rules', file]);
    expect(checked.stdout).toMatch(/^PASS /);
    expect(checked.stdout).toContain('    - R17 not applicable: PulseAudio takes names and icons');
    expect(checked.code).toBe(0);
  }, 30_000);

  it('follows a running paplay by pid until it ends, and notes that its process ended', async () => {
    const paplay = spawn('paplay', ['--raw', '/dev/zero'], { env: server.clientEnv, stdio: 'ignore' });
    const playing = async () =>
      (await server.list<{ properties?: Record<string, string> }>('sink-inputs')).some((input) => input.properties?.['application.process.id'] === String(paplay.pid));
    for (let tries = 0; tries < 100 && !(await playing()); tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    const file = path.join(dir, 'by-pid.yaml');
    const recording = run(['record', '--backend', 'pulse', '--pid', String(paplay.pid), '--out', file]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    paplay.kill('SIGTERM');
    expect((await recording).code).toBe(0);
    const { scenario } = parseScenario(readFileSync(file, 'utf8'));
    expect(scenario.recording).toMatchObject({ follow: { pid: paplay.pid }, endedPids: [paplay.pid] });
    expect(scenario.steps).toEqual([]);
    // Started before the recording: listed at the start, then it ends with its process (R10).
    expect(scenario.sessions?.[0]).toMatchObject({ atStart: true, pid: paplay.pid });
    expect(scenario.expect.events.at(-1)).toMatchObject({ type: 'state-changed', state: 'expired', terminated: true });
    expect(checkRules(observationOfRecording(scenario) as never).filter((verdict) => verdict.status === 'failed')).toEqual([]);
  }, 30_000);

  it.skipIf(mpvMissing)('records mpv playing a generated tone, and the recording passes the rules and runs again', async () => {
    const file = path.join(dir, 'mpv.yaml');
    const tone = ['mpv', '--no-config', '--no-video', '--ao=pulse', '--length=1', 'av://lavfi:sine=frequency=440:duration=5'];
    const recorded = await run(['record', '--backend', 'pulse', '--out', file, '--', ...tone]);
    expect(recorded.code).toBe(0);
    const { scenario } = parseScenario(readFileSync(file, 'utf8'));
    expect(scenario.sessions?.[0]).toMatchObject({ processName: 'mpv', displayName: 'mpv', displayNameSource: 'client', iconPath: 'mpv' });
    expect(scenario.expect.events.map((event) => event.type)).toContain('session-created');
    expect(scenario.expect.events.at(-1)).toMatchObject({ type: 'state-changed', terminated: true });
    const checked = await run(['check', '--rules', file]);
    expect(checked.stdout).toMatch(/^PASS /);
    expect(checked.code).toBe(0);
  }, 30_000);

  it('passes the disturbance scenarios (streams moved, sink removed, suspended, default changed), with a valid JUnit report', async () => {
    const files = readdirSync('scenarios/pulse').map((name) => path.join('scenarios/pulse', name));
    const report = path.join(dir, 'pulse.xml');
    const { code, stdout } = await run(['check', '--rules', '--junit', report, ...files]);
    expect(stdout.match(/^PASS /gm), stdout).toHaveLength(files.length);
    expect(code).toBe(0);
    const lint = spawnSync('xmllint', ['--noout', '--schema', 'core/scenario/junit-ant.xsd', report], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  }, 60_000);

  it('reports a disturbance PulseAudio cannot do as not supported, with the reason', async () => {
    const file = path.join(dir, 'remove-hardware.yaml');
    const text = `scenario: 1
name: a default device for one role only
backend: pulse
devices:
  - { id: 'sink:spare', name: Spare, flow: render }
steps:
  - launch: { app: player, command: [paplay, --raw, /dev/zero] }
  - setDefaultDevice: { device: 'sink:spare', roles: [communications] }
expect: { events: [] }
`;
    await import('node:fs/promises').then((fs) => fs.writeFile(file, text));
    const { code, stdout, stderr } = await run(['check', file]);
    expect(code, stderr).toBe(1);
    expect(stdout).toMatch(/! step at line 8: a default for only communications is not supported: PulseAudio has one default device for all roles/);
  }, 30_000);
});
