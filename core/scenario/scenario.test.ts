import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioFormatError, parseScenario } from './format';
import { runScenario } from './run';

const EXAMPLES = path.resolve('scenarios');
const examples = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml'));
const read = (file: string) => readFileSync(path.join(EXAMPLES, file), 'utf8');

describe('example scenarios', () => {
  it('cover the lifecycle rules of session-rules.md', () => {
    const cited = new Set(examples.flatMap((file) => read(file).match(/R\d+/g) ?? []));
    for (const rule of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R13', 'R16', 'R17', 'R18', 'R19', 'R20', 'R21', 'R23', 'R25', 'R28']) {
      expect(cited, `no example scenario covers ${rule}`).toContain(rule);
    }
  });

  it.each(examples)('%s passes', async (file) => {
    const report = await runScenario(parseScenario(read(file)));
    expect(report.diff.filter((line) => !line.startsWith('  ✓'))).toEqual([]);
    expect(report.passed).toBe(true);
  });
});

describe('a scenario whose expectation is wrong', () => {
  it('fails with a diff naming the expected line and what was observed instead', async () => {
    const text = read('lifecycle.yaml').replace('state: expired, terminated: false', 'state: inactive, terminated: false');
    const report = await runScenario(parseScenario(text));
    expect(report.passed).toBe(false);
    expect(report.diff).toContain('  - expected (line 26): state-changed music {"state":"inactive","terminated":false}');
    expect(report.diff).toContain('  + observed: state-changed music {"state":"expired","terminated":false}');
  });

  it('fails when an observed event was not expected', async () => {
    const unexpected = read('lifecycle.yaml').replace('    - { type: state-changed, stream: music, state: expired, terminated: true }\n', '');
    const report = await runScenario(parseScenario(unexpected));
    expect(report.passed).toBe(false);
    expect(report.diff.at(-1)).toBe('  + observed: state-changed music {"state":"expired","terminated":true}');
  });

  it('fails when an expected event never came', async () => {
    const missing = `${read('ducking.yaml')}    - { type: duck, deviceId: speakers, communicationSessions: 2 }\n`;
    const report = await runScenario(parseScenario(missing));
    expect(report.passed).toBe(false);
    expect(report.diff.slice(-2)).toEqual([
      '  - expected (line 19): duck {"deviceId":"speakers","communicationSessions":2}',
      '  + observed: nothing more',
    ]);
  });

  it('fails when a step returns another HRESULT than stated', async () => {
    const text = read('device-removed.yaml').replace('result: AUDCLNT_E_DEVICE_INVALIDATED', 'result: S_OK');
    const report = await runScenario(parseScenario(text));
    expect(report.passed).toBe(false);
    expect(report.diff[0]).toMatch(/^ {2}! step at line 13: returned AUDCLNT_E_DEVICE_INVALIDATED \(0x88890004\), expected S_OK$/);
  });
});

