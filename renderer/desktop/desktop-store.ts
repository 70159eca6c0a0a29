// What the window knows of the desktop app (settings, the backend process, hotkey
// problems) and which page it shows. Exists only in the desktop app: web mode has no
// desktop API, and components that need one render nothing there.
import { createStore } from 'zustand/vanilla';
import type { DesktopApi, DesktopPage, DesktopState } from '../../core/contract';

export interface DesktopStoreState {
  desktop: DesktopState | null;
  page: DesktopPage;
  showPage(page: DesktopPage): void;
  receive(state: DesktopState): void;
}

export type DesktopStore = ReturnType<typeof createDesktopStore>;

export function createDesktopStore() {
  return createStore<DesktopStoreState>()((set) => ({
    desktop: null,
    page: 'mixer',
    showPage: (page) => set({ page }),
    receive: (desktop) => set({ desktop }),
  }));
}

/** Feeds the store from the desktop API: the current state, then every change. */
export function connectDesktop(api: DesktopApi, store: DesktopStore, onShowPage: (page: DesktopPage, deviceId: string | null) => void): () => void {
  const stopState = api.onState((state) => store.getState().receive(state));
  const stopPages = api.onShowPage((page, deviceId) => {
    store.getState().showPage(page);
    onShowPage(page, deviceId);
  });
  api.getState().then(
    (state) => store.getState().receive(state),
    (error: unknown) => console.error('sndmix: could not read the desktop state', error),
  );
  return () => {
    stopState();
    stopPages();
  };
}
