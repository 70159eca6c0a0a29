import { defineConfig } from 'vite';
import { e2eDoorDefine } from './vite.main.config';

// The backend's own process (utilityProcess): the engine host and the native backends.
export default defineConfig({
  define: e2eDoorDefine,
  build: {
    lib: { entry: 'electron/backend/process-main.ts', fileName: () => 'backend.cjs', formats: ['cjs'] },
    rollupOptions: { external: ['ffi-rs'], output: { inlineDynamicImports: true } },
  },
});
