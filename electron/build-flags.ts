// Facts fixed when a bundle is built, not when it runs.
// __SNDMIX_E2E_DOOR__ is defined by the Vite configs of the main and backend bundles:
// true only when SNDMIX_E2E_DOOR=1 at build time (the e2e suite's build). A production
// build has it false, so the door's code is dropped from the bundle, not merely unused.
// Unbundled (tsx, vitest) it is undefined: no door.
declare const __SNDMIX_E2E_DOOR__: boolean | undefined;

export const E2E_DOOR_BUILT_IN: boolean = typeof __SNDMIX_E2E_DOOR__ === 'boolean' && __SNDMIX_E2E_DOOR__;
