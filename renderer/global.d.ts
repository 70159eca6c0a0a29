// What the Electron preload exposes; absent in web mode (a browser talking to `sndmix serve`).
import type { MixerApi } from '../core/contract';
import type { DesktopApi } from '../core/desktop-api';

declare global {
  interface Window {
    sndmix?: MixerApi;
    /** The desktop app's settings and flyout actions; absent in web mode. */
    sndmixDesktop?: DesktopApi;
  }
}

export {};
