import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useGrowingList } from './use-growing-list';

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
    expect(result.current).toEqual(items.slice(0, 40));
    await waitFor(() => expect(result.current).toBe(items));
    expect(new Set(seen)).toEqual(new Set([40, 100, 150]));
  });
});
