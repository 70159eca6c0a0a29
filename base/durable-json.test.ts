import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DurableJsonFile, DurableWriteError } from './durable-json';

const Entry = z.object({ volume: z.number().min(0).max(1), muted: z.boolean() }).strict();
type Entry = z.infer<typeof Entry>;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sndmix-durable-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const FIXED_NOW = new Date('2026-12-01T21:00:00.000Z');
function store(filePath: string, stepTimeoutMs?: number) {
  return new DurableJsonFile<Entry>({ filePath, version: 1, section: 'sessions', entry: Entry, now: () => FIXED_NOW, stepTimeoutMs });
}
const entries = (record: Record<string, Entry>) => new Map(Object.entries(record));

const isRoot = process.getuid?.() === 0;
/** Needs root (mount, chattr): in CI it runs as root and is never skipped. */
const asRoot = it.skipIf(!isRoot && !process.env.CI);

function mountTmpfs(options: string): string {
  const dir = tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  cleanups.push(() => spawnSync('umount', ['-l', dir]));
  return dir;
}

describe('DurableJsonFile: reading', () => {
  it('drops only the invalid entries, names them, and keeps the original file beside it', () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    const original = JSON.stringify({
      version: 1,
      sessions: { good: { volume: 0.5, muted: false }, loud: { volume: 1.0000001, muted: false }, odd: { volume: 0.2, muted: 'no' } },
    });
    writeFileSync(file, original);
    const loaded = store(file).load();
    expect([...loaded.entries]).toEqual([['good', { volume: 0.5, muted: false }]]);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]).toMatch(/dropped 2 invalid entries of .*state\.json: "loud" \(volume: .*\), "odd" \(muted: .*\); the original is kept as .*state\.dropped-2026-12-01T21-00-00-000Z\.json/);
    expect(readFileSync(join(dir, 'state.dropped-2026-12-01T21-00-00-000Z.json'), 'utf8')).toBe(original);
    expect(loaded.writable).toBe(true);
    // The next start finds the same file: it names the same copy instead of adding one.
    const later = new DurableJsonFile<Entry>({ filePath: file, version: 1, section: 'sessions', entry: Entry, now: () => new Date('2026-12-02T08:00:00Z') });
    expect(later.load().problems[0]).toMatch(/kept as .*state\.dropped-2026-12-01T21-00-00-000Z\.json$/);
    expect(readdirSync(dir).sort()).toEqual(['state.dropped-2026-12-01T21-00-00-000Z.json', 'state.json']);
  });

  it.each([
    ['a truncated file', '{"version": 1, "sessions": {"good": {"volume": 0.5,'],
    ['no version', '{"sessions": {}}'],
    ['no entries object', '{"version": 1, "sessions": []}'],
    ['an older format', '{"version": 0, "sessions": {}}'],
  ])('moves %s aside as a timestamped copy instead of overwriting it', async (_what, content) => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    writeFileSync(file, content);
    const durable = store(file);
    const loaded = durable.load();
    expect(loaded.entries.size).toBe(0);
    expect(loaded.problems).toEqual([expect.stringMatching(/^ignored .*state\.json: .*; it was moved to .*state\.unreadable-2026-12-01T21-00-00-000Z\.json$/)]);
    await durable.save(entries({ fresh: { volume: 0.1, muted: true } }));
    expect(readFileSync(join(dir, 'state.unreadable-2026-12-01T21-00-00-000Z.json'), 'utf8')).toBe(content);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, sessions: { fresh: { volume: 0.1, muted: true } } });
  });

  it('never writes over a newer version\'s file (no downgrade), and says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    const newer = JSON.stringify({ version: 2, sessions: { a: { volume: 0.3, muted: false, balance: 0 } } });
    writeFileSync(file, newer);
    const durable = store(file);
    const loaded = durable.load();
    expect(loaded.writable).toBe(false);
    expect(loaded.problems).toEqual([expect.stringMatching(/written by a newer version \(format 2, this one reads 1\): it is left as it is and changes are not saved/)]);
    await expect(durable.save(entries({ a: { volume: 1, muted: false } }))).rejects.toThrow(DurableWriteError);
    expect(readFileSync(file, 'utf8')).toBe(newer);
  });

  it('removes temp files of writers that were killed, keeps those of a running one', () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    const dead = 4_194_305; // above Linux's largest pid_max: no process has it
    for (const name of [`state.json.tmp-${dead}-0`, 'state.json.1a2b3c4d', `state.json.tmp-${process.pid}-7`, 'state.jsonl', 'other.json.1234']) {
      writeFileSync(join(dir, name), '{');
    }
    expect(store(file).load().problems).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['other.json.1234', 'state.json.tmp-' + process.pid + '-7', 'state.jsonl'].sort());
  });

  it('does not block on a FIFO in the file\'s place, nor read a device', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'state.json')]);
    expect(store(join(dir, 'state.json')).load().problems).toEqual([expect.stringMatching(/not a regular file/)]);
    expect(store('/dev/zero').load().problems).toEqual([expect.stringMatching(/not a regular file/)]);
  });
});

describe('DurableJsonFile: saving', () => {
  it('writes through a temp file renamed into place, creating missing folders, leaving no temp file', async () => {
    const dir = join(tempDir(), 'a', 'b');
    const file = join(dir, 'state.json');
    await store(file).save(entries({ b: { volume: 0.2, muted: false }, a: { volume: 0.1, muted: true } }));
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).sessions)).toEqual(['a', 'b']);
  });

  it('gives up on a state dir under /proc instead of looping (a recursive mkdir there never returns)', async () => {
    const started = Date.now();
    await expect(store('/proc/sndmix-test/state/state.json').save(entries({}))).rejects.toThrow(/^not saved to \/proc\/sndmix-test\/state\/state\.json: .*ENOENT/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['a directory in the file\'s place', (dir: string) => mkdirSync(join(dir, 'state.json')), /EISDIR|ENOTEMPTY|EEXIST/],
    ['a state dir that is a file', (dir: string) => writeFileSync(join(dir, 'state.json.d'), ''), /is not a folder/],
  ])('rejects with one line when the change cannot be saved: %s', async (_what, arrange, reason) => {
    const dir = tempDir();
    arrange(dir);
    const file = _what.includes('state dir') ? join(dir, 'state.json.d', 'state.json') : join(dir, 'state.json');
    const failure = await store(file).save(entries({ a: { volume: 0.5, muted: false } })).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(DurableWriteError);
    expect((failure as Error).message).toMatch(reason);
    expect((failure as Error).message).not.toContain('\n');
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  asRoot('rejects on a read-only filesystem, a full disk and an immutable file', async () => {
    const readOnly = mountTmpfs('size=1m');
    execFileSync('mount', ['-o', 'remount,ro', readOnly]);
    await expect(store(join(readOnly, 'state.json')).save(entries({}))).rejects.toThrow(/EROFS/);

    const full = mountTmpfs('size=64k');
    writeFileSync(join(full, 'filler'), Buffer.alloc(60 * 1024));
    const big = entries(Object.fromEntries(Array.from({ length: 2000 }, (_, index) => [`session-${index}`, { volume: 0.5, muted: false }])));
    await expect(store(join(full, 'state.json')).save(big)).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(full)).toEqual(['filler']);

    const dir = tempDir();
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({ version: 1, sessions: {} }));
    execFileSync('chattr', ['+i', file]);
    cleanups.push(() => spawnSync('chattr', ['-i', file]));
    await expect(store(file).save(entries({ a: { volume: 0.5, muted: false } }))).rejects.toThrow(/EPERM/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, sessions: {} });
  });
});
