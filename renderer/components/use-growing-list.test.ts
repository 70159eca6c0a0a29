import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { GROWING_LIST_STEP, stripsAcross, useGrowingList } from './use-growing-list';

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
    const steps = [];
    for (let length = 20; length < items.length; length += GROWING_LIST_STEP) steps.push(length);
    expect(new Set(seen)).toEqual(new Set([...steps, items.length]));
  });
});
