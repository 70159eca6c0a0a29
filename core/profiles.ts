// Profiles: every app's volume, mute and output device under a name, kept in
// `<stateDir>/profiles.json`:
//   { "version": 1, "profiles": {
//       "Evening": { "savedAt": 1764630000000,
//                    "apps": { "render|exe:firefox": { "volume": 0.4, "muted": false, "outputDeviceId": "sink:headset" } } } } }
// Apps are keyed by appKeyOf (core/app-identity.ts). Each profile is validated on its own:
// a corrupt one is dropped and reported (the file's original is kept aside by
// base/durable-json.ts), the others are read and kept.
import * as z from 'zod';
import { builtOnFirstUse } from '../base/built-on-first-use';
import type { Profile, ProfileEntry, ProfileList } from './contract';
import { ProfileNameSchema } from './contract';
import { KeyedStateFile } from './keyed-state-file';

export const PROFILES_FILE = 'profiles.json';
const FORMAT_VERSION = 1;

const ProfileEntrySchema = builtOnFirstUse(() => z
  .object({ volume: z.number().finite().min(0).max(1), muted: z.boolean(), outputDeviceId: z.string().min(1).max(512).nullable() })
  .strict());
const StoredProfileSchema = builtOnFirstUse(() => z.object({ savedAt: z.number().int().min(0), apps: z.record(z.string().min(1).max(512), ProfileEntrySchema) }).strict());
type StoredProfile = z.infer<typeof StoredProfileSchema>;

export class ProfileStore {
  private readonly file: KeyedStateFile<StoredProfile>;

  constructor(stateDir: string | null) {
    this.file = new KeyedStateFile({ stateDir, fileName: PROFILES_FILE, version: FORMAT_VERSION, section: 'profiles', entry: StoredProfileSchema });
    // Names are keys, which the entry schema does not see: one no command could give is left out.
    for (const name of [...this.file.entries.keys()]) {
      if (ProfileNameSchema.safeParse(name).success && ProfileNameSchema.parse(name) === name) continue;
      this.file.entries.delete(name);
      this.file.problems.push(`left out profile ${JSON.stringify(name)} of ${this.file.filePath ?? PROFILES_FILE}: not a name of 1 to 100 characters on one line`);
    }
  }

  get(name: string): Profile | null {
    const stored = this.file.entries.get(name);
    return stored ? { name, savedAt: stored.savedAt, apps: stored.apps } : null;
  }

  list(): ProfileList {
    const names = [...this.file.entries.keys()].sort((a, b) => a.localeCompare(b));
    const profiles = names.flatMap((name) => this.get(name) ?? []);
    return { profiles, problems: [...this.file.problems] };
  }

  async save(name: string, apps: Record<string, ProfileEntry>, savedAt: number): Promise<void> {
    this.file.entries.set(name, { savedAt, apps });
    await this.file.save();
  }

  /** Returns false when there was no such profile. */
  async delete(name: string): Promise<boolean> {
    if (!this.file.entries.delete(name)) return false;
    await this.file.save();
    return true;
  }
}
