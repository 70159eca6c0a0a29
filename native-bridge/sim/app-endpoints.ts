// The per-app default endpoints of the simulated Windows: what IAudioPolicyConfigFactory's
// Set/GetPersistedDefaultAudioEndpoint read and write. Windows keeps them per app (the
// executable, so a second instance of an app follows the first's choice) and per flow, and
// keeps them across restarts ("persisted"): the sim keeps them in
// `<stateDir>/sim-app-endpoints.json` beside the session volumes (R14), or for the run only.
import * as z from 'zod';
import { builtOnFirstUse } from '../../base/built-on-first-use';
import type { Flow } from '../types';
import type { SimClock } from './clock';
import { JsonEntryStore } from './persistence';

export const SIM_APP_ENDPOINTS_FILE_NAME = 'sim-app-endpoints.json';

export interface AppEndpointEntry {
  deviceId: string;
}

const AppEndpointEntrySchema = builtOnFirstUse(() => z.object({ deviceId: z.string().min(1).max(512) }).strict());

/** Where the entries live: a durable file (JsonEntryStore) or, without a state dir, memory. */
export interface AppEndpointStore {
  get(key: string): AppEndpointEntry | undefined;
  set(key: string, entry: AppEndpointEntry | undefined): void;
  close(): Promise<void>;
}

function memoryStore(): AppEndpointStore {
  const entries = new Map<string, AppEndpointEntry>();
  return {
    get: (key) => entries.get(key),
    set: (key, entry) => (entry === undefined ? entries.delete(key) : entries.set(key, entry)),
    close: async () => undefined,
  };
}

export function openAppEndpointStore(options: { stateDir: string | null; clock?: SimClock; onWarning?: (message: string) => void }): AppEndpointStore {
  if (options.stateDir === null) return memoryStore();
  return new JsonEntryStore<AppEndpointEntry>(
    { ...options, stateDir: options.stateDir, fileName: SIM_APP_ENDPOINTS_FILE_NAME, section: 'apps', entry: AppEndpointEntrySchema, what: 'app output devices' },
    (a, b) => a.deviceId === b.deviceId,
  );
}

export class AppEndpoints {
  constructor(private readonly store: AppEndpointStore = memoryStore()) {}

  get(exePath: string, flow: Flow): string | null {
    return this.store.get(keyOf(exePath, flow))?.deviceId ?? null;
  }

  /** null: the app follows the system default again. */
  set(exePath: string, flow: Flow, deviceId: string | null): void {
    this.store.set(keyOf(exePath, flow), deviceId === null ? undefined : { deviceId });
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Executable paths compare case-insensitively, as Windows paths do. */
function keyOf(exePath: string, flow: Flow): string {
  return `${flow}|${exePath.toLowerCase()}`;
}
