import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['{base,native-bridge,core,cli,web,electron,scripts,packaging}/**/*.test.ts'],
          // Many node tests start real servers and programs (PulseAudio, PipeWire, the CLI):
          // on a loaded CI machine 5 s is not enough for them, and a hang still fails.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/testing/idle-callbacks.ts'],
        },
      },
    ],
  },
});
