// R14/R15: render sessions' volume and mute outlive the session and SndMix itself,
// keyed the way Windows keys them, in one durable JSON file (base/durable-json.ts).
import { join } from 'node:path';
import * as z from 'zod';
import { builtOnFirstUse } from '../../base/built-on-first-use';
import { DurableJsonFile } from '../../base/durable-json';
import type { Flow } from '../types';
import type { SimClock, TimerHandle } from './clock';
import { realClock } from './clock';

export const SIM_STATE_FILE_NAME = 'sim-sessions.json';
const FORMAT_VERSION = 1;
const DEFAULT_DEBOUNCE_MS = 50;

export interface SessionSettings {
  volume: number;
  muted: boolean;
}

/** What a session's stored settings are found by. */
export interface PersistedSessionIdentity {
  sessionGuid: string;
  crossProcess: boolean;
  /** The app's executable (process-specific sessions); null for cross-process ones. */
  exePath: string | null;
  deviceId: string;
  flow: Flow;
}

/** What the engine needs from a settings store; `remember` is called on every change and at termination. */
export interface SessionSettingsStore {
  recall(session: PersistedSessionIdentity): SessionSettings | undefined;
  remember(session: PersistedSessionIdentity, settings: SessionSettings): void;
  /** Writes what is pending; later `remember` calls are ignored. Rejects when it is not on disk. */
  close(): Promise<void>;
}

/**
 * The storage key, or null for a session whose settings never persist: capture and
 * loopback sessions (R14; loopback sessions have flow 'capture'). A process-specific
 * session is found by GUID + the app (its executable, not its pid: a new instance
 * inherits, R15); a cross-process one by GUID alone. Both per device and flow.
 * Executable paths compare case-insensitively, as Windows paths do.
 */
export function settingsKey(session: PersistedSessionIdentity): string | null {
  if (session.flow !== 'render') return null;
  const app = session.crossProcess ? '#cross-process' : (session.exePath ?? '').toLowerCase();
  return [session.flow, session.deviceId, session.sessionGuid.toUpperCase(), app].join('|');
}

const SettingsEntrySchema = builtOnFirstUse(() => z.object({ volume: z.number().finite().min(0).max(1), muted: z.boolean() }).strict());

export interface JsonSessionStoreOptions {
  stateDir: string;
  clock?: SimClock;
  /** A change is written at most this long after it was made (plus the write itself). */
  debounceMs?: number;
  /** What was dropped or set aside on load, and writes that failed: one line each. */
  onWarning?: (message: string) => void;
}

/**
 * Keyed entries in one durable JSON file (base/durable-json.ts: per-entry validation,
 * unreadable files kept aside, newer files never written over), written after changes.
 *
 * Durability: one write at a time; a change is on disk within `debounceMs` plus at most two
 * writes (the one in flight and its own), at any change rate. `flush` and `close` resolve
 * only when everything set is on disk and reject with the reason when it is not.
 */
export class JsonEntryStore<Entry> {
  readonly filePath: string;
  private readonly file: DurableJsonFile<Entry>;
  private readonly entries: Map<string, Entry>;
  private readonly clock: SimClock;
  private readonly debounceMs: number;
  private readonly warn: (message: string) => void;
  private timer: TimerHandle | null = null;
  /** Changes not yet handed to a write. */
  private dirty = false;
  private writing: Promise<void> | null = null;
  /** The last write's failure, until a write succeeds. */
  private failure: Error | null = null;
  private failureReported = false;
  private closed = false;
  /** What the entries are, in warnings ("session volumes are not saved ..."). */
  private readonly what: string;

  constructor(
    options: JsonSessionStoreOptions & { fileName: string; section: string; entry: z.ZodType<Entry>; what: string },
    private readonly same: (a: Entry, b: Entry) => boolean,
  ) {
    this.filePath = join(options.stateDir, options.fileName);
    this.clock = options.clock ?? realClock;
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.warn = options.onWarning ?? (() => undefined);
    this.what = options.what;
    this.file = new DurableJsonFile({ filePath: this.filePath, version: FORMAT_VERSION, section: options.section, entry: options.entry });
    const loaded = this.file.load();
    this.entries = loaded.entries;
    for (const problem of loaded.problems) this.warn(problem);
  }

  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  /** undefined removes the entry. Ignored once closed. */
  set(key: string, entry: Entry | undefined): void {
    if (this.closed) return;
    const known = this.entries.get(key);
    if (entry === undefined ? known === undefined : known !== undefined && this.same(known, entry)) return;
    if (entry === undefined) this.entries.delete(key);
    else this.entries.set(key, entry);
    this.dirty = true;
    if (this.timer === null && this.writing === null) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.flush().catch((error: unknown) => {
          // Once per failing streak: a broken disk is not announced on every change.
          if (this.failureReported) return;
          this.failureReported = true;
          this.warn(`${this.what} are ${(error as Error).message}`);
        });
      }, this.debounceMs);
    }
  }

  /** Writes pending changes now; resolves when everything set is on disk, rejects when it could not be saved. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.writing ??= this.writeLoop().finally(() => {
      this.writing = null;
    });
    await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Writes what is pending; rejects (with one line for the user) when it is not on disk. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
    }
  }

  /** Writes until nothing is left: changes made during a write go in the next one, latest state only. */
  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.file.save(this.entries);
        if (this.failureReported) this.warn(`${this.what} are saved again to ${this.filePath}`);
        this.failure = null;
        this.failureReported = false;
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        // Not retried on its own (a broken disk would be written every few ms); the next change or flush retries.
        this.dirty = true;
        return;
      }
    }
  }
}

/**
 * The settings in `<stateDir>/sim-sessions.json`. R15 falls out of the keying: several
 * instances share a key, each change and each termination overwrites it, so what stays is
 * the last instance to terminate.
 */
export class JsonSessionStore implements SessionSettingsStore {
  readonly filePath: string;
  private readonly store: JsonEntryStore<SessionSettings>;

  constructor(options: JsonSessionStoreOptions) {
    this.store = new JsonEntryStore(
      { ...options, fileName: SIM_STATE_FILE_NAME, section: 'sessions', entry: SettingsEntrySchema, what: 'session volumes' },
      (a, b) => a.volume === b.volume && a.muted === b.muted,
    );
    this.filePath = this.store.filePath;
  }

  recall(session: PersistedSessionIdentity): SessionSettings | undefined {
    const key = settingsKey(session);
    const stored = key === null ? undefined : this.store.get(key);
    return stored ? { ...stored } : undefined;
  }

  remember(session: PersistedSessionIdentity, settings: SessionSettings): void {
    const key = settingsKey(session);
    if (key !== null) this.store.set(key, { volume: settings.volume, muted: settings.muted });
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** A store for the given state dir, or none (null: persistence off). */
export function openSessionStore(options: Omit<JsonSessionStoreOptions, 'stateDir'> & { stateDir: string | null }): JsonSessionStore | null {
  return options.stateDir === null ? null : new JsonSessionStore({ ...options, stateDir: options.stateDir });
}
