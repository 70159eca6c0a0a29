import { describe, expect, it } from 'vitest';
import type { PageTokenEnvironment } from './page-token';
import { takePageToken } from './page-token';

function environment(href: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const env: PageTokenEnvironment = {
    location: { href },
    history: { state: null, replaceState: (_state: unknown, _title: string, url?: string | URL | null) => void replaced.push(String(url)) },
    storage: { getItem: (key) => storage.get(key) ?? null, setItem: (key, value) => void storage.set(key, value) },
  };
  return { env, storage, replaced };
}

describe('takePageToken', () => {
  it('takes the token out of the address (other parameters and the hash stay) into session storage', () => {
    const { env, storage, replaced } = environment('http://127.0.0.1:5000/?x=1&token=secret#top');
    expect(takePageToken(env)).toBe('secret');
    expect(replaced).toEqual(['/?x=1#top']);
    expect([...storage.values()]).toEqual(['secret']);
  });

  it('finds it in session storage after a reload, leaving the address alone', () => {
    const { env, replaced } = environment('http://127.0.0.1:5000/', { 'sndmix.token': 'secret' });
    expect(takePageToken(env)).toBe('secret');
    expect(replaced).toEqual([]);
  });

  it('is null with no token anywhere, and works where storage is refused', () => {
    expect(takePageToken(environment('http://127.0.0.1:5000/').env)).toBeNull();
    const refused = environment('http://127.0.0.1:5000/?token=abc');
    refused.env.storage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(takePageToken(refused.env)).toBe('abc');
    expect(refused.replaced).toEqual(['/']);
  });
});
