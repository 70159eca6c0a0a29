// Builds what `electron-forge package` bundles (main, preload, renderer into .vite/),
// through Forge's own Vite config generator, without packaging: so the desktop app's
// build is checked where no Electron binary can be downloaded.
import { existsSync } from 'node:fs';
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

const expected = ['.vite/build/main.cjs', '.vite/build/preload.cjs', '.vite/renderer/main_window/index.html'];
const missing = expected.filter((file) => !existsSync(path.join(root, file)));
if (missing.length > 0) throw new Error(`the Electron build did not produce ${missing.join(', ')}`);
console.log(`built ${expected.join(', ')}`);
