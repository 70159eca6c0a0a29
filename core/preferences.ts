// Hide and rename, per app (by appKeyOf) and per device (by its id), kept across restarts in
// `<stateDir>/preferences.json`:
//   { "version": 1, "preferences": {
//       "app:render|exe:firefox": { "hidden": false, "name": "Browser", "reapplyProfile": "Evening" },
//       "device:sink:alsa_output.usb-headset": { "hidden": true, "name": null } } }
// Each entry is validated on its own (an invalid one is dropped and reported, the file's
// original kept aside); an entry equal to the defaults is removed rather than stored.
import * as z from 'zod';
import { builtOnFirstUse } from '../base/built-on-first-use';
import type { AppPreference, DevicePreference, Preferences } from './contract';
import { ProfileNameSchema } from './contract';
import { KeyedStateFile } from './keyed-state-file';

export const PREFERENCES_FILE = 'preferences.json';
const FORMAT_VERSION = 1;

const EntrySchema = builtOnFirstUse(() => z
  .object({
    hidden: z.boolean(),
    name: z.string().min(1).max(100).nullable(),
    reapplyProfile: ProfileNameSchema.nullable().optional(),
  })
  .strict());
type Entry = z.infer<typeof EntrySchema>;

export const DEFAULT_APP_PREFERENCE: AppPreference = { hidden: false, name: null, reapplyProfile: null };
export const DEFAULT_DEVICE_PREFERENCE: DevicePreference = { hidden: false, name: null };

const APP = 'app:';
const DEVICE = 'device:';

export class PreferencesStore {
  private readonly file: KeyedStateFile<Entry>;

  constructor(stateDir: string | null) {
    this.file = new KeyedStateFile({ stateDir, fileName: PREFERENCES_FILE, version: FORMAT_VERSION, section: 'preferences', entry: EntrySchema });
  }

  get problems(): readonly string[] {
    return this.file.problems;
  }

  app(appKey: string): AppPreference {
    const entry = this.file.entries.get(APP + appKey);
    return entry ? { hidden: entry.hidden, name: entry.name, reapplyProfile: entry.reapplyProfile ?? null } : DEFAULT_APP_PREFERENCE;
  }

  device(deviceId: string): DevicePreference {
    const entry = this.file.entries.get(DEVICE + deviceId);
    return entry ? { hidden: entry.hidden, name: entry.name } : DEFAULT_DEVICE_PREFERENCE;
  }

  all(): Preferences {
    const preferences: Preferences = { apps: {}, devices: {} };
    for (const key of this.file.entries.keys()) {
      if (key.startsWith(APP)) preferences.apps[key.slice(APP.length)] = this.app(key.slice(APP.length));
      else if (key.startsWith(DEVICE)) preferences.devices[key.slice(DEVICE.length)] = this.device(key.slice(DEVICE.length));
    }
    return preferences;
  }

  /** Changes the given fields of an app's preference and saves. */
  async setApp(appKey: string, change: Partial<AppPreference>): Promise<void> {
    const next = { ...this.app(appKey), ...change };
    this.put(APP + appKey, next, next.hidden === false && next.name === null && next.reapplyProfile === null);
    await this.file.save();
  }

  async setDevice(deviceId: string, change: Partial<DevicePreference>): Promise<void> {
    const next = { ...this.device(deviceId), ...change };
    this.put(DEVICE + deviceId, next, next.hidden === false && next.name === null);
    await this.file.save();
  }

  /** Rules naming a deleted profile go with it. */
  async dropRulesFor(profileName: string): Promise<boolean> {
    let changed = false;
    for (const [key, entry] of this.file.entries) {
      if (key.startsWith(APP) && entry.reapplyProfile === profileName) {
        this.put(key, { ...entry, reapplyProfile: null }, entry.hidden === false && entry.name === null);
        changed = true;
      }
    }
    if (changed) await this.file.save();
    return changed;
  }

  private put(key: string, entry: Entry, isDefault: boolean): void {
    if (isDefault) this.file.entries.delete(key);
    else this.file.entries.set(key, entry);
  }
}
