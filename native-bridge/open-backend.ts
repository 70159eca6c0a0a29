// Picks and opens a backend: the one asked for, or the platform's own with the
// embedded sim engine as the fallback where no real backend serves.
import type { AudioBackend, BackendName } from './types';
import { BACKEND_NAMES, BackendError } from './types';

export interface OpenBackendOptions {
  /** Explicit choice: failure to open it is an error, never a silent fallback. */
  name?: BackendName;
  /** Where the sim engine persists session settings (R14); null disables persistence. */
  stateDir: string | null;
  /** Let the sim demo's streams start and stop over time (long-running shells only). */
  live: boolean;
  platform?: NodeJS.Platform;
  onWarning?: (message: string) => void;
}

export interface OpenedBackend {
  backend: AudioBackend;
  /** Why the default backend was not the platform's own, for the user to see. */
  notice: string | null;
  /** Warnings given while opening (e.g. saved settings that were dropped), also passed to onWarning. */
  startupWarnings: string[];
}

/** What a window shows in its notice banner: the fallback notice and the warnings of start-up. */
export function windowNotice(opened: Pick<OpenedBackend, 'notice' | 'startupWarnings'>): string | null {
  const parts = [opened.notice, ...opened.startupWarnings].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function parseBackendName(value: string): BackendName {
  const name = BACKEND_NAMES.find((candidate) => candidate === value);
  if (!name) throw new BackendError('invalid-argument', `unknown backend "${value}" (expected ${BACKEND_NAMES.join(', ')})`);
  return name;
}

export function platformBackend(platform: NodeJS.Platform): BackendName {
  if (platform === 'win32') return 'coreaudio';
  if (platform === 'linux') return 'pulse';
  return 'sim';
}

export async function openBackend(options: OpenBackendOptions): Promise<OpenedBackend> {
  const startupWarnings: string[] = [];
  const collecting: OpenBackendOptions = {
    ...options,
    onWarning: (message) => {
      startupWarnings.push(message);
      options.onWarning?.(message);
    },
  };
  const opened = await openChosen(collecting);
  return { ...opened, startupWarnings: [...startupWarnings] };
}

async function openChosen(options: OpenBackendOptions): Promise<Omit<OpenedBackend, 'startupWarnings'>> {
  if (options.name) return { backend: await create(options.name, options), notice: null };
  const preferred = platformBackend(options.platform ?? process.platform);
  if (preferred === 'sim') return { backend: await create('sim', options), notice: null };
  try {
    return { backend: await create(preferred, options), notice: null };
  } catch (error) {
    if (!(error instanceof BackendError) || error.code !== 'unavailable') throw error;
    return {
      backend: await create('sim', options),
      notice: `${error.message}; showing simulated sessions instead`,
    };
  }
}

// Each backend is loaded only when chosen, so one platform never loads another's FFI code.
async function create(name: BackendName, options: OpenBackendOptions): Promise<AudioBackend> {
  switch (name) {
    case 'sim': {
      const { createSimBackend } = await import('./sim/simulated-windows');
      return createSimBackend({ stateDir: options.stateDir, scenario: 'demo', live: options.live, onWarning: options.onWarning });
    }
    case 'pulse': {
      const { createPulseBackend } = await import('./pulse/backend');
      return createPulseBackend({ onWarning: options.onWarning });
    }
    case 'coreaudio': {
      const { createCoreAudioBackend } = await import('./coreaudio/backend');
      return createCoreAudioBackend({});
    }
  }
}
