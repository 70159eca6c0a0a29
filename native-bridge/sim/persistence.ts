// R14/R15: render sessions' volume and mute outlive the session and SndMix itself,
// keyed the way Windows keys them, in one JSON file written atomically.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { Flow } from '../types';
import type { SimClock, TimerHandle } from './clock';
import { realClock } from './clock';

export const SIM_STATE_FILE_NAME = 'sim-sessions.json';
const FORMAT_VERSION = 1;
const DEFAULT_DEBOUNCE_MS = 250;

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
  /** Writes what is pending; later `remember` calls are ignored. */
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

const StateFileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  sessions: z.record(
    z.string(),
    z.object({ volume: z.number().finite().min(0).max(1), muted: z.boolean() }).strict(),
  ),
});

export interface JsonSessionStoreOptions {
  stateDir: string;
  clock?: SimClock;
  /** Writes are coalesced this long after a change. */
  debounceMs?: number;
  onWarning?: (message: string) => void;
}

/**
 * The settings in `<stateDir>/sim-sessions.json`. R15 falls out of the keying: several
 * instances share a key, each change and each termination overwrites it, so what stays
 * is the last instance to terminate. An unreadable file is reported and replaced, never fatal.
 */
export class JsonSessionStore implements SessionSettingsStore {
  readonly filePath: string;
  private readonly settings: Map<string, SessionSettings>;
  private readonly clock: SimClock;
  private readonly debounceMs: number;
  private readonly warn: (message: string) => void;
  private timer: TimerHandle | null = null;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: JsonSessionStoreOptions) {
    this.filePath = join(options.stateDir, SIM_STATE_FILE_NAME);
    this.clock = options.clock ?? realClock;
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.warn = options.onWarning ?? (() => undefined);
    this.settings = this.load();
  }

  recall(session: PersistedSessionIdentity): SessionSettings | undefined {
    const key = settingsKey(session);
    const stored = key === null ? undefined : this.settings.get(key);
    return stored ? { ...stored } : undefined;
  }

  remember(session: PersistedSessionIdentity, settings: SessionSettings): void {
    const key = settingsKey(session);
    if (key === null || this.closed) return;
    const known = this.settings.get(key);
    if (known && known.volume === settings.volume && known.muted === settings.muted) return;
    this.settings.set(key, { volume: settings.volume, muted: settings.muted });
    this.dirty = true;
    if (this.timer === null) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.debounceMs);
    }
  }

  /** Writes pending changes now; resolves when they (and any write in flight) are on disk. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.dirty) {
      this.dirty = false;
      const text = this.serialize();
      // Chained: two writes of the same file never race, and the last one queued wins.
      this.writing = this.writing.then(() => this.write(text));
    }
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private load(): Map<string, SessionSettings> {
    let text: string;
    try {
      text = readFileSync(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.warn(`cannot read ${this.filePath} (${describe(error)}); starting with default session volumes`);
      }
      return new Map();
    }
    try {
      const parsed = StateFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return new Map(Object.entries(parsed.data.sessions));
      this.warn(`ignoring ${this.filePath}: not a SndMix sim state file (${parsed.error.issues[0]?.message ?? 'invalid'}); starting with default session volumes`);
    } catch (error) {
      this.warn(`ignoring ${this.filePath}: ${describe(error)}; starting with default session volumes`);
    }
    return new Map();
  }

  private serialize(): string {
    const sessions = Object.fromEntries([...this.settings.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return `${JSON.stringify({ version: FORMAT_VERSION, sessions }, null, 2)}\n`;
  }

  private async write(text: string): Promise<void> {
    try {
      mkdirSync(dirname(this.filePath), { recursive: true });
      await writeFileAtomic(this.filePath, text);
    } catch (error) {
      this.warn(`cannot save session volumes to ${this.filePath}: ${describe(error)}`);
    }
  }
}

/** A store for the given state dir, or none (null: persistence off). */
export function openSessionStore(options: Omit<JsonSessionStoreOptions, 'stateDir'> & { stateDir: string | null }): JsonSessionStore | null {
  return options.stateDir === null ? null : new JsonSessionStore({ ...options, stateDir: options.stateDir });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
