// Builds what `electron-forge package` bundles (main, preload, renderer into .vite/),
// through Forge's own Vite config generator, without packaging: so the desktop app's
// build is checked where no Electron binary can be downloaded.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type ViteConfigModule from '@electron-forge/plugin-vite/dist/ViteConfig.js';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { build } from 'vite';
import forgeConfig from '../forge.config';

const root = path.resolve(import.meta.dirname, '..');
const plugin = forgeConfig.plugins?.find((candidate): candidate is VitePlugin => candidate instanceof VitePlugin);
if (!plugin) throw new Error('forge.config.ts has no Vite plugin');

// Forge's own generator (CommonJS, not in the package's public entry) gives exactly its configs.
const ViteConfigGenerator = createRequire(import.meta.url)(
  '@electron-forge/plugin-vite/dist/ViteConfig.js',
).default as typeof ViteConfigModule;
const generator = new ViteConfigGenerator(plugin.config, root, true);
const configs = [...(await generator.getBuildConfigs()), ...(await generator.getRendererConfig())];
for (const config of configs) await build({ ...config, logLevel: 'warn' });

const expected = ['.vite/build/main.cjs', '.vite/build/backend.cjs', '.vite/build/preload.cjs', '.vite/renderer/main_window/index.html'];
const missing = expected.filter((file) => !existsSync(path.join(root, file)));
if (missing.length > 0) throw new Error(`the Electron build did not produce ${missing.join(', ')}`);

// The e2e test door is compiled in only for the e2e suite's build (SNDMIX_E2E_DOOR=1):
// any other build must not carry it, not even unused.
const door = process.env.SNDMIX_E2E_DOOR === '1';
// What each bundle holds of the door: the main process hangs it on globalThis, the backend process runs what comes through it.
const doorMarkers = { '.vite/build/main.cjs': '__sndmixE2E', '.vite/build/backend.cjs': 'compileWorldFunction' };
for (const [bundle, marker] of Object.entries(doorMarkers)) {
  const carries = readFileSync(path.join(root, bundle), 'utf8').includes(marker);
  if (carries !== door) throw new Error(`${bundle} ${carries ? 'carries' : 'lacks'} the e2e test door (SNDMIX_E2E_DOOR=${door ? '1' : 'unset'})`);
}
console.log(`built ${expected.join(', ')}${door ? ' with the e2e test door' : ' (no e2e test door)'}`);
