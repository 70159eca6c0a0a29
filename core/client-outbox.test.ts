import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxFrame, OutboxOptions } from './client-outbox';
import { ClientOutbox } from './client-outbox';

const snapshot = { type: 'snapshot' } as OutboxFrame;
const patch = { type: 'patch' } as OutboxFrame;
const peaks = { type: 'peaks' } as OutboxFrame;
const result = { type: 'result' } as OutboxFrame;

function outbox(overrides: Partial<OutboxOptions<OutboxFrame>> = {}) {
  const state = { backlog: 0, written: [] as string[], resyncs: 0, closedWith: null as string | null, congestion: [] as boolean[] };
  const box = new ClientOutbox<OutboxFrame>({
    backlog: () => state.backlog,
    write: (frame) => void state.written.push(frame.type),
    resync: () => void (state.resyncs += 1),
    closeBehind: (reason) => void (state.closedWith = reason),
    onCongestion: (congested) => void state.congestion.push(congested),
    highWater: 100,
    lowWater: 10,
    behindLimitMs: 1000,
    ...overrides,
  });
  return { box, state };
}

describe('ClientOutbox', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes everything through while the client keeps up', () => {
    const { box, state } = outbox();
    for (const frame of [snapshot, patch, peaks, result]) box.send(frame);
    expect(state.written).toEqual(['snapshot', 'patch', 'peaks', 'result']);
  });

  it('past the high mark drops meters, holds back state (coalesced) but still answers, then resyncs once drained', () => {
    const { box, state } = outbox();
    box.send(snapshot);
    state.backlog = 500;
    for (let index = 0; index < 1000; index += 1) box.send(patch);
    box.send(peaks);
    box.send(result);
    expect(state.written).toEqual(['snapshot', 'result']);
    expect(box.stats).toEqual({ coalesced: 1000, droppedPeaks: 1, resyncs: 0 });
    expect(state.congestion).toEqual([true]);
    state.backlog = 50; // under the high mark, not yet under the low one: still stale
    vi.advanceTimersByTime(100);
    box.send(patch);
    expect(state.written).toEqual(['snapshot', 'result']);
    state.backlog = 5;
    vi.advanceTimersByTime(50);
    expect(state.resyncs).toBe(1);
    expect(state.congestion).toEqual([true, false]);
    box.send(patch);
    expect(state.written).toEqual(['snapshot', 'result', 'patch']);
  });

  it('does not resync a client that never subscribed', () => {
    const { box, state } = outbox();
    state.backlog = 500;
    box.send(patch);
    state.backlog = 0;
    vi.advanceTimersByTime(50);
    expect(state.resyncs).toBe(0);
  });

  it('closes a client that stays congested past the limit, with a reason to act on, and sends nothing after', () => {
    const { box, state } = outbox();
    box.send(snapshot);
    state.backlog = 500;
    box.send(patch);
    vi.advanceTimersByTime(900);
    expect(state.closedWith).toBeNull();
    vi.advanceTimersByTime(200);
    expect(state.closedWith).toMatch(/fell more than 1 s behind: reconnect and subscribe again/);
    box.send(result);
    expect(state.written).toEqual(['snapshot']);
  });
});
