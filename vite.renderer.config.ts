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

/**
 * Chromium's explicit compile hint (a magic comment first in the script): V8 compiles every
 * function while it streams the script in, on a background thread, instead of each one on the
 * main thread the first time it runs. The mixer's first mount after the snapshot runs code
 * nothing ran before (the strips, their slider and meters): compiled lazily, that was ~10 ms
 * of the main thread's time to the first paint.
 */
function compileEagerly(): Plugin {
  return {
    name: 'sndmix:compile-hints',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
        // The source map was made before: its code lines start one line lower now (";" is an empty first line).
        const map = chunk.sourcemapFileName ? bundle[chunk.sourcemapFileName] : undefined;
        if (map?.type === 'asset' && typeof map.source === 'string') {
          const parsed = JSON.parse(map.source) as { mappings: string };
          map.source = JSON.stringify({ ...parsed, mappings: `;${parsed.mappings}` });
        }
      }
    },
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
    plugins: [react(), contentSecurityPolicyMeta(), compileEagerly()],
    build: {
      sourcemap: true,
      ...(forgeRenderer ? { outDir: path.resolve(import.meta.dirname, '.vite', 'renderer', forgeRenderer), emptyOutDir: true } : {}),
    },
  };
});
