import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ToMeterWorker } from './meter-worker-protocol';
import { WorkerMeterHost } from './meter-host';

/** The page's IntersectionObserver, reported by hand. */
class FakeObserver {
  static latest: FakeObserver;
  readonly watched = new Set<Element>();
  constructor(readonly report: (entries: { target: Element; isIntersecting: boolean }[]) => void) {
    FakeObserver.latest = this;
  }
  observe(element: Element) {
    this.watched.add(element);
  }
  unobserve(element: Element) {
    this.watched.delete(element);
  }
  disconnect() {
    this.watched.clear();
  }
}

/** A meter's track and canvas in the document, the canvas handing over a stand-in for its OffscreenCanvas. */
function meterCanvas() {
  const track = document.createElement('div');
  track.style.setProperty('--meter-low', 'rgb(15, 123, 15)');
  track.style.setProperty('--meter-high', 'rgb(58, 161, 58)');
  const canvas = document.createElement('canvas');
  const offscreen = { getContext: () => null } as unknown as OffscreenCanvas;
  const transfer = vi.fn(() => offscreen);
  Object.assign(canvas, { transferControlToOffscreen: transfer });
  track.append(canvas);
  document.body.append(track);
  return { track, canvas, offscreen, transfer };
}

function host(socketUrl: string | null) {
  vi.stubGlobal('IntersectionObserver', FakeObserver);
  const posted: { message: ToMeterWorker; transfer: Transferable[] }[] = [];
  const meters = new WorkerMeterHost({ postMessage: (message, transfer) => posted.push({ message, transfer }) }, socketUrl);
  return { meters, posted, types: () => posted.map(({ message }) => message.type) };
}

describe('the page’s side of the meter worker', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.replaceChildren();
  });

  it('in web mode, has the worker open its own socket and leaves the peaks out of the page’s subscription', () => {
    const { meters, posted } = host('ws://127.0.0.1:1/ws?token=t');
    expect(meters.pageSubscription).toBe('state');
    expect(posted[0]?.message).toEqual({ type: 'peaks-socket', url: 'ws://127.0.0.1:1/ws?token=t' });
    expect(host(null).meters.pageSubscription).toBe('all');
  });

  it('hands each canvas over once, after the theme’s colours (their values: e2e/meters.spec.ts), and says when its track comes on screen and when it is removed', () => {
    const { meters, posted, types } = host(null);
    const { track, canvas, offscreen, transfer } = meterCanvas();
    const remove = meters.add(canvas, ['player']);
    expect(types()).toEqual(['colours', 'add']);
    expect(posted[1]).toEqual({ message: { type: 'add', id: 1, canvas: offscreen, keys: ['player'] }, transfer: [offscreen] });
    expect(transfer).toHaveBeenCalledTimes(1);
    FakeObserver.latest.report([{ target: track, isIntersecting: true }]);
    expect(posted.at(-1)?.message).toEqual({ type: 'visible', id: 1, visible: true });
    remove();
    remove();
    expect(types().filter((type) => type === 'remove')).toEqual(['remove']);
    expect(FakeObserver.latest.watched.size).toBe(0);
  });

  it('forgets every meter when the mixer unmounts, and keeps drawing meters added again', () => {
    const { meters, types } = host(null);
    meters.add(meterCanvas().canvas, ['a']);
    meters.stop();
    expect(types()).toContain('remove');
    meters.add(meterCanvas().canvas, ['a']);
    expect(types().at(-1)).toBe('add');
  });
});
