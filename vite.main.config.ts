import { defineConfig } from 'vite';

// The package is ESM ("type": "module"), so the CommonJS main bundle is named .cjs;
// backends load lazily but ship inside the one file. ffi-rs is a native module: it is
// loaded at run time from node_modules, never bundled. The e2e test door is built in
// only when SNDMIX_E2E_DOOR=1 at build time (electron/build-flags.ts).
export const e2eDoorDefine = { __SNDMIX_E2E_DOOR__: JSON.stringify(process.env.SNDMIX_E2E_DOOR === '1') };

export default defineConfig({
  define: e2eDoorDefine,
  build: {
    lib: { entry: 'electron/main.ts', fileName: () => 'main.cjs', formats: ['cjs'] },
    rollupOptions: { external: ['ffi-rs'], output: { inlineDynamicImports: true } },
  },
});
