// Header conformance: the probe generated from the TypeScript declarations, built with
// Debian's mingw-w64 against the SDK headers and run under Wine, must print exactly what
// the TypeScript side holds (slots, whole method signatures, IIDs, PKEYs, constants,
// HRESULTs, struct layouts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedProbeLines, HEADER_GAPS, probeSource } from '../conformance/probe';
import { prepareWine, runUnderWine } from './harness';

/** "slot IMMDevice.GetId 5" -> ["slot IMMDevice.GetId", "5"]: facts keyed by what they are about. */
function facts(lines: readonly string[]): Record<string, string> {
  const table: Record<string, string> = {};
  for (const line of lines) {
    const [kind, subject, ...value] = line.split(' ');
    table[`${kind} ${subject}`] = value.join(' ');
  }
  return table;
}

describe('header conformance (mingw-w64 SDK headers, probe run under Wine)', () => {
  let printed: string[] = [];

  beforeAll(async () => {
    const wine = prepareWine();
    const dir = join(wine.home, 'probe');
    mkdirSync(dir, { recursive: true });
    const source = join(dir, 'probe.c');
    const exe = join(dir, 'probe.exe');
    writeFileSync(source, probeSource());
    const compiled = spawnSync('x86_64-w64-mingw32-gcc', ['-std=gnu11', '-O0', '-Wall', '-o', exe, source, '-luuid', '-lole32'], {
      encoding: 'utf8',
    });
    if (compiled.status !== 0) throw new Error(`the probe did not compile:\n${compiled.stderr}`);
    const run = await runUnderWine(wine, exe, [], 60_000);
    if (run.code !== 0) throw new Error(`the probe exited with ${run.code}: ${run.stderr}`);
    printed = run.stdout.split('\n').filter((line) => line.trim() !== '');
  });

  it('prints every fact the TypeScript side uses, each equal to it', () => {
    const expected = facts(expectedProbeLines());
    expect(Object.keys(expected).length).toBeGreaterThan(400);
    expect(facts(printed)).toEqual(expected);
  });

  it('finds every declared method signature identical to the header (no "signature ... 0")', () => {
    expect(printed.filter((line) => line.startsWith('signature ') && !line.endsWith(' 1'))).toEqual([]);
  });

  it('reports as absent exactly the interfaces listed in HEADER_GAPS', () => {
    const absent = printed.filter((line) => line.startsWith('absent ')).map((line) => line.slice('absent '.length));
    expect(absent.sort()).toEqual(Object.keys(HEADER_GAPS).sort());
  });
});
