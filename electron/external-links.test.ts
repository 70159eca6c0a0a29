import { describe, expect, it } from 'vitest';
import { isAllowedExternal } from './external-links';

describe('external links', () => {
  it('open only https links to the listed hosts', () => {
    expect(isAllowedExternal('https://github.com/sndmix')).toBe(true);
    expect(isAllowedExternal('https://learn.microsoft.com/en-us/windows/win32/coreaudio/audio-sessions')).toBe(true);
  });

  it('refuse other schemes, hosts, look-alikes and credentials', () => {
    for (const url of [
      'http://github.com/',
      'file:///etc/passwd',
      'https://github.com.evil.example/',
      'https://evil.example/?https://github.com',
      'https://user:pass@github.com/',
      'javascript:alert(1)',
      'ms-settings:sound',
      'not a url',
    ]) {
      expect(isAllowedExternal(url), url).toBe(false);
    }
  });
});
