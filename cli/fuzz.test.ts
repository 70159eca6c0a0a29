// Generated command lines (fast-check): whatever they hold, the CLI never throws, exits 0, 1
// or 2, prints no raw control character, says a refusal in exactly one line, and a refused
// command line leaves the saved settings as they were.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './main';

const RUNS = 400;
const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-cli-fuzz-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const nasty = fc.constantFrom('0x1', '0b1', '0o1', '1e0', '-1', '1.0000001', '99999999999999999999', '', ' ', '\u001b[2J', 'a\nb', '\u202e', '256.1.1.1', '::1', 'on', 'off', '0.5', 'Starfall Odyssey', 'nope', '--volume', '-');
const value = fc.oneof(nasty, fc.string({ maxLength: 12 }), fc.nat({ max: 70_000 }).map(String), fc.double({ noNaN: true }).map(String));
const option = fc.constantFrom('--id', '--name', '--pid', '--device', '--volume', '--mute', '--json', '--all', '--port', '--host', '--backend', '--colour', '-v', '--help');
const argv = fc
  .tuple(
    fc.constantFrom('list', 'set', 'devices', 'watch', 'web', 'frobnicate', '', '--version'),
    fc.array(fc.oneof(fc.tuple(option, value).map(([name, given]) => [name, given]), option.map((name) => [name])), { maxLength: 5 }),
  )
  .map(([command, options]) => [command, ...options.flat()]);

// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/u;

const savedSettings = () => {
  try {
    return readFileSync(path.join(stateDir, 'sim-sessions.json'), 'utf8');
  } catch {
    return null;
  }
};

describe('the CLI under generated command lines', () => {
  it(`holds for ${RUNS} of them`, async () => {
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const before = savedSettings();
        let stdout = '';
        let stderr = '';
        const code = await runCli([...args, '--backend', 'sim', '--state-dir', stateDir], {
          stdout: (text) => (stdout += text),
          stderr: (text) => (stderr += text),
          stop: AbortSignal.abort(),
        });
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect([0, 1, 2]).toContain(code);
        expect(stdout).not.toMatch(RAW_CONTROL);
        expect(stderr).not.toMatch(RAW_CONTROL);
        if (code !== 0) {
          expect(stderr.trim().split('\n').filter((line) => !line.includes('warning:'))).toHaveLength(1);
          expect(savedSettings()).toBe(before);
        }
      }),
      { numRuns: RUNS, seed: 11 },
    );
    console.log(`CLI fuzz: ${RUNS} command lines (seed 11), exit codes ${[...codes].map(([code, count]) => `${code}: ${count}`).join(', ')}`);
  }, 120_000);
});
