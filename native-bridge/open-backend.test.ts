import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend, windowNotice } from './open-backend';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openBackend', () => {
  it('passes on what start-up dropped from the saved settings, for the CLI (onWarning) and the window (its notice)', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-open-'));
    dirs.push(stateDir);
    writeFileSync(
      path.join(stateDir, 'sim-sessions.json'),
      JSON.stringify({ version: 1, sessions: { 'render|a|{A}|a.exe': { volume: 1.0000001, muted: false }, 'render|a|{B}|b.exe': { volume: 0.4, muted: false } } }),
    );
    const warnings: string[] = [];
    const opened = await openBackend({ name: 'sim', stateDir, live: false, onWarning: (message) => warnings.push(message) });
    await opened.backend.close();
    expect(warnings).toEqual([expect.stringMatching(/^dropped 1 invalid entry of .*sim-sessions\.json: "render\|a\|\{A\}\|a\.exe" \(volume: /)]);
    expect(opened.startupWarnings).toEqual(warnings);
    expect(windowNotice(opened)).toBe(warnings[0]);
    expect(windowNotice({ notice: 'no PulseAudio server; showing simulated sessions instead', startupWarnings: warnings })).toBe(
      `no PulseAudio server; showing simulated sessions instead · ${warnings[0]}`,
    );
    expect(windowNotice({ notice: null, startupWarnings: [] })).toBeNull();
  });
});
