// A durable JSON file of keyed entries, for settings that must never be wiped:
//  - read: each entry is validated on its own, so one bad entry drops only itself; a file
//    that cannot be parsed is kept aside as a timestamped copy, never overwritten; a file
//    written by a newer version is used read-only and never written over (no downgrade);
//  - write: temp file + fsync + rename + directory fsync, so a crash leaves the old file or
//    the new one; temp files a killed writer left behind are removed at the next start;
//  - every filesystem step is bounded: directories are created one level at a time (a
//    recursive mkdir under /proc loops forever), each await has a deadline, and non-regular
//    files (a FIFO would block a read forever) are refused.
// Knows nothing of the program using it; the caller supplies the entry schema.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, parse } from 'node:path';
import type { z } from 'zod';

export interface DurableJsonOptions<Entry> {
  filePath: string;
  /** The format version this code reads and writes. */
  version: number;
  /** The top-level key holding the entries, e.g. "sessions": `{ "version": 1, "sessions": { key: entry } }`. */
  section: string;
  entry: z.ZodType<Entry>;
  /** Deadline of each filesystem step. */
  stepTimeoutMs?: number;
  /** Larger files are not read (a device node or runaway file must not exhaust memory). */
  maxBytes?: number;
  now?: () => Date;
}

export interface LoadResult<Entry> {
  entries: Map<string, Entry>;
  /** One line each, for the user: what was dropped or set aside, and why. Empty when all was well. */
  problems: string[];
  /** False when the file belongs to a newer version: it is never written over. */
  writable: boolean;
}

/** A save that did not reach the disk; its message is one line for the user. */
export class DurableWriteError extends Error {
  override name = 'DurableWriteError';
}

const DEFAULT_STEP_TIMEOUT_MS = 1000;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Deepest directory chain created for a state dir; past it something is wrong with the path. */
const MAX_CREATED_LEVELS = 32;
const TEMP_MARK = '.tmp-';

export class DurableJsonFile<Entry> {
  readonly filePath: string;
  private readonly options: DurableJsonOptions<Entry>;
  private readonly stepTimeoutMs: number;
  private writable = true;
  private tempCounter = 0;

  constructor(options: DurableJsonOptions<Entry>) {
    this.options = options;
    this.filePath = options.filePath;
    this.stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  }

  /** Reads the file (synchronously, bounded by its size and kind); never throws. */
  load(): LoadResult<Entry> {
    const problems: string[] = [];
    this.removeStaleTemps(problems);
    const text = this.readText(problems);
    if (text === null) return { entries: new Map(), problems, writable: this.writable };

    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      this.setAside(problems, `it is not valid JSON (${describe(error)})`);
      return { entries: new Map(), problems, writable: this.writable };
    }
    if (!isRecord(document) || typeof document.version !== 'number' || !Number.isInteger(document.version)) {
      this.setAside(problems, 'it has no format version');
      return { entries: new Map(), problems, writable: this.writable };
    }
    if (document.version > this.options.version) {
      this.writable = false;
      problems.push(
        `${this.filePath} was written by a newer version (format ${document.version}, this one reads ${this.options.version}): it is left as it is and changes are not saved`,
      );
      return { entries: new Map(), problems, writable: false };
    }
    if (document.version < this.options.version) {
      this.setAside(problems, `its format ${document.version} is older than any this version reads`);
      return { entries: new Map(), problems, writable: this.writable };
    }
    const section = document[this.options.section];
    if (!isRecord(section)) {
      this.setAside(problems, `it has no "${this.options.section}" object`);
      return { entries: new Map(), problems, writable: this.writable };
    }

