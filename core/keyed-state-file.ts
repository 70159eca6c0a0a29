// A map of entries kept in the state folder through base/durable-json.ts, saved whole after
// each change, one save at a time (a change waits for the save in flight, then its own),
// so a command resolves only once its change is on disk. Without a folder (a throwaway
// host: `sndmix check`, tests of other parts) the entries live in memory only.
import { join } from 'node:path';
import type { z } from 'zod';
import { DurableJsonFile } from '../base/durable-json';

export interface KeyedStateFileOptions<Entry> {
  /** null: kept in memory only. */
  stateDir: string | null;
  fileName: string;
  version: number;
  section: string;
  entry: z.ZodType<Entry>;
}

export class KeyedStateFile<Entry> {
  readonly entries: Map<string, Entry>;
  /** What loading found wrong, one line each for the user. */
  readonly problems: string[];
  readonly filePath: string | null;
  private readonly file: DurableJsonFile<Entry> | null;
  private saving: Promise<void> = Promise.resolve();

  constructor(options: KeyedStateFileOptions<Entry>) {
    if (options.stateDir === null) {
      this.file = null;
      this.filePath = null;
      this.entries = new Map();
      this.problems = [];
      return;
    }
    this.filePath = join(options.stateDir, options.fileName);
    this.file = new DurableJsonFile({ filePath: this.filePath, version: options.version, section: options.section, entry: options.entry });
    const loaded = this.file.load();
    this.entries = loaded.entries;
    this.problems = loaded.problems;
  }

  /** Writes the entries as they are now; rejects with a DurableWriteError saying why when it could not. */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const next = this.saving.catch(() => undefined).then(() => file.save(this.entries));
    this.saving = next;
    return next;
  }
}
