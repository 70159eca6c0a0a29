// The settings file in the state folder: read once, migrated (core/settings.ts), written
// atomically (write-file-atomic: a temp file renamed over the old one, so a crash mid-write
// leaves the old file or the new one, never half of either). Writes are queued, so the
// file always ends as the last accepted change. A file that cannot be read as settings is
// kept beside it (settings.json.corrupt) before the defaults are written over it.
// Plain Node, no Electron: the renderer reaches it only through the main process.
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Settings, SettingsPatch, SettingsWarning } from '../../core/settings';
import { SettingsPatchSchema, applySettingsPatch, migrateSettings } from '../../core/settings';

export const SETTINGS_FILE = 'settings.json';

export type UpdateResult = { ok: true; settings: Settings } | { ok: false; error: string };

export class SettingsStore {
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(settings: Settings) => void>();

  private constructor(
    readonly file: string,
    private current: Settings,
    /** What was wrong with the file at start, for the settings page to show. */
    readonly warnings: readonly SettingsWarning[],
  ) {}

  static async open(stateDir: string): Promise<SettingsStore> {
    const file = path.join(stateDir, SETTINGS_FILE);
    let text: string | null = null;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const message = error instanceof Error ? error.message : String(error);
        return new SettingsStore(file, migrateSettings(undefined).settings, [{ kind: 'unreadable', file, message }]);
      }
    }
    if (text === null) return new SettingsStore(file, migrateSettings(undefined).settings, []);
    let stored: unknown;
    try {
      stored = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return new SettingsStore(file, migrateSettings(undefined).settings, [{ kind: 'not-json', file, message }, ...(await keepCorruptCopy(file))]);
    }
    const { settings, warnings } = migrateSettings(stored);
    return new SettingsStore(file, settings, warnings.length > 0 ? [...warnings, ...(await keepCorruptCopy(file))] : []);
  }

  get(): Settings {
    return this.current;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies an untrusted patch (from the settings page) and stores the result; never throws. */
  async update(input: unknown): Promise<UpdateResult> {
    const parsed = SettingsPatchSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      return { ok: false, error: `invalid settings${where}: ${issue?.message ?? 'malformed'}` };
    }
    return this.commit(parsed.data);
  }

  private async commit(patch: SettingsPatch): Promise<UpdateResult> {
    const next = applySettingsPatch(this.current, patch);
    const write = this.writing.then(() => writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`));
    this.writing = write.catch(() => undefined);
    try {
      await write;
    } catch (error) {
      return { ok: false, error: `could not save the settings to ${this.file}: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.current = next;
    for (const listener of this.listeners) listener(next);
    return { ok: true, settings: next };
  }
}

/** Copies a file that could not be used as settings, so a hand edit is never lost. */
async function keepCorruptCopy(file: string): Promise<SettingsWarning[]> {
  const copy = `${file}.corrupt`;
  try {
    await copyFile(file, copy);
    return [{ kind: 'copy-kept', copy }];
  } catch {
    return [];
  }
}
