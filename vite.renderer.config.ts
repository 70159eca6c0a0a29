import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './core/csp';

/** Built pages carry the strict CSP themselves; under the dev server Electron's headers give a dev one. */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'sndmix:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' },
    ],
  };
}

// One renderer build for both shells: Electron (through Forge) and web mode (dist/web).
export default defineConfig((env) => {
  // Forge resolves its output folder (.vite/renderer/<name>) against `root`, which would put
  // it in renderer/.vite where the main process never looks: anchor it at the repository.
  const forgeRenderer = (env as { forgeConfigSelf?: { name?: string } }).forgeConfigSelf?.name;
  return {
    root: 'renderer',
    base: './',
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      sourcemap: true,
      ...(forgeRenderer ? { outDir: path.resolve(import.meta.dirname, '.vite', 'renderer', forgeRenderer), emptyOutDir: true } : {}),
    },
  };
});
