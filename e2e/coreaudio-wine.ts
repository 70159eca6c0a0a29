// The coreaudio e2e subset's fixtures (project `coreaudio-wine`, *.wine.spec.ts): one
// `sndmix web --backend coreaudio` for the whole worker, run under Windows Node in the Core
// Audio double's Wine prefix by a test harness (coreaudio-wine-harness.ts),
// opened here in Linux Chromium. Specs drive the double (its dbl_* exports, in the harness
// process) through the harness's scripting endpoint. Where Wine is missing the specs are
// skipped with the reason; with CI=true they fail instead (.ci/run installs Wine).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test as base, expect } from '@playwright/test';
import { HARNESS_ENDPOINTS } from './coreaudio-wine-endpoints';
import type { CoreAudioDouble } from '../native-bridge/coreaudio/double/script';
import { bundleForWindows, inDoublePrefix, prepareWine, repoRoot, windowsPath } from '../native-bridge/coreaudio/wine/harness';

export { HARNESS_ENDPOINTS };

type Methods<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

/** The double in the harness process, one call a request; plus a session's levels read back through Core Audio. */
export type ScriptedDouble = Methods<
  Pick<
    CoreAudioDouble,
    | 'openStream'
    | 'startStream'
    | 'stopStream'
    | 'releaseStream'
    | 'setDisplayName'
    | 'setIconPath'
    | 'setSessionVolume'
    | 'expireSession'
    | 'disconnectSession'
    | 'setDefault'
    | 'addEndpoint'
    | 'removeEndpoint'
    | 'drained'
    | 'floatLog'
    | 'violations'
  >
> & {
  sessionLevels(deviceId: string, pid: number): Promise<{ volume: number; muted: boolean } | null>;
  /** The harness's own pid: a real Windows process, named from its node.exe. */
  harnessPid(): Promise<number>;
  /** Lays a packaged app out on the prefix's drive C (wine/names-checks.ts); its executable's native path. */
  installTestPackage(): Promise<string>;
};

interface WineWeb {
  webUrl: string;
  double: ScriptedDouble;
}

const WINE_LOADER = '/usr/lib/wine/wine64';

function wineMissing(): string | null {
  if (!existsSync(WINE_LOADER)) return `Wine is not installed (${WINE_LOADER}; apt-get install wine64 wine)`;
  return null;
}

function scripted(scriptUrl: string): ScriptedDouble {
  return new Proxy({} as ScriptedDouble, {
    get: (_target, method: string) => async (...args: unknown[]) => {
      const response = await fetch(scriptUrl, { method: 'POST', body: JSON.stringify({ method, args }) });
      const answer = (await response.json()) as { result?: unknown; error?: string };
      if (answer.error !== undefined) throw new Error(`double.${method}: ${answer.error}`);
      return answer.result;
    },
  });
}

async function startWineWeb(): Promise<{ web: WineWeb; stop: () => Promise<void> }> {
  const wine = inDoublePrefix(prepareWine());
  // cli/main.ts finds dist/web from its own location: the repository, as Windows sees it.
  const mainUrl = `file:///${windowsPath(path.join(repoRoot, 'cli', 'main.ts')).replaceAll('\\', '/')}`;
  const bundle = await bundleForWindows(wine, path.join(repoRoot, 'e2e', 'coreaudio-wine-harness.ts'), 'coreaudio-wine-harness', {
    'import.meta.url': JSON.stringify(mainUrl),
  });
  const logs = path.join(wine.home, 'logs');
  mkdirSync(logs, { recursive: true });
  const run = mkdtempSync(path.join(logs, 'e2e-'));
  const ready = path.join(run, 'ready.json');
  const stateDir = path.join(run, 'state');
  mkdirSync(stateDir);
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  // Windows Node cannot write to a pipe under Wine: its output goes to files.
  const args = [wine.wine64, wine.nodeExe, windowsPath(bundle), windowsPath(ready), windowsPath(wine.double.dll), windowsPath(stateDir)];
  const command = `exec ${args.map(quote).join(' ')} >${quote(path.join(run, 'out.txt'))} 2>${quote(path.join(run, 'err.txt'))}`;
  const child: ChildProcess = spawn('sh', ['-c', command], { env: wine.env, cwd: wine.runtimeDir, stdio: 'ignore' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const output = () => ['out.txt', 'err.txt'].map((file) => (existsSync(path.join(run, file)) ? readFileSync(path.join(run, file), 'utf8') : '')).join('\n');
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    if (!process.env.KEEP_WINE_LOGS) rmSync(run, { recursive: true, force: true });
  };
  const started = Date.now();
  while (!existsSync(ready)) {
    if (child.exitCode !== null || Date.now() - started > 120_000) {
      const why = child.exitCode !== null ? `exited with ${child.exitCode}` : 'not ready in 120 s';
      const text = output();
      await stop();
      throw new Error(`the Wine web harness ${why}:\n${text}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  const answer = JSON.parse(readFileSync(ready, 'utf8')) as { webUrl?: string; scriptUrl?: string; error?: string };
  if (!answer.webUrl || !answer.scriptUrl) {
    await stop();
    throw new Error(`the Wine web harness failed: ${answer.error ?? 'no address'}\n${output()}`);
  }
  return { web: { webUrl: answer.webUrl, double: scripted(answer.scriptUrl) }, stop };
}

export interface CoreAudioMixer {
  page: Page;
  double: ScriptedDouble;
}

export const test = base.extend<{ coreaudio: CoreAudioMixer }, { wineWeb: WineWeb | null }>({
  wineWeb: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern: none.
    async ({}, use) => {
      const missing = wineMissing();
      if (missing) {
        if (process.env.CI) throw new Error(`the coreaudio e2e subset needs Wine with CI=true: ${missing}`);
        await use(null);
        return;
      }
      const { web, stop } = await startWineWeb();
      try {
        await use(web);
      } finally {
        await stop();
      }
    },
    { scope: 'worker', timeout: 300_000 },
  ],

  coreaudio: async ({ wineWeb, page }, use, testInfo) => {
    testInfo.skip(wineWeb === null, wineMissing() ?? '');
    if (!wineWeb) return;
    await page.goto(wineWeb.webUrl);
    await expect(page.getByRole('combobox', { name: 'Playback device' })).toBeVisible({ timeout: 15_000 });
    await use({ page, double: wineWeb.double });
    // Every contract, the 200 ms watchdog included, as the double suite checks them. (It fired
    // here when a first native call held ffi-rs's table lock for its whole length while the
    // sink thread waited: com/ffi.ts now holds it for a lookup only.)
    expect(await wineWeb.double.violations(), "the double's contract violations").toEqual([]);
  },
});

export { expect };
