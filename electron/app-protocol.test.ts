import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlePath } from './app-protocol';

const root = path.resolve('/opt/SndMix/resources/app.asar/.vite/renderer/main_window');

describe('the app:// protocol', () => {
  it('serves files inside the renderer folder, index.html at the root', () => {
    expect(bundlePath(root, 'app://bundle/')).toBe(path.join(root, 'index.html'));
    expect(bundlePath(root, 'app://bundle/index.html?view=compact')).toBe(path.join(root, 'index.html'));
    expect(bundlePath(root, 'app://bundle/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(bundlePath(root, 'app://bundle/assets/a%20b.css')).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it('refuses anything outside it, however spelled', () => {
    // The URL parser already clamps plain dot segments at the root: still inside the folder.
    expect(bundlePath(root, 'app://bundle/../../main.cjs')).toBe(path.join(root, 'main.cjs'));
    expect(bundlePath(root, 'app://bundle/%2e%2e/%2e%2e/main.cjs')).toBe(path.join(root, 'main.cjs'));
    for (const url of [
      'app://bundle/assets/..%2f..%2f..%2fmain.cjs',
      'app://bundle/..%5c..%5cmain.cjs',
      'app://bundle/%00index.html',
      'app://bundle/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(bundlePath(root, url), url).toBeNull();
    }
  });
});
