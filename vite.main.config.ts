import { defineConfig } from 'vite';

// The package is ESM ("type": "module"), so the CommonJS main bundle is named .cjs;
// backends load lazily but ship inside the one file. ffi-rs is a native module: it is
// loaded at run time from node_modules, never bundled.
export default defineConfig({
  build: {
    lib: { entry: 'electron/main.ts', fileName: () => 'main.cjs', formats: ['cjs'] },
    rollupOptions: { external: ['ffi-rs'], output: { inlineDynamicImports: true } },
  },
});
