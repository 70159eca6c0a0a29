// The mixer as a person uses it, on two targets from one set of specs (the project's
// `target` option): web mode in Chromium, and the Electron app. A spec drives the sim
// engine behind the window through `mixer.sim(fn, arg)` and checks the engine, not the DOM.
//
// `fn` runs wherever the engine lives (this process for web, the Electron main process
// for electron), so it may use only its parameters, `world` (see SimWorld) and `arg`
// (serialisable): no closure over the test's variables, no imports.
import type { Browser, Page } from '@playwright/test';
import { test as base, expect } from '@playwright/test';
import type { SimWorld } from '../electron/test-hooks';
import type { PulseTestServer } from '../native-bridge/pulse/testing/test-server';
import { pulseTestSupport, shouldSkipPulseTests, startPulseTestServer } from '../native-bridge/pulse/testing/test-server';
import type { AppUnderTest, BackendChoice, StateFiles, Target } from './app-under-test';
import { launchElectronApp, launchWebApp } from './app-under-test';
import { buildElectronApp, findElectronBinary } from './electron-app';

export type { SimWorld } from '../electron/test-hooks';
export type { Target } from './app-under-test';

export interface Mixer {
  readonly target: Target;
  readonly page: Page;
  /** Runs `fn` against the sim world behind the window; resolves to its (serialisable) result. */
  sim<R>(fn: (world: SimWorld) => R): Promise<Awaited<R>>;
  sim<R, A>(fn: (world: SimWorld, arg: A) => R, arg: A): Promise<Awaited<R>>;
}

export interface PulseMixer {
  readonly target: Target;
  readonly page: Page;
  /** The private PulseAudio server the app is connected to: play streams, run pactl. */
  readonly server: PulseTestServer;
}

/** Starts apps for the tests of one worker: the browser is launched once, on first use; the Electron app is built once. */
interface Launcher {
  /** Why this target cannot run here (tests skip with it), or null. */
  readonly unavailable: string | null;
  launch(backend: BackendChoice, viewport: { width: number; height: number } | null, stateFiles?: StateFiles): Promise<AppUnderTest>;
}

export interface WorkerOptions {
  target: Target;
}

export const test = base.extend<{ mixer: Mixer; pulseMixer: PulseMixer; stateFiles: StateFiles }, WorkerOptions & { launcher: Launcher }>({
  target: ['web', { scope: 'worker', option: true }],
  /** What the app's state folder holds when it starts (`test.use({ stateFiles })`); empty by default. */
  stateFiles: [{}, { option: true }],

  launcher: [
    async ({ target, playwright }, use) => {
      if (target === 'web') {
        // Launched on first use, not as the `browser` fixture: the electron project never needs Chromium.
        const chromium: { browser: Promise<Browser> | null } = { browser: null };
        await use({
          unavailable: null,
          launch: async (backend, viewport, stateFiles) =>
            launchWebApp(await (chromium.browser ??= playwright.chromium.launch()), backend, { viewport }, stateFiles),
        });
        if (chromium.browser) await (await chromium.browser).close();
        return;
      }
      const binary = findElectronBinary();
      // Built here, within this fixture's own time limit, not the first test's.
      if (binary.available) await buildElectronApp();
      await use({
        unavailable: binary.available ? null : binary.reason,
        launch: async (backend, viewport, stateFiles) => {
          if (!binary.available) throw new Error(binary.reason);
          return launchElectronApp(binary.path, backend, viewport, stateFiles);
        },
      });
    },
    { scope: 'worker', timeout: 240_000 },
  ],

  mixer: async ({ launcher, target, viewport, stateFiles }, use, testInfo) => {
    testInfo.skip(launcher.unavailable !== null, launcher.unavailable ?? '');
    const app = await launcher.launch({ name: 'sim' }, viewport, stateFiles);
    try {
      await waitForMixer(app.page);
      const sim = (fn: (world: SimWorld, arg: unknown) => unknown, arg?: unknown) => app.runInWorld(fn.toString(), arg);
      await use({ target, page: app.page, sim: sim as Mixer['sim'] });
    } finally {
      await app.close(testInfo);
    }
  },

  pulseMixer: async ({ launcher, target, viewport }, use, testInfo) => {
    testInfo.skip(launcher.unavailable !== null, launcher.unavailable ?? '');
    testInfo.skip(shouldSkipPulseTests(), `PulseAudio tests need ${pulseTestSupport().reason ?? 'a PulseAudio server'}`);
    const server = await startPulseTestServer();
    try {
      const app = await launcher.launch({ name: 'pulse', server }, viewport);
      try {
        await waitForMixer(app.page);
        await use({ target, page: app.page, server });
      } finally {
        await app.close(testInfo);
      }
    } finally {
      await server.stop();
    }
  },
});

/** The window has its first snapshot: the playback device picker is there. */
async function waitForMixer(page: Page): Promise<void> {
  await expect(page.getByRole('combobox', { name: 'Playback device' })).toBeVisible();
}

export { expect };
