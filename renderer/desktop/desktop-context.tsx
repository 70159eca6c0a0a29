// The desktop API and its store through context; absent (null) in web mode.
import type { ReactNode } from 'react';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DesktopApi } from '../../core/contract';
import type { DesktopStore, DesktopStoreState } from './desktop-store';
import { createDesktopStore } from './desktop-store';

interface DesktopServices {
  api: DesktopApi;
  store: DesktopStore;
}

const DesktopContext = createContext<DesktopServices | null>(null);
// Web mode reads from a store that never fills, so hooks keep one shape on both targets.
const absent = createDesktopStore();

export function DesktopProvider({ api, store, children }: { api: DesktopApi; store: DesktopStore; children: ReactNode }) {
  return <DesktopContext value={{ api, store }}>{children}</DesktopContext>;
}

/** The desktop API, or null in web mode. */
export function useDesktopApi(): DesktopApi | null {
  return useContext(DesktopContext)?.api ?? null;
}

export function useDesktop<T>(selector: (state: DesktopStoreState) => T): T {
  return useStore(useContext(DesktopContext)?.store ?? absent, selector);
}
