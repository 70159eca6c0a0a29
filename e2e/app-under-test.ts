// Starting SndMix for one test, on either target, with either backend:
//  - web: the engine host and web server run in this test process; the page is a
//    Chromium tab on it (its context is Playwright's, so traces and failure screenshots
//    come with the `use` options in playwright.config.ts);
//  - electron: the built app, started by Playwright's Electron launcher with the test
//    hooks on (SNDMIX_E2E=1); traces and failure screenshots are taken here.
// Either way the test drives the sim through the same door (electron/test-hooks.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, ElectronApplication, Page, TestInfo, ViewportSize } from '@playwright/test';
import { _electron } from '@playwright/test';
import { EngineHost } from '../core/engine-host';
import type { E2EHook, E2ESim } from '../electron/test-hooks';
import { E2E_GLOBAL, createE2EHook, createE2ESim } from '../electron/test-hooks';
import { createPulseBackend } from '../native-bridge/pulse/backend';
import type { PulseTestServer } from '../native-bridge/pulse/testing/test-server';
import type { AudioBackend } from '../native-bridge/types';
import { startWebServer } from '../web/server';
import { REPO_ROOT } from './electron-app';

export type Target = 'web' | 'electron';

/** The sim with the demo scenario (driven by the test), or a private PulseAudio server. */
export type BackendChoice = { name: 'sim' } | { name: 'pulse'; server: PulseTestServer };

export interface AppUnderTest {
  page: Page;
  /** Runs a function's source against the sim behind the app (see electron/test-hooks.ts). */
  runInWorld(source: string, arg: unknown): Promise<unknown>;
  /** Closes the app; after a failure, first keeps a trace and a screenshot where the target needs it. */
  close(testInfo: TestInfo): Promise<void>;
}

const WEB_UI = path.join(REPO_ROOT, 'dist', 'web');

/** Files the state folder holds before the app starts (e.g. a profiles.json with a corrupt profile), by file name. */
export type StateFiles = Readonly<Record<string, string>>;

function writeStateFiles(stateDir: string, files: StateFiles): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(stateDir, name), text);
}

export async function launchWebApp(
  browser: Browser,
  backendChoice: BackendChoice,
  contextOptions: { viewport: ViewportSize | null },
  stateFiles: StateFiles = {},
): Promise<AppUnderTest> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-e2e-'));
  writeStateFiles(stateDir, stateFiles);
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(stateDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    let backend: AudioBackend;
    let sim: E2ESim | null = null;
    if (backendChoice.name === 'sim') {
      sim = await createE2ESim(stateDir);
      backend = sim.backend;
    } else {
      backend = await createPulseBackend({ server: backendChoice.server.server });
    }
    // Preferences and profiles in the state folder, as `sndmix web` keeps them.
    const host = await EngineHost.start(backend, { stateDir });
    cleanups.push(() => host.close());
    const hook: E2EHook = createE2EHook(host, sim);
    const server = await startWebServer({ host, staticDir: WEB_UI, port: 0, hostname: '127.0.0.1' });
    cleanups.push(() => server.close());
    const context = await browser.newContext(contextOptions);
    cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(server.url);
    return {
      page,
      // Arguments and results cross a serialisation boundary on the Electron target: copy
      // them here too, so a test that passes live objects fails on both targets alike.
      runInWorld: async (source, arg) => structuredClone(await hook.run(source, structuredClone(arg))),
      close: () => close(),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** How the built app is started for a test: the test door on, its own state folder, the chosen backend. */
export function electronLaunchOptions(executablePath: string, stateDir: string, backendChoice: BackendChoice) {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  Object.assign(env, { SNDMIX_E2E: '1', SNDMIX_BACKEND: backendChoice.name, SNDMIX_STATE_DIR: stateDir });
  if (backendChoice.name === 'pulse') {
    for (const name of ['PULSE_SERVER', 'PULSE_RUNTIME_PATH', 'PULSE_COOKIE']) {
      const value = backendChoice.server.clientEnv[name];
      if (value !== undefined) env[name] = value;
    }
  }
  return {
    executablePath,
    // Chromium's own sandbox refuses to start as root (CI containers); the renderer stays sandboxed by Electron's settings.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), REPO_ROOT],
    cwd: REPO_ROOT,
    env,
  };
}

export async function launchElectronApp(
  executablePath: string,
  backendChoice: BackendChoice,
  contentSize: ViewportSize | null,
  stateFiles: StateFiles = {},
): Promise<AppUnderTest> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-e2e-electron-'));
  writeStateFiles(stateDir, stateFiles);
  let app: ElectronApplication | null = null;
  try {
    app = await _electron.launch(electronLaunchOptions(executablePath, stateDir, backendChoice));
    await app.context().tracing.start({ screenshots: true, snapshots: true });
    const page = await app.firstWindow();
    if (contentSize) {
      // The same content size as the web target's viewport, so both render the same layout.
      await app.evaluate(({ BrowserWindow }, size) => BrowserWindow.getAllWindows()[0]?.setContentSize(size.width, size.height), contentSize);
    }
    const launched = app;
    return {
      page,
      runInWorld: (source, arg) =>
        launched.evaluate(
          async (_electron, input) => {
            const hook = (globalThis as Record<string, unknown>)[input.key] as E2EHook | undefined;
            if (!hook) throw new Error('the app was not started with SNDMIX_E2E=1: no test hook in its main process');
            return hook.run(input.source, input.arg);
          },
          { key: E2E_GLOBAL, source, arg },
        ),
      close: async (testInfo) => {
        const failed = testInfo.status !== testInfo.expectedStatus;
        try {
          if (failed) {
            const screenshot = testInfo.outputPath('test-failed-1.png');
            if (await page.screenshot({ path: screenshot }).then(() => true, () => false)) {
              await testInfo.attach('screenshot', { path: screenshot, contentType: 'image/png' });
            }
            const trace = testInfo.outputPath('trace.zip');
            await launched.context().tracing.stop({ path: trace });
            await testInfo.attach('trace', { path: trace, contentType: 'application/zip' });
          } else {
            await launched.context().tracing.stop();
          }
        } finally {
          await launched.close();
          rmSync(stateDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await app?.close();
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
}
