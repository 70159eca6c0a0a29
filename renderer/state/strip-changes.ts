// Store subscriptions per strip. Every zustand subscriber is asked at every store change,
// and a mixer of 500 strips would run 500 selectors for one session's volume step: here
// one store subscription hears the change and wakes only the strips it can have changed
// (changedStripKeys), or every strip when the change was to anything else.
import type { Flow } from '../../native-bridge/types';
import { changedStripKeys } from './selectors';
import type { MixerState, MixerStore } from './store';

type Listener = () => void;

/** The strips of one device and flow, by key. */
interface Panel {
  deviceId: string;
  flow: Flow;
  byKey: Map<string, Set<Listener>>;
}

class StripChanges {
  private readonly panels = new Map<string, Panel>();
  private listeners = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly store: MixerStore) {}

  subscribe(deviceId: string, flow: Flow, key: string, listener: Listener): () => void {
    const panelKey = `${flow}\u0000${deviceId}`;
    let panel = this.panels.get(panelKey);
    if (!panel) this.panels.set(panelKey, (panel = { deviceId, flow, byKey: new Map() }));
    let set = panel.byKey.get(key);
    if (!set) panel.byKey.set(key, (set = new Set()));
    set.add(listener);
    this.listeners += 1;
    this.unsubscribe ??= this.store.subscribe((state, previous) => this.changed(state, previous));
    return () => {
      if (!set.delete(listener)) return;
      if (set.size === 0) panel.byKey.delete(key);
      if (panel.byKey.size === 0) this.panels.delete(panelKey);
      this.listeners -= 1;
      if (this.listeners === 0) {
        this.unsubscribe?.();
        this.unsubscribe = null;
      }
    };
  }

  private changed(state: MixerState, previous: MixerState): void {
    // Gathered first: a listener's re-render may subscribe or unsubscribe others.
    const wake: Listener[] = [];
    for (const panel of this.panels.values()) {
      const keys = changedStripKeys(state, previous, panel.deviceId, panel.flow);
      if (keys === null) {
        for (const set of panel.byKey.values()) wake.push(...set);
      } else {
        for (const key of keys) wake.push(...(panel.byKey.get(key) ?? []));
      }
    }
    for (const listener of wake) listener();
  }
}

const perStore = new WeakMap<MixerStore, StripChanges>();

/** Subscribes to the changes that can change one strip (and to every other change of the state). */
export function subscribeStrip(store: MixerStore, deviceId: string, flow: Flow, key: string, listener: Listener): () => void {
  let changes = perStore.get(store);
  if (!changes) perStore.set(store, (changes = new StripChanges(store)));
  return changes.subscribe(deviceId, flow, key, listener);
}
