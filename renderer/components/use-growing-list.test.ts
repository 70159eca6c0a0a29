import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { GROWING_LIST_FIRST, GROWING_LIST_STEP, useGrowingList } from './use-growing-list';

afterEach(cleanup);

describe('useGrowingList', () => {
  it('renders a short list whole', () => {
    const items = ['a', 'b', 'c'];
    expect(renderHook(() => useGrowingList(items)).result.current).toBe(items);
  });

  it('mounts a long list a screenful first, then grows it step by step to the whole list', async () => {
    const items = Array.from({ length: 150 }, (_, index) => `strip-${index}`);
    const seen: number[] = [];
    const { result } = renderHook(() => {
      const shown = useGrowingList(items);
      seen.push(shown.length);
      return shown;
    });
    expect(result.current).toEqual(items.slice(0, GROWING_LIST_FIRST));
    await waitFor(() => expect(result.current).toBe(items));
    const steps = [];
    for (let length = GROWING_LIST_FIRST; length < items.length; length += GROWING_LIST_STEP) steps.push(length);
    expect(new Set(seen)).toEqual(new Set([...steps, items.length]));
  });
});
