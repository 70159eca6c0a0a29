// Cheap guards for what bench/mixer.ts measures in full: one session's change touches one
// strip's DOM, meters restyle only when a level moves (never per animation frame), and a
// snapshot of hundreds of sessions is taken in without a long task.
import type { CDPSession } from '@playwright/test';
import { DEMO } from './demo';
import { expect, test } from './fixtures';
import { strip } from './mixer-page';

// Playwright's own trace snapshots of hundreds of strips would be the long tasks measured here.
test.use({ trace: 'off' });

test('one session’s change touches only its own strip', async ({ mixer }) => {
  const { page } = mixer;
  await expect(strip(page, DEMO.game)).toBeVisible();
  await page.getByTestId('render-strips').evaluate((row) => {
    const touched = new Set<string>();
    Object.assign(window, { touchedStrips: touched });
    new MutationObserver((records) => {
      for (const record of records) {
        const owner = (record.target instanceof Element ? record.target : record.target.parentElement)?.closest('[data-testid="session-strip"]');
        // Meters move on their own as peaks arrive; they are not a re-render.
        if (record.target instanceof Element && record.target.closest('.meter')) continue;
        if (owner) touched.add(owner.getAttribute('aria-label') ?? '?');
      }
    }).observe(row, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await mixer.sim(({ engine, demo }) => engine.client(demo.pids.game).setVolume(demo.sessions.game, 0.31));
  await expect(strip(page, DEMO.game).getByRole('slider')).toHaveValue('31');
  expect(await page.evaluate(() => [...(window as unknown as { touchedStrips: Set<string> }).touchedStrips])).toEqual([DEMO.game]);
});

test('meters restyle only when a level moves: never per animation frame, nothing while levels hold', async ({ mixer }) => {
  test.skip(mixer.target !== 'web', 'reads Chromium’s performance counters over CDP');
  const { page } = mixer;
  await expect.poll(() => page.locator('.meter-fill').evaluateAll((fills) => fills.filter((fill) => fill.style.transform !== '').length)).toBeGreaterThan(2);
  // Counts, in the page, the tasks that wrote a meter and the animation frames (a frame loop
  // keeps frames coming, as an animated page would).
  await page.evaluate(() => {
    const counts = { writes: 0, frames: 0 };
    Object.assign(window, { meterCounts: counts });
    const observer = new MutationObserver(() => (counts.writes += 1));
    for (const fill of document.querySelectorAll('.meter-fill')) observer.observe(fill, { attributes: true, attributeFilter: ['style'] });
    const frame = () => {
      counts.frames += 1;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const counts = await page.evaluate(() => ({ ...(window as unknown as { meterCounts: { writes: number; frames: number } }).meterCounts }));
    return { recalcs: metrics.find((metric) => metric.name === 'RecalcStyleCount')?.value ?? 0, ...counts };
  };
  const between = (before: Awaited<ReturnType<typeof sample>>, after: typeof before) => ({
    recalcs: after.recalcs - before.recalcs,
    writes: after.writes - before.writes,
    frames: after.frames - before.frames,
  });

  // The sim's clock stands still: levels hold. Once the meters' releases have settled, frames
  // go on and nothing is restyled, however slowly the machine draws them.
  await expect
    .poll(async () => {
      const before = await sample();
      await page.waitForTimeout(400);
      return between(before, await sample()).writes;
    }, { timeout: 15_000 })
    .toBe(0);
  const holdStart = await sample();
  await page.waitForTimeout(1000);
  const holding = between(holdStart, await sample());
  expect(holding.frames, 'frames went on').toBeGreaterThan(0);
  expect(holding.recalcs, `${holding.recalcs} style recalculations in ${holding.frames} frames with every level holding`).toBeLessThanOrEqual(1);

  // Levels move (the sim's peaks follow its clock): at most one style recalculation per task
  // that wrote a meter, however many frames the machine managed meanwhile.
  const moveStart = await sample();
  for (let tick = 0; tick < 30; tick += 1) {
    await mixer.sim(({ clock }) => clock.advance(50));
    await page.waitForTimeout(50);
  }
  const moving = between(moveStart, await sample());
  expect(moving.writes, 'the meters moved').toBeGreaterThan(5);
  expect(moving.recalcs, `${moving.recalcs} style recalculations for ${moving.writes} meter writes in ${moving.frames} frames`).toBeLessThanOrEqual(moving.writes + 2);
});

test('a snapshot of 200 sessions is taken in without a long task', async ({ mixer }) => {
  test.skip(mixer.target !== 'web', 'reads Chromium’s trace over CDP');
  const { page } = mixer;
  await mixer.sim(({ engine, demo }) => {
    for (let index = 0; index < 200; index += 1) {
      const pid = 20_000 + index;
      engine.startProcess({ pid, exePath: `C:\\Apps\\app${index}.exe`, windowTitle: `App ${index}` });
      engine.openStream({ pid, deviceId: demo.devices.speakers, start: true });
    }
  });
  // Setting up, not the measure: 200 strips can take over 5 s to mount on a loaded machine.
  await expect(strip(page, 'App 199')).toBeAttached({ timeout: 30_000 });
  const stripCount = await page.getByTestId('session-strip').count();
  // Marks the snapshot's arrival in the trace, before the app handles it.
  await page.addInitScript(() => {
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (typeof event.data === 'string' && event.data.startsWith('{"type":"snapshot"')) performance.mark('snapshot-arrived');
        });
      }
    };
  });
  const cdp = await page.context().newCDPSession(page);
  const stop = await traceMainThreadTasks(cdp);
  // A reload subscribes afresh: the 200 sessions arrive as one snapshot.
  await page.reload();
  // Counted, not looked up by role: computing 200 accessible names is itself a long task.
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="session-strip"]').length >= count, stripCount);
  await page.waitForTimeout(300);
  // Ending a trace is a long task of its own: count only the tasks before this mark.
  await page.evaluate(() => performance.mark('strips-shown'));
  const { tasks, snapshotAt, shownAt } = await stop();
  expect(snapshotAt, 'the snapshot arrived during the trace').toBeGreaterThan(0);
  // From the task that handles the snapshot on, in CPU time of the renderer's main thread
  // (other processes on a busy machine do not count).
  const taken = tasks.filter((task) => task.ts + (task.dur ?? 0) >= snapshotAt && task.ts < shownAt);
  const longestMs = Math.max(...taken.map((task) => (task.tdur ?? 0) / 1000));
  expect(longestMs, 'the longest main-thread task after the snapshot arrived, ms of CPU').toBeLessThan(50);
});

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Traces the page; the returned function ends the trace and gives the main thread's tasks. */
async function traceMainThreadTasks(cdp: CDPSession): Promise<() => Promise<{ tasks: TraceEvent[]; snapshotAt: number; shownAt: number }>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,__metadata', transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await complete;
    const main = new Set(events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
    return {
      tasks: events.filter((event) => event.ph === 'X' && event.name === 'RunTask' && main.has(`${event.pid}:${event.tid}`)),
      snapshotAt: events.find((event) => event.name === 'snapshot-arrived')?.ts ?? NaN,
      shownAt: events.find((event) => event.name === 'strips-shown')?.ts ?? NaN,
    };
  };
}
