// Test-only hooks for the Playwright e2e suite, active only when SNDMIX_E2E=1, and in the
// desktop app only in a build made with SNDMIX_E2E_DOOR=1 (production bundles do not carry
// them: electron/build-flags.ts). The suite drives the sim engine behind the window and
// checks the engine, not the DOM. In web mode the engine lives in the test process; in the
// Electron app it lives in the backend's own process, so the main process puts a door on
// globalThis through which electronApp.evaluate() hands in a test's function (as source
// text), and relays it to the backend process to run against the engine. The web fixture
// runs the same function through the same door, so one spec behaves alike on both targets.
// Nothing here imports Electron: the web fixture and the unit tests use it in plain Node.
import type { EngineHost } from '../core/engine-host';
import type { OpenedBackend } from '../native-bridge/open-backend';
import { openBackend } from '../native-bridge/open-backend';
import type { SimBackend } from '../native-bridge/sim/simulated-windows';
import { createSimBackend } from '../native-bridge/sim/simulated-windows';
import { ManualClock } from '../native-bridge/sim/clock';
import type { SimDemo } from '../native-bridge/sim/demo';
import type { SimEngine } from '../native-bridge/sim/engine';
import type { BackendName } from '../native-bridge/types';

export const E2E_ENV = 'SNDMIX_E2E';
/** The globalThis property the door hangs on. */
export const E2E_GLOBAL = '__sndmixE2E';
/** A fixed start, so peaks (a function of engine time) and screenshots repeat run after run. */
export const E2E_CLOCK_START = Date.UTC(2025, 0, 6, 9, 0, 0);

export function e2eHooksEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[E2E_ENV] === '1';
}

/** What a test's function receives: the sim world behind the window. */
export interface SimWorld {
  engine: SimEngine;
  /** The engine's time: expiry and system-sound timers fire only when a test advances it. */
  clock: ManualClock;
  /** Handles into the demo scenario (devices, pids, streams, sessions). */
  demo: SimDemo;
  backend: SimBackend;
  /** What SndMix's engine host holds (what the window is told). */
  host: EngineHost;
}

export interface E2ESim {
  backend: SimBackend;
  clock: ManualClock;
  demo: SimDemo;
}

/** The sim the suite drives: the demo devices and apps, standing still (not live), on a clock the test moves. */
export async function createE2ESim(stateDir: string | null): Promise<E2ESim> {
  const clock = new ManualClock(E2E_CLOCK_START);
  const backend = await createSimBackend({ stateDir, scenario: 'demo', live: false, clock });
  if (!backend.demo) throw new Error('the e2e sim has no demo scenario');
  return { backend, clock, demo: backend.demo };
}

export interface E2EOpenedBackend extends OpenedBackend {
  /** Set when the backend is the e2e sim (the default); null for a real backend (e.g. pulse). */
  sim: E2ESim | null;
}

/** The backend of an app under test: the e2e sim unless another backend is named. */
export async function openE2EBackend(options: { name: BackendName | undefined; stateDir: string }): Promise<E2EOpenedBackend> {
  if (options.name === undefined || options.name === 'sim') {
    const sim = await createE2ESim(options.stateDir);
    return { backend: sim.backend, notice: null, startupWarnings: [], sim };
  }
  const opened = await openBackend({ name: options.name, stateDir: options.stateDir, live: false });
  return { ...opened, sim: null };
}

export interface E2EHook {
  /** Runs `source` (a function's text, `(world, arg) => ...`) against the sim world; resolves to what it returns. */
  run(source: string, arg: unknown): Promise<unknown>;
  /** The desktop shell's own state (Electron target only). */
  shell?: ShellProbe;
}

/** What the Electron main process shows a test of the shell (tray, flyout, the backend's process). */
export interface ShellProbe {
  backendPid(): number | undefined;
  trayTooltip(): string | null;
  openFlyout(): void;
  flyoutVisible(): boolean;
  flyoutUrl(): string | null;
}

export function createE2EHook(host: EngineHost, sim: E2ESim | null): E2EHook {
  const world: SimWorld | null = sim ? { engine: sim.backend.engine, clock: sim.clock, demo: sim.demo, backend: sim.backend, host } : null;
  return {
    async run(source, arg) {
      if (!world) throw new Error(`this app runs the ${host.backend.name} backend: there is no sim engine to drive`);
      return compileWorldFunction(source)(world, arg);
    },
  };
}

/** Hangs the door on globalThis for electronApp.evaluate(). */
export function installE2EHook(hook: E2EHook, target: object = globalThis): void {
  Object.defineProperty(target, E2E_GLOBAL, { value: hook, configurable: true });
}

/**
 * A function from its source text. It runs in another realm than the one that wrote it
 * (the Electron main process), so it may use only its parameters: a closure over the
 * test's variables would fail there, and through this same path fails in web mode too.
 */
export function compileWorldFunction(source: string): (world: SimWorld, arg: unknown) => unknown {
  let compiled: unknown;
  try {
    // The source comes from our own test files, through Playwright, never from a user.
    compiled = new Function(`"use strict"; return (${source});`)();
  } catch (error) {
    throw new Error(`cannot compile the test's sim function: ${error instanceof Error ? error.message : String(error)}\n${source}`, {
      cause: error,
    });
  }
  if (typeof compiled !== 'function') throw new TypeError(`the test's sim script is not a function: ${source}`);
  return compiled as (world: SimWorld, arg: unknown) => unknown;
}
