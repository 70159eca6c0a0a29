// The mixer as a person uses it: web mode served from this test process, so each test
// drives the sim engine's scenario directly and checks the engine, not the DOM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test as base } from '@playwright/test';
import { EngineHost } from '../core/engine-host';
import type { SimBackend } from '../native-bridge/sim/backend';
import { createSimBackend } from '../native-bridge/sim/backend';
import type { SimEngine } from '../native-bridge/sim/engine';
import { startWebServer } from '../web/server';

export interface Mixer {
  page: Page;
  host: EngineHost;
  backend: SimBackend;
  engine: SimEngine;
  /** The session the engine holds now (not what the page shows). */
  session(id: string): ReturnType<SimEngine['getSession']>;
}

export const test = base.extend<{ mixer: Mixer }>({
  mixer: async ({ page }, use) => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-e2e-'));
    const backend = createSimBackend({ stateDir, scenario: 'demo', live: false });
    const host = await EngineHost.start(backend);
    const server = await startWebServer({ host, staticDir: 'dist/web', port: 0, hostname: '127.0.0.1' });
    await page.goto(server.url);
    await use({ page, host, backend, engine: backend.engine, session: (id) => backend.engine.getSession(id) });
    await server.close();
    await host.close();
    rmSync(stateDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