describe('a malformed scenario', () => {
  const base = 'scenario: 1\nname: x\ndevices:\n  - { id: a, name: A, flow: render }\n';
  const cases: [string, string, number, RegExp][] = [
    ['broken YAML', 'scenario: 1\nname: [x\n', 3, /indented|flow sequence/i],
    ['an unknown step', `${base}steps:\n  - launch: 5\nexpect: { events: [] }\n`, 6, /not a known step/],
    ['a wrong value', `${base}steps:\n  - wait: -5\nexpect: { events: [] }\n`, 6, /(too small|>=0).*steps\.0\.wait/],
    ['an unknown stream', `${base}steps:\n  - startStream: nope\nexpect: { events: [] }\n`, 6, /unknown stream "nope"/],
    ['a process never started', `${base}steps:\n  - openStream: { stream: s, pid: 5 }\nexpect: { events: [] }\n`, 6, /no running process with pid 5/],
    ['an unknown event type', `${base}steps:\n  - wait: 1\nexpect:\n  events:\n    - { type: exploded }\n`, 9, /type/],
    ['an unknown top-level key', `${base}steps:\n  - wait: 1\nexpect: { events: [] }\nspeed: 2\n`, 1, /unknown key "speed"/],
    ['a missing key', `${base}expect: { events: [] }\n`, 1, /steps/],
    ['a duplicate key', 'scenario: 1\nscenario: 1\n', 2, /unique|duplicate/i],
    ['a sim step on a real backend', 'scenario: 1\nname: x\nbackend: pulse\ndevices: []\nsteps:\n  - startProcess: { pid: 1, exe: a }\nexpect: { events: [] }\n', 6, /startProcess is a sim step; on pulse apps are real programs/],
    ['a real program on the sim', `${base}steps:\n  - launch: { app: a, command: [paplay] }\nexpect: { events: [] }\n`, 6, /launch runs a real program: set backend: pulse/],
    ['a pulse device not named sink:NAME', 'scenario: 1\nname: x\nbackend: pulse\ndevices:\n  - { id: speakers, name: S, flow: render }\nsteps:\n  - wait: 1\nexpect: { events: [] }\n', 5, /must be named sink:NAME/],
    ['a move on the sim without a pid', `${base}steps:\n  - moveStreams: { app: a, device: a }\nexpect: { events: [] }\n`, 6, /moveStreams on the sim names a pid/],
    ['an app never launched', 'scenario: 1\nname: x\nbackend: pulse\ndevices: []\nsteps:\n  - stopApp: player\nexpect: { events: [] }\n', 6, /no running app "player"/],
    ['devices on coreaudio', 'scenario: 1\nname: x\nbackend: coreaudio\ndevices:\n  - { id: a, name: A, flow: render }\nsteps:\n  - wait: 1\nexpect: { events: [] }\n', 5, /cannot create devices/],
    ['no steps outside a recording', `${base}steps: []\nexpect: { events: [] }\n`, 5, /only a recording may have none/],
    ['a removed device used', `${base}steps:\n  - removeDevice: a\n  - setDefaultDevice: { device: a }\nexpect: { events: [] }\n`, 7, /device "a" was removed \(add it again with addDevice\)/],
  ];
  it.each(cases)('is rejected with its line and reason: %s', (_what, text, line, reason) => {
    let error: unknown;
    try {
      parseScenario(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioFormatError);
    expect((error as ScenarioFormatError).line).toBe(line);
    expect((error as ScenarioFormatError).reason).toMatch(reason);
  });
});

describe('a device removed and added again', () => {
  it('is one device, plugged in again under its id', () => {
    const text = 'scenario: 1\nname: x\ndevices:\n  - { id: a, name: A, flow: render }\nsteps:\n  - removeDevice: a\n  - addDevice: { id: a, name: A, flow: render }\n  - setDefaultDevice: { device: a }\nexpect: { events: [] }\n';
    expect(parseScenario(text).scenario.steps).toHaveLength(3);
  });
});

describe('disturbances on the sim', () => {
  const moved = read('move-streams.yaml');

  it('report a suspend as not supported, with the reason', async () => {
    const text = moved.replace('  - moveStreams: { pid: 900, device: usb }\n', '  - moveStreams: { pid: 900, device: usb }\n  - suspendDevice: { device: usb }\n');
    const report = await runScenario(parseScenario(text));
    expect(report.passed).toBe(false);
    expect(report.diff[0]).toBe('  ! step at line 13: not supported on the sim: Windows endpoints are not suspended under an app (use removeDevice for a device that goes away)');
  });

  it('flag several sessions of one process where one is expected', async () => {
    const text = moved.replace('  - moveStreams: { pid: 900, device: usb }\n', '  - openStream: { stream: second, pid: 900, device: usb, start: true }\n').replace(/ {4}- \{ type: state-changed, stream: radio, state: expired[^\n]*\n/, '');
    const report = await runScenario(parseScenario(text));
    expect(report.passed).toBe(false);
    expect(report.diff.at(-1)).toMatch(/^ {2}! leak: pid 900 had 2 sessions at 0 ms \(s[0-9a-f]+ on speakers, s[0-9a-f]+ on usb\), at most 1 expected$/);
    expect(report.expectations.at(-1)).toMatchObject({ name: 'at most 1 session(s) per app', passed: false });
  });
});
