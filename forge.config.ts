import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';

// Forge builds main, preload and renderer with Vite and runs the app (`npm start`).
// Installers (NSIS through electron-builder, Linux packages) come later.
const config: ForgeConfig = {
  packagerConfig: { asar: true, name: 'SndMix', executableName: 'sndmix' },
  rebuildConfig: {},
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
  ],
};

export default config;
