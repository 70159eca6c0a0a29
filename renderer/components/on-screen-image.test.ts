import { describe, expect, it, vi } from 'vitest';
import { FakeIntersectionObserver } from '../testing/fake-intersection-observer';
import { showWhenOnScreen } from './on-screen-image';

vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);

describe('an image shown once on screen', () => {
  it('gets its source only when it comes into view, and is then no longer watched', () => {
    const image = document.createElement('img');
    showWhenOnScreen(image, 'data:image/svg+xml,a');
    expect(image.hasAttribute('src')).toBe(false);
    FakeIntersectionObserver.reveal();
    expect(image.getAttribute('src')).toBe('data:image/svg+xml,a');
    expect(FakeIntersectionObserver.instances.every((observer) => !observer.observed.has(image))).toBe(true);
  });

  it('changes an image already showing at once', () => {
    const image = document.createElement('img');
    showWhenOnScreen(image, 'data:image/svg+xml,a');
    FakeIntersectionObserver.reveal();
    showWhenOnScreen(image, 'data:image/svg+xml,b');
    expect(image.getAttribute('src')).toBe('data:image/svg+xml,b');
  });

  it('forgets an image stopped before it was on screen', () => {
    const image = document.createElement('img');
    const stop = showWhenOnScreen(image, 'data:image/svg+xml,a');
    stop();
    FakeIntersectionObserver.reveal();
    expect(image.hasAttribute('src')).toBe(false);
  });
});
