import { defineConfig } from 'vite';

// Sandboxed preloads are CommonJS; .cjs keeps that explicit in an ESM package.
export default defineConfig({
  build: { rollupOptions: { output: { entryFileNames: '[name].cjs' } } },
});
