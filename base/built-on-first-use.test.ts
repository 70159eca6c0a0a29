import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use';

describe('builtOnFirstUse', () => {
  it('builds nothing until first used, then once', () => {
    let builds = 0;
    const value = builtOnFirstUse(() => {
      builds += 1;
      return { answer: 42 };
    });
    expect(builds).toBe(0);
    expect(value.answer).toBe(42);
    expect('answer' in value).toBe(true);
    expect(value.answer).toBe(42);
    expect(builds).toBe(1);
  });

  it('stands in for a zod schema: parses, composes, is an instance of its class', () => {
    const name = builtOnFirstUse(() => z.string().trim().min(1));
    const entry = builtOnFirstUse(() => z.object({ name: name.nullable() }).strict());
    expect(entry.parse({ name: ' radio ' })).toEqual({ name: 'radio' });
    expect(entry.safeParse({ name: '' }).success).toBe(false);
    expect(entry.safeParse({ name: 'a', extra: 1 }).success).toBe(false);
    expect(Object.keys(entry.shape)).toEqual(['name']);
    expect(name).toBeInstanceOf(z.ZodString);
    expect(z.object({ inner: entry }).parse({ inner: { name: null } })).toEqual({ inner: { name: null } });
  });
});
