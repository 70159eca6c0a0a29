import { describe, expect, it } from 'vitest';
import type { SessionNote } from '../../core/contract';
import { SPEAKERS, patch, session, snapshot } from '../testing/fixtures';
import { selectStrip } from './selectors';
import { createMixerStore } from './store';
import { subscribeStrip } from './strip-changes';

const note = (appKey: string): SessionNote => ({ appKey, lastChange: null, changesItself: false });

/** A store with firefox and spotify on the speakers, each strip subscribed; `woken` lists whom each change woke. */
function subscribedStrips() {
  const store = createMixerStore();
  store.getState().applyMessage(snapshot({ notes: { firefox: note('app:firefox'), spotify: note('app:spotify') } }));
  const woken: string[] = [];
  const stops = ['firefox', 'spotify'].map((key) => {
    // As a mounted strip does: it has selected its strip before any change.
    selectStrip(store.getState(), SPEAKERS, 'render', key);
    return subscribeStrip(store, SPEAKERS, 'render', key, () => woken.push(key));
  });
  return { store, woken, stop: () => stops.forEach((stop) => stop()) };
}

describe('subscribeStrip', () => {
  it("wakes only the strip of the session a patch changed, and only the strip of a changed note", () => {
    const { store, woken } = subscribedStrips();
    store.getState().applyMessage(patch({ changed: [{ id: 'firefox', changes: { volume: 0.2 } }] }));
    expect(woken).toEqual(['firefox']);
    woken.length = 0;
    store.getState().applyMessage({ ...patch(), notes: { spotify: { ...note('app:spotify'), changesItself: true } } });
    expect(woken).toEqual(['spotify']);
  });

  it('wakes every strip when strips come or go, or when anything else in the state changes', () => {
    const { store, woken } = subscribedStrips();
    store.getState().applyMessage(patch({ added: [session('vlc')] }));
    expect(woken.sort()).toEqual(['firefox', 'spotify']);
    woken.length = 0;
    store.getState().setConnection('reconnecting');
    expect(woken.sort()).toEqual(['firefox', 'spotify']);
    woken.length = 0;
    store.getState().applyMessage(snapshot());
    expect(woken.sort()).toEqual(['firefox', 'spotify']);
  });

  it('wakes no strip for a change of a session on another device', () => {
    const { store, woken } = subscribedStrips();
    store.getState().applyMessage(patch({ added: [session('recorder', { deviceId: 'dev-mic', flow: 'capture' })] }));
    woken.length = 0;
    store.getState().applyMessage(patch({ changed: [{ id: 'recorder', changes: { volume: 0.3 } }] }));
    expect(woken).toEqual([]);
  });

  it('stops listening to the store once the last strip unsubscribed', () => {
    const { store, woken, stop } = subscribedStrips();
    stop();
    store.getState().setConnection('reconnecting');
    expect(woken).toEqual([]);
  });
});
