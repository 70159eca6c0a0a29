// `--backend sim`: the coreaudio backend's logic, the code that ships for Windows, running
// on a simulated Windows (sim/system.ts over the SimEngine) instead of COM. What the sim
// adds lives here and in the engine: the demo world, settings persistence (R14, R15),
// the scenario API that tests and QA scenarios drive, and the clock.
import { createCoreAudioBackend, type CoreAudioBackend } from '../coreaudio/backend';
import { BackendError } from '../types';
import type { SimClock } from './clock';
import { realClock } from './clock';
import type { SimDemo } from './demo';
import { loadDemoScenario } from './demo';
import { SimEngine } from './engine';
import { openAppEndpointStore } from './app-endpoints';
import { openSessionStore } from './persistence';
import { SimAudioSystem } from './system';

export type SimScenarioName = 'demo' | 'empty';

export interface SimBackendOptions {
  /** Where render sessions' volume/mute (`<stateDir>/sim-sessions.json`) and apps' own output devices (`sim-app-endpoints.json`) persist; null: not at all. */
  stateDir: string | null;
  /** 'demo': the demo devices and apps (demo.ts); 'empty': nothing, for tests and scenario runs. */
  scenario: SimScenarioName;
  /** Let the demo's streams start and stop over time. */
  live: boolean;
  clock?: SimClock;
  onWarning?: (message: string) => void;
  /** Inactive -> expired (R9); the engine's default otherwise. */
  expireAfterMs?: number;
}

export interface SimBackend extends CoreAudioBackend {
  /** The simulated world behind the backend: tests, e2e and scenario runs drive it. */
  readonly engine: SimEngine;
  /** Handles into the demo scenario; null for 'empty'. */
  readonly demo: SimDemo | null;
}

export async function createSimBackend(options: SimBackendOptions): Promise<SimBackend> {
  if (options.scenario !== 'demo' && options.scenario !== 'empty') {
    throw new BackendError('invalid-argument', `unknown sim scenario "${String(options.scenario)}" (expected demo or empty)`);
  }
  const warn = options.onWarning ?? ((message: string) => console.warn(`sndmix sim: ${message}`));
  const clock = options.clock ?? realClock;
  const engine = new SimEngine({
    clock,
    expireAfterMs: options.expireAfterMs,
    onWarning: warn,
    settingsStore: openSessionStore({ stateDir: options.stateDir, clock, onWarning: warn }),
    appEndpointStore: openAppEndpointStore({ stateDir: options.stateDir, clock, onWarning: warn }),
  });
  const demo = options.scenario === 'demo' ? loadDemoScenario(engine, { live: options.live }) : null;
  const system = new SimAudioSystem(engine, {
    onClose: async () => {
      demo?.stop();
      await engine.close();
    },
  });
  // Every change is notified in the sim: no reconcile poll.
  const backend = await createCoreAudioBackend({ name: 'sim', system, pollIntervalMs: null, onWarning: warn });
  return Object.assign(backend, { engine, demo });
}
