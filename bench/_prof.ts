import { chromium } from 'playwright';
import { EngineHost } from '../core/engine-host';
import { createSimBackend } from '../native-bridge/sim/backend';
import { MEDIA_PLAYER_ICON } from '../native-bridge/sim/icons';
import { startWebServer } from '../web/server';
const N = Number(process.argv[2] ?? 500);
const backend = createSimBackend({ stateDir: null, scenario: 'empty', live: false });
const { engine } = backend;
engine.addDevice({ id: 'bench-speakers', name: 'Bench Speakers', flow: 'render', defaultFor: ['console', 'multimedia', 'communications'], volume: 0.8, channelCount: 2 });
for (let index = 0; index < N; index += 1) {
  const pid = 10_000 + index;
  engine.startProcess({ pid, exePath: `C:\\Apps\\app${index}.exe`, windowTitle: `Bench app ${index}`, fileDescription: `Bench app ${index}`, icon: MEDIA_PLAYER_ICON });
  engine.openStream({ pid, start: true });
}
const host = await EngineHost.start(backend);
const server = await startWebServer({ host, staticDir: 'dist/web', port: 0, hostname: '127.0.0.1' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
await page.goto(server.url);
await page.waitForFunction((n) => document.querySelectorAll('[data-testid="session-strip"]').length >= n, N);
await new Promise((r) => setTimeout(r, 1000));
const cdp = await page.context().newCDPSession(page);
const events: any[] = [];
cdp.on('Tracing.dataCollected', (d: any) => events.push(...d.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await new Promise((r) => setTimeout(r, 3000));
await cdp.send('Tracing.end');
await done;
const threads = new Map<string, string>();
for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
const main = [...threads].filter(([, n]) => n === 'CrRendererMain').map(([k]) => k);
const sums = new Map<string, { ms: number; n: number }>();
for (const e of events) {
  if (e.ph !== 'X' || !main.includes(`${e.pid}:${e.tid}`)) continue;
  const v = sums.get(e.name) ?? { ms: 0, n: 0 };
  v.ms += (e.dur ?? 0) / 1000; v.n += 1; sums.set(e.name, v);
}
for (const [k, v] of [...sums].sort((a, b) => b[1].ms - a[1].ms).slice(0, 22)) console.log(v.ms.toFixed(1).padStart(8), 'ms', String(v.n).padStart(6), k);
await browser.close(); await server.close(); await host.close();
