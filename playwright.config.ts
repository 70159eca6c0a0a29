import { defineConfig } from '@playwright/test';

const viewport = { width: 1000, height: 620 };
const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};

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
    // The specs find controls by their English names; German has its own spec (e2e/everyday.spec.ts).
    locale: 'en-US',
  },
  projects: [
    {
      name: 'web',
      // *.electron.spec.ts: what only the desktop app has (tray, hotkeys, its processes); *.web.spec.ts the reverse.
      testIgnore: /\.(electron|wine)\.spec\.ts$/,
      use: { target: 'web', browserName: 'chromium', launchOptions: CHROMIUM },
    },
    { name: 'electron', testIgnore: /\.(web|wine)\.spec\.ts$/, use: { target: 'electron' } },
    // The coreaudio e2e subset: sndmix web under Wine on the Core Audio double (e2e/coreaudio-wine.ts).
    // In `npm run e2e` (and so `npm test`); alone with `npm run e2e:wine`. With CI=true a missing Wine fails it.
    { name: 'coreaudio-wine', testMatch: /\.wine\.spec\.ts$/, use: { browserName: 'chromium', launchOptions: CHROMIUM } },
  ],
});
