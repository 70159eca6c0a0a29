// The renderer's Content-Security-Policy, one definition for every way it is served:
// Electron's response headers, web mode's headers and the built page's own meta tag.

const STRICT: Record<string, string> = {
  'default-src': "'self'",
  'img-src': "'self' data:",
  // 'self' covers the same-origin WebSocket of web mode.
  'connect-src': "'self'",
  'style-src': "'self'",
  'script-src': "'self'",
  // The meter worker (renderer/meters/meter-worker.ts), a chunk of the bundle.
  'worker-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
};

const serialize = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');

/** As an HTTP header (frame-ancestors works only there). */
export const CONTENT_SECURITY_POLICY = serialize({ ...STRICT, 'frame-ancestors': "'none'" });

/** As the built page's meta tag. */
export const CONTENT_SECURITY_POLICY_META = serialize(STRICT);

/**
 * For Vite's dev server under `npm start` only: it injects styles and React's refresh
 * preamble inline and talks to its own WebSocket for hot reload.
 */
export const DEV_CONTENT_SECURITY_POLICY = serialize({
  ...STRICT,
  'style-src': "'self' 'unsafe-inline'",
  'script-src': "'self' 'unsafe-inline'",
  'connect-src': "'self' ws://localhost:*",
});
