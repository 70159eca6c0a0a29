import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One renderer build for both shells: Electron (through Forge) and web mode (dist/web).
export default defineConfig((env) => {
  // Forge resolves its output folder (.vite/renderer/<name>) against `root`, which would put
  // it in renderer/.vite where the main process never looks: anchor it at the repository.
  const forgeRenderer = (env as { forgeConfigSelf?: { name?: string } }).forgeConfigSelf?.name;
  return {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      sourcemap: true,
      ...(forgeRenderer ? { outDir: path.resolve(import.meta.dirname, '.vite', 'renderer', forgeRenderer), emptyOutDir: true } : {}),
    },
  };
});
