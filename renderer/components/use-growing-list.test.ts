import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GROWING_LIST_STEP, MAX_STEP, MIN_STEP, STEP_BUDGET_MS, nextStepSize, stripsAcross, useGrowingList } from './use-growing-list';

afterEach(cleanup);

describe('useGrowingList', () => {
  it('renders a short list whole', () => {
    const items = ['a', 'b', 'c'];
    expect(renderHook(() => useGrowingList(items)).result.current).toBe(items);
  });

  it('starts with the strips the window is wide enough for, never fewer than 8', () => {
    expect(stripsAcross(1920)).toBe(23);
    expect(stripsAcross(1200)).toBe(14);
    expect(stripsAcross(300)).toBe(8);
  });

  it('mounts a long list a screenful first, then grows it step by step to the whole list', async () => {
    const items = Array.from({ length: 150 }, (_, index) => `strip-${index}`);
    const seen: number[] = [];
    const { result } = renderHook(() => {
      const shown = useGrowingList(items, 20);
      seen.push(shown.length);
      return shown;
    });
    expect(result.current).toEqual(items.slice(0, 20));
    await waitFor(() => expect(result.current).toBe(items));
    const lengths = [...new Set(seen)];
    expect(lengths[0]).toBe(20);
    expect(lengths[1]).toBe(20 + GROWING_LIST_STEP);
    expect(lengths.at(-1)).toBe(items.length);
    // Every step adds some, never more than a step may.
    for (let index = 1; index < lengths.length; index += 1) {
      const added = (lengths[index] as number) - (lengths[index - 1] as number);
      expect(added).toBeGreaterThan(0);
      expect(added).toBeLessThanOrEqual(MAX_STEP);
    }
  });

  it('grows only in idle periods: nothing more is mounted until the page is idle', async () => {
    const idle: IdleRequestCallback[] = [];
    vi.stubGlobal('requestIdleCallback', (run: IdleRequestCallback) => idle.push(run));
    vi.stubGlobal('cancelIdleCallback', () => undefined);
    try {
      const items = Array.from({ length: 60 }, (_, index) => `strip-${index}`);
      const { result } = renderHook(() => useGrowingList(items, 20));
      // Frames and timers pass; no idle period came.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(result.current).toHaveLength(20);
      expect(idle).toHaveLength(1);
      act(() => (idle.shift() as IdleRequestCallback)({ didTimeout: false, timeRemaining: () => 50 }));
      expect(result.current).toHaveLength(20 + GROWING_LIST_STEP);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('sizes each step by the last one: fewer strips when they were slow (a loaded machine), more when fast, within bounds', () => {
    expect(nextStepSize(20, STEP_BUDGET_MS)).toBe(20);
    expect(nextStepSize(20, STEP_BUDGET_MS * 2)).toBe(10);
    expect(nextStepSize(20, STEP_BUDGET_MS / 2)).toBe(40);
    expect(nextStepSize(20, 1000)).toBe(MIN_STEP);
    expect(nextStepSize(20, 0)).toBe(MAX_STEP);
    expect(nextStepSize(20, 0.01)).toBe(MAX_STEP);
  });
});