    const entries = new Map<string, Entry>();
    const dropped: string[] = [];
    for (const [key, value] of Object.entries(section)) {
      const parsed = this.options.entry.safeParse(value);
      if (parsed.success) entries.set(key, parsed.data);
      else dropped.push(`${JSON.stringify(key)} (${describeIssue(parsed.error)})`);
    }
    if (dropped.length > 0) {
      // The dropped entries are gone from the next save: keep the original beside it.
      const copy = this.copyAside('dropped', text);
      problems.push(
        `dropped ${dropped.length} invalid ${dropped.length === 1 ? 'entry' : 'entries'} of ${this.filePath}: ${dropped.join(', ')}${copy ? `; the original is kept as ${copy}` : ''}`,
      );
    }
    return { entries, problems, writable: this.writable };
  }

  /** Replaces the file with these entries; resolves once they are on disk. */
  async save(entries: ReadonlyMap<string, Entry>): Promise<void> {
    if (!this.writable) {
      throw new DurableWriteError(`not saved: ${this.filePath} belongs to a newer version and is not written over`);
    }
    const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const text = `${JSON.stringify({ version: this.options.version, [this.options.section]: Object.fromEntries(sorted) }, null, 2)}\n`;
    const temp = `${this.filePath}${TEMP_MARK}${process.pid}-${this.tempCounter++}`;
    try {
      await this.step('create the folder', createDirectory(dirname(this.filePath), (what, work) => this.step(what, work)));
      const handle = await this.step('create a temporary file', open(temp, 'wx', 0o600));
      try {
        await this.step('write', handle.writeFile(text, 'utf8'));
        await this.step('flush to disk', handle.sync());
      } finally {
        await this.step('close', handle.close()).catch(() => undefined);
      }
      await this.step('replace the file', rename(temp, this.filePath));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new DurableWriteError(`not saved to ${this.filePath}: ${describe(error)}`);
    }
    // The rename is durable once the directory is: best effort, some filesystems refuse it.
    await this.step('flush the folder', syncDirectory(dirname(this.filePath))).catch(() => undefined);
  }

  private step<T>(what: string, work: Promise<T>): Promise<T> {
    return withDeadline(work, this.stepTimeoutMs, what);
  }

  private readText(problems: string[]): string | null {
    let fd: number;
    try {
      // O_NONBLOCK: opening a FIFO in the file's place must not wait for a writer.
      fd = openSync(this.filePath, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`cannot read ${this.filePath}: ${describe(error)}`);
      return null;
    }
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) {
        problems.push(`cannot read ${this.filePath}: it is not a regular file`);
        return null;
      }
      const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
      if (info.size > maxBytes) {
        this.setAside(problems, `it is larger than ${maxBytes} bytes`);
        return null;
      }
      const buffer = Buffer.alloc(info.size);
      let read = 0;
      while (read < info.size) {
        const count = readSync(fd, buffer, read, info.size - read, read);
        if (count === 0) break;
        read += count;
      }
      return buffer.subarray(0, read).toString('utf8');
    } catch (error) {
      problems.push(`cannot read ${this.filePath}: ${describe(error)}`);
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /** Renames the unreadable file out of the way, so the next save cannot destroy it. */
  private setAside(problems: string[], why: string): void {
    const aside = this.asideName('unreadable');
    try {
      renameSync(this.filePath, aside);
      problems.push(`ignored ${this.filePath}: ${why}; it was moved to ${aside}`);
    } catch (error) {
      // Not movable: never write over it either.
      this.writable = false;
      problems.push(`ignored ${this.filePath}: ${why}; it could not be moved aside (${describe(error)}), so changes are not saved`);
    }
  }

  private copyAside(kind: string, text: string): string | null {
    // Until the next save rewrites the file, every start finds the same entries: one copy is enough.
    const earlier = this.existingCopy(kind, text);
    if (earlier) return earlier;
    const aside = this.asideName(kind);
    try {
      writeFileSync(aside, text, { flag: 'wx', mode: 0o600 });
      return aside;
    } catch {
      return null;
    }
  }

  private existingCopy(kind: string, text: string): string | null {
    const { dir, name, ext } = parse(this.filePath);
    try {
      for (const entry of readdirSync(dir)) {
        if (!entry.startsWith(`${name}.${kind}-`) || !entry.endsWith(ext)) continue;
        const path = join(dir, entry);
        if (lstatSync(path).isFile() && readFileSync(path, 'utf8') === text) return path;
      }
    } catch {
      // Not listable: a new copy is made.
    }
    return null;
  }

  private asideName(kind: string): string {
    const stamp = (this.options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const { dir, name, ext } = parse(this.filePath);
    return join(dir, `${name}.${kind}-${stamp}${ext}`);
  }

  /** Temp files of writers that no longer run (killed mid-write). */
  private removeStaleTemps(problems: string[]): void {
    const prefix = `${basename(this.filePath)}${TEMP_MARK}`;
    let names: string[];
    try {
      if (!lstatSync(dirname(this.filePath)).isDirectory()) return;
      names = readdirSync(dirname(this.filePath));
    } catch {
      return;
    }
    // Also `<file>.<hex>`: the temp files of write-file-atomic, which earlier versions used.
    const legacy = new RegExp(`^${escapeRegExp(basename(this.filePath))}\\.[0-9a-f]+$`);
    for (const name of names) {
      if (name.startsWith(prefix)) {
        const pid = Number(name.slice(prefix.length).split('-')[0]);
        if (Number.isInteger(pid) && isRunning(pid)) continue;
      } else if (!legacy.test(name)) {
        continue;
      }
      try {
        unlinkSync(join(dirname(this.filePath), name));
      } catch (error) {
        problems.push(`cannot remove the stale temporary file ${name}: ${describe(error)}`);
      }
    }
  }
}

/** mkdir -p, one level at a time and at most MAX_CREATED_LEVELS of them. */
async function createDirectory(path: string, step: <T>(what: string, work: Promise<T>) => Promise<T>): Promise<void> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    const info = await step('inspect the folder', stat(current)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw new Error(`${current} is not a folder`);
      break;
    }
    missing.push(current);
    if (missing.length > MAX_CREATED_LEVELS) throw new Error(`${path} is more than ${MAX_CREATED_LEVELS} missing folders deep`);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing.reverse()) {
    await step('create the folder', mkdir(folder)).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      if (!(await step('inspect the folder', stat(folder))).isDirectory()) throw new Error(`${folder} is not a folder`);
    });
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ');
}
