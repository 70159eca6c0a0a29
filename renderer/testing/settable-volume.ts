// A VolumeSource (controls/slider-view.ts) a test sets by hand, as the store's changes would.
import type { VolumeSource } from '../controls/slider-view';

export interface SettableVolume extends VolumeSource {
  set(volume: number | null): void;
}

export function settableVolume(initial: number | null): SettableVolume {
  let volume = initial;
  const listeners = new Set<() => void>();
  return {
    read: () => volume,
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    set(next) {
      volume = next;
      for (const listener of listeners) listener();
    },
  };
}
