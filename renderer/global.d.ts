// What the Electron preload exposes; absent in web mode (a browser talking to `sndmix serve`).
import type { DesktopApi, MixerApi } from '../core/contract';

declare global {
  interface Window {
    sndmix?: MixerApi;
    /** The desktop app's settings and flyout actions; absent in web mode. */
    sndmixDesktop?: DesktopApi;
  }
}

export {};
