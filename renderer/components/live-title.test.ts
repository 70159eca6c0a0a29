import { describe, expect, it } from 'vitest';
import type { LiveTitleSource } from './live-title';
import { LiveTitle } from './live-title';

/** A changing value with listeners, counting how often the title was worded. */
function source() {
  const listeners = new Set<() => void>();
  const state = { value: { at: 1 } as { at: number } | null, composed: 0 };
  const feed = {
    state,
    change(at: number) {
      state.value = { at };
      for (const listener of listeners) listener();
    },
    listeners,
  };
  const words: LiveTitleSource<{ at: number }> = {
    read: () => state.value,
    compose: (value) => (state.composed++, value ? `Firefox\nLast changed at ${value.at}` : 'Firefox'),
    subscribe: (onChange) => (listeners.add(onChange), () => listeners.delete(onChange)),
  };
  return { ...feed, words, title: new LiveTitle(words) };
}

describe('LiveTitle', () => {
  it('words the latest change when hovered, and again on each change while hovered', () => {
    const { title, change, state } = source();
    const element = document.createElement('button');
    element.title = 'Firefox';
    change(2);
    change(3);
    // Not hovered: nothing worded, nothing written.
    expect(state.composed).toBe(0);
    expect(element.title).toBe('Firefox');

    title.enter(element, 'pointer');
    expect(element.title).toBe('Firefox\nLast changed at 3');
    change(4);
    expect(element.title).toBe('Firefox\nLast changed at 4');
  });

  it('composes only when the value changed, and stops at rest with the steady title', () => {
    const { title, change, state, listeners } = source();
    const element = document.createElement('button');
    title.enter(element, 'focus');
    title.enter(element, 'pointer');
    expect(listeners.size).toBe(1);
    const composed = state.composed;
    for (const listener of listeners) listener();
    expect(state.composed).toBe(composed);

    // Pointer gone, focus stays: still live.
    title.leave('pointer');
    change(5);
    expect(element.title).toBe('Firefox\nLast changed at 5');
    title.leave('focus');
    expect(element.title).toBe('Firefox');
    expect(listeners.size).toBe(0);
    const atRest = state.composed;
    change(6);
    expect(state.composed).toBe(atRest);
    expect(element.title).toBe('Firefox');
  });

  it('refresh words the title again only while it is showing', () => {
    const { title, state, words } = source();
    const element = document.createElement('button');
    title.refresh(words);
    expect(state.composed).toBe(0);
    title.enter(element, 'pointer');
    element.title = 'Firefox (renamed)';
    title.refresh({ ...words, compose: (value) => `Firefox (renamed)\nLast changed at ${value?.at}` });
    expect(element.title).toBe('Firefox (renamed)\nLast changed at 1');
  });
});
