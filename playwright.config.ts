import { defineConfig } from '@playwright/test';

const viewport = { width: 1000, height: 620 };

// One set of specs, two targets (the `target` option, see e2e/fixtures.ts): the app in
// web mode in Debian's Chromium, and the Electron app (run where an Electron binary
// exists; skipped with the reason printed otherwise).
// (The option's type is spelled here, not imported: e2e/ is type-checked on its own, with the DOM.)
export default defineConfig<object, { target: 'web' | 'electron' }>({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['./e2e/skip-report.ts'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport,
  },
  projects: [
    {
      name: 'web',
      // *.electron.spec.ts: what only the desktop app has (tray, hotkeys, its processes); *.web.spec.ts the reverse.
      testIgnore: /\.electron\.spec\.ts$/,
      use: {
        target: 'web',
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
        },
      },
    },
    { name: 'electron', testIgnore: /\.web\.spec\.ts$/, use: { target: 'electron' } },
  ],
});
