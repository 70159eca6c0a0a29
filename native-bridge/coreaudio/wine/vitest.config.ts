// The Wine proofs of the coreaudio backend (`npm run test:wine`): header conformance and
// the integration scenario, each driving Windows programs under Wine from Linux.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['native-bridge/coreaudio/wine/**/*.spec.ts'],
    environment: 'node',
    // One Wine prefix, one PulseAudio: the files run one after the other.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
