// `sndmix check` with --rules, --json and --junit on the sim, and its JUnit report
// validated against the Ant JUnit schema with xmllint (libxml2-utils).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './main';

const run = async (args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stop: AbortSignal.abort() });
  return { code, stdout, stderr };
};

const SCHEMA = path.resolve('core/scenario/junit-ant.xsd');
const examples = readdirSync('scenarios')
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => path.join('scenarios', file));
const dir = mkdtempSync(path.join(tmpdir(), 'sndmix-check-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** A sim recording in which a session expires straight from active (R9). */
const BROKEN_RECORDING = `scenario: 1
name: broken by hand
backend: sim
recording: { startedAt: '2026-01-01T00:00:00Z', durationMs: 1000 }
devices:
  - { id: speakers, name: Speakers, flow: render, default: true }
steps: []
sessions:
  - { alias: player, id: s1, sessionGuid: '{00000000-0000-0000-0000-000000000000}', crossProcess: false, pid: 100, processName: player.exe, deviceId: speakers, flow: render, state: active, displayName: Player, displayNameSource: window-title, iconPath: '', volume: 1, muted: false, channelVolumes: [1, 1], isSystemSounds: false, groupingParam: '{00000000-0000-0000-0000-000000000000}', sessionIdentifier: a, sessionInstanceIdentifier: b, disconnected: null, mediaTitles: [] }
expect:
  events:
    - { at: 0, type: session-created, sessionAlias: player, session: { state: active } }
    - { at: 500, type: state-changed, sessionAlias: player, state: expired, terminated: false }
`;

function xmllint(file: string): { status: number | null; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  if (result.error) throw new Error(`xmllint is not installed (Debian: apt-get install -y libxml2-utils): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
const haveXmllint = spawnSync('sh', ['-c', 'command -v xmllint']).status === 0;

describe('sndmix check --rules', () => {
  it('passes every example scenario on the sim, each rule listed', async () => {
    const { code, stdout } = await run(['check', '--rules', ...examples]);
    expect(code).toBe(0);
    expect(stdout.match(/^PASS /gm)).toHaveLength(examples.length);
    expect(stdout).toContain('    - R7 not observable: streams are not visible in session events');
    expect(stdout).toContain('    ✓ R9 active iff a stream runs; inactive, then expired');
    expect(stdout).toContain('    ✓ R27 streams that follow the default move with it; pinned ones stay\n        not decided from events: whether the streams that follow the default moved with it');
  });

  it('fails a recording that breaks a rule with exit code 1, naming the rule, the event and its time', async () => {
    const { code, stdout } = await run(['check', '--rules', write('broken.yaml', BROKEN_RECORDING)]);
    expect(code).toBe(1);
    expect(stdout).toContain('    ✗ R9 active iff a stream runs; inactive, then expired');
    expect(stdout).toContain('        event #2 (state-changed) at 500 ms: expired straight from active: a session expires only after being inactive');
  });

  it('refuses to run a recording without steps unless asked for its rules (exit code 2)', async () => {
    const { code, stderr } = await run(['check', write('recording.yaml', BROKEN_RECORDING)]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/a recording without steps has nothing to run; check it with --rules/);
  });

  it('prints expectations and rule verdicts as JSON', async () => {
    const { code, stdout } = await run(['check', '--json', '--rules', 'scenarios/move-streams.yaml']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { passed: boolean; backend: string; expectations: { passed: boolean }[]; rules: { rule: string; status: string }[] };
    expect(report).toMatchObject({ passed: true, backend: 'sim' });
    expect(report.expectations.length).toBeGreaterThan(5);
    expect(report.rules.map((verdict) => verdict.rule)).toHaveLength(27);
  });

  it('rejects a malformed scenario with its line (exit code 2), in the JUnit report too', async () => {
    const report = path.join(dir, 'bad.xml');
    const { code, stderr } = await run(['check', '--junit', report, write('bad.yaml', 'scenario: 1\nname: x\nbackend: pulse\ndevices: []\nsteps:\n  - startProcess: { pid: 1, exe: a }\nexpect: { events: [] }\n')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yaml:6: startProcess is a sim step; on pulse apps are real programs/);
    expect(readFileSync(report, 'utf8')).toContain('<error message=');
  });
});

describe.skipIf(!haveXmllint && process.env.CI !== 'true')('the JUnit report', () => {
  it('validates against the Ant JUnit schema, one test case per expectation and per rule', async () => {
    const report = path.join(dir, 'report.xml');
    const failing = write('failing.yaml', readFileSync('scenarios/lifecycle.yaml', 'utf8').replace('state: expired, terminated: false', 'state: inactive, terminated: false'));
    const { code } = await run(['check', '--rules', '--junit', report, 'scenarios/lifecycle.yaml', failing, write('broken.yaml', BROKEN_RECORDING)]);
    expect(code).toBe(1);
    const xml = readFileSync(report, 'utf8');
    expect(xmllint(report)).toMatchObject({ status: 0 });
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml).toContain('<testcase name="R9 active iff a stream runs; inactive, then expired" classname="scenarios.lifecycle.rules" time="0"/>');
    expect(xml).toMatch(/<skipped message="not-observable: streams are not visible/);
    expect(xml).toMatch(/<failure message="expected state-changed music \{&quot;state&quot;:&quot;inactive&quot;/);
    expect(xml).toMatch(/<failure message="event #2 \(state-changed\) at 500 ms: expired straight from active/);
  });

  it('is rejected by the schema when it breaks it, so the validation can fail', () => {
    const invalid = write('invalid.xml', '<?xml version="1.0"?>\n<testsuites><testsuite name="x"/></testsuites>\n');
    expect(xmllint(invalid).status).not.toBe(0);
  });
});
