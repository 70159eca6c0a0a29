// Does the event timeline keep up with 1,000 backend events a second without freezing
// the UI? Runs the real web mode (sim backend -> engine host -> WebSocket -> built
// renderer in Chromium), shows the timeline, and measures frame timing in the page
// (requestAnimationFrame gaps and long tasks) in three phases of the same run:
//   idle      timeline shown, no events (the baseline)
//   load      timeline shown and following, RATE volume changes a second
//   hidden    the same load with the timeline hidden (what the mixer alone costs)
// then checks that the page received every event the host logged.
//
// Run: npm run bench:timeline   (builds dist/web first; needs Chromium, CHROMIUM_PATH
// overrides /usr/bin/chromium). Options: --rate 1000 --seconds 5 --web-dir dist/web
import { parseArgs } from 'node:util';
import type { Page } from 'playwright';
import { chromium } from 'playwright';
import { EngineHost } from '../core/engine-host';
import { createSimBackend } from '../native-bridge/sim/simulated-windows';
import { startWebServer } from '../web/server';

const { values: options } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
    'web-dir': { type: 'string', default: 'dist/web' },
  },
});
const RATE = Number(options.rate);
const SECONDS = Number(options.seconds);
if (!Number.isInteger(RATE) || RATE < 1 || !(SECONDS > 0)) {
  console.error('--rate must be a positive whole number of events a second and --seconds a positive number');
  process.exit(2);
}
const TICK_MS = 10;

interface FrameStats {
  frames: number;
  fps: number;
  maxGapMs: number;
  p99GapMs: number;
  gapsOver50Ms: number;
  longTasks: number;
  longTaskMs: number;
}

/**
 * Installed in the page (as source text: tsx's helpers must not leak into it): records
 * every animation frame and every long task while armed.
 */
const FRAME_PROBE = `
  const probe = { armed: false, frames: [], longTasks: [] };
  window.frameProbe = probe;
  const onFrame = (time) => {
    if (probe.armed) probe.frames.push(time);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  new PerformanceObserver((list) => {
    if (probe.armed) for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
`;

interface FrameProbe {
  armed: boolean;
  frames: number[];
  longTasks: number[];
}

async function measure(page: Page, seconds: number, during?: () => Promise<void>): Promise<FrameStats> {
  await page.evaluate(() => {
    const probe = (globalThis as unknown as { frameProbe: FrameProbe }).frameProbe;
    probe.frames = [];
    probe.longTasks = [];
    probe.armed = true;
  });
  const started = performance.now();
  await (during ? during() : sleep(seconds * 1000));
  const elapsedMs = performance.now() - started;
  const { frames, longTasks } = await page.evaluate(() => {
    const probe = (globalThis as unknown as { frameProbe: FrameProbe }).frameProbe;
    probe.armed = false;
    return { frames: probe.frames, longTasks: probe.longTasks };
  });
  const gaps = frames.slice(1).map((time, index) => time - (frames[index] as number));
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    frames: frames.length,
    fps: (frames.length / elapsedMs) * 1000,
    maxGapMs: sorted.at(-1) ?? NaN,
    p99GapMs: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN,
    gapsOver50Ms: gaps.filter((gap) => gap > 50).length,
    longTasks: longTasks.length,
    longTaskMs: longTasks.reduce((sum, duration) => sum + duration, 0),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  // No state dir: a thousand volume changes a second must not become a thousand file writes.
  const backend = await createSimBackend({ stateDir: null, scenario: 'demo', live: false });
  const host = await EngineHost.start(backend);
  const server = await startWebServer({ host, staticDir: options['web-dir'], port: 0, hostname: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.addInitScript({ content: FRAME_PROBE });
    await page.goto(server.url);
    const timelineToggle = page.getByRole('button', { name: 'Events', exact: true });
    await timelineToggle.click();
    await page.getByTestId('event-timeline').waitFor();

    const demo = backend.demo;
    if (!demo) throw new Error('the demo scenario has no handles');
    const targets = [
      { pid: demo.pids.mediaPlayer, sessionId: demo.sessions.mediaPlayer },
      { pid: demo.pids.game, sessionId: demo.sessions.game },
      { pid: demo.pids.browser, sessionId: demo.sessions.browser },
    ];
    let sent = 0;
    /** Sends RATE volume changes a second, spread over 10 ms ticks, catching up on late ticks. */
    const load = async () => {
      const started = performance.now();
      const endAt = started + SECONDS * 1000;
      while (performance.now() < endAt) {
        const due = Math.min(RATE * SECONDS, Math.floor(((performance.now() - started) / 1000) * RATE));
        for (; sent < due; sent += 1) {
          const target = targets[sent % targets.length] as (typeof targets)[number];
          // Alternating values: every call is a real change, hence an event.
          backend.engine.client(target.pid).setVolume(target.sessionId, 0.2 + (sent % 50) / 100);
        }
        await sleep(TICK_MS);
      }
    };
    const logged = () => host.events.entries().at(-1)?.seq ?? 0;

    /** What the timeline's status line says it received ("… of N received"). */
    const received = async () => {
      const status = (await page.getByTestId('timeline-status').textContent()) ?? '';
      return Number(/of ([\d,]+) received/.exec(status)?.[1]?.replaceAll(',', '') ?? NaN);
    };

    const idle = await measure(page, SECONDS);
    const seqBefore = logged();
    const receivedBefore = await received();
    sent = 0;
    const loaded = await measure(page, SECONDS, load);
    const sentDuringLoad = sent;
    const eventsLogged = logged() - seqBefore;

    // Every event logged during the load must reach the timeline.
    const loadEnded = performance.now();
    while ((await received()) - receivedBefore < eventsLogged && performance.now() < loadEnded + 5000) await sleep(20);
    const receivedDuringLoad = (await received()) - receivedBefore;
    const catchUpMs = performance.now() - loadEnded;

    await timelineToggle.click();
    await page.getByTestId('event-timeline').waitFor({ state: 'detached' });
    sent = 0;
    const hidden = await measure(page, SECONDS, load);

    const rows: [string, FrameStats][] = [
      ['idle (timeline shown)', idle],
      [`load ${RATE}/s (timeline shown)`, loaded],
      [`load ${RATE}/s (timeline hidden)`, hidden],
    ];
    console.log(`\nTimeline under load: ${RATE} events/s for ${SECONDS} s, Chromium headless, web mode\n`);
    console.log(
      ['phase'.padEnd(32), 'fps', 'max gap ms', 'p99 gap ms', 'gaps>50ms', 'long tasks', 'long task ms'].join('  '),
    );
    for (const [name, stats] of rows) {
      console.log(
        [
          name.padEnd(32),
          stats.fps.toFixed(1).padStart(3),
          stats.maxGapMs.toFixed(1).padStart(10),
          stats.p99GapMs.toFixed(1).padStart(10),
          String(stats.gapsOver50Ms).padStart(9),
          String(stats.longTasks).padStart(10),
          stats.longTaskMs.toFixed(0).padStart(12),
        ].join('  '),
      );
    }
    console.log(`\nshown-timeline load: ${sentDuringLoad} volume changes sent, ${eventsLogged} events logged by the host,`);
    console.log(`${receivedDuringLoad} received by the timeline (all of them within ${catchUpMs.toFixed(0)} ms of the load's end)`);
    if (problems.length > 0) console.log(`page errors: ${problems.join('; ')}`);
    const lost = receivedDuringLoad !== eventsLogged;
    if (lost || problems.length > 0) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
    await host.close();
  }
}

await main();
