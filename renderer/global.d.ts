// What the Electron preload exposes; absent in web mode (a browser talking to `sndmix serve`).
import type { MixerApi } from '../core/contract';

declare global {
  interface Window {
    sndmix?: MixerApi;
  }
}

export {};
