// What components reach through context: the transport, the store, the event timeline's
// store and the meter loop.
// Components read the store only through selectors, so each re-renders for its own data.
import type { ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Command, MixerApi } from '../../core/contract';
import { StripWords } from '../components/strip-text';
import { createI18n, translator } from '../i18n/i18n';
import type { MeterHost } from '../meters/meter-host';
import { PageMeterHost } from '../meters/meter-host';
import type { Flow } from '../../native-bridge/types';
import type { VolumeSource } from '../controls/slider-view';
import { selectStrip } from '../state/selectors';
import type { MixerState, MixerStore } from '../state/store';
import { subscribeStrip } from '../state/strip-changes';
import type { TimelineState, TimelineStore } from '../timeline/timeline-store';
import { createTimelineStore } from '../timeline/timeline-store';

interface MixerServices {
  api: MixerApi;
  store: MixerStore;
  timeline: TimelineStore;
  meters: MeterHost;
}

const MixerContext = createContext<MixerServices | null>(null);

export function MixerProvider({
  api,
  store,
  timeline: givenTimeline,
  meters: givenMeters,
  i18n: givenI18n,
  children,
}: {
  api: MixerApi;
  store: MixerStore;
  /** Fed by connectMixer; without one the timeline starts empty here. */
  timeline?: TimelineStore;
  /** Fed by connectMixer (or a channel of its own); without one every meter stays silent. */
  meters?: MeterHost;
  /** The strings' language; without one, the browser's preferred language. */
  i18n?: I18n;
  children: ReactNode;
}) {
  const [ownI18n] = useState(() => givenI18n ?? createI18n());
  const i18n = givenI18n ?? ownI18n;
  const [ownMeters] = useState<MeterHost>(() => givenMeters ?? new PageMeterHost());
  const meters = givenMeters ?? ownMeters;
  const [ownTimeline] = useState(() => givenTimeline ?? createTimelineStore());
  const timeline = givenTimeline ?? ownTimeline;
  useEffect(() => () => meters.stop(), [meters]);
  const services = useMemo(() => ({ api, store, timeline, meters }), [api, store, timeline, meters]);
  return (
    <I18nextProvider i18n={i18n}>
      <MixerContext value={services}>
        <StripWordsProvider>{children}</StripWordsProvider>
      </MixerContext>
    </I18nextProvider>
  );
}

const StripWordsContext = createContext<StripWords | null>(null);

/** One StripWords for the language: made again (and every strip re-rendered) when it changes. */
function StripWordsProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const { language } = i18n;
  const words = useMemo(() => new StripWords(translator(i18n), language), [i18n, language]);
  return <StripWordsContext value={words}>{children}</StripWordsContext>;
}

/** What strips word on every render, in the UI's language (one i18n subscription for all of them). */
export function useStripWords(): StripWords {
  const words = useContext(StripWordsContext);
  if (!words) throw new Error('Strips must be rendered inside <MixerProvider>.');
  return words;
}

function useServices(): MixerServices {
  const services = useContext(MixerContext);
  if (!services) throw new Error('Mixer components must be rendered inside <MixerProvider>.');
  return services;
}

export function useMixer<T>(selector: (state: MixerState) => T): T {
  return useStore(useServices().store, selector);
}

/** How a field of useStripFields' object compares, where Object.is is not the comparison wanted. */
export type FieldEquals<T> = { [K in keyof T]?: (a: T[K], b: T[K]) => boolean };

/**
 * What one strip shows: a few fields of the state as one object, kept while every field
 * is the same (Object.is, or the field's own comparison in `equals`: the object kept then
 * holds the field's earlier value). Woken only by changes that can change this strip (see
 * strip-changes.ts): there are hundreds of strips, and one session's change is one strip's.
 */
export function useStripFields<T extends Record<string, unknown>>(
  deviceId: string,
  flow: Flow,
  stripKey: string,
  selector: (state: MixerState) => T,
  equals: FieldEquals<T> = {},
): T {
  const { store } = useServices();
  const previous = useRef<T | null>(null);
  const subscribe = useCallback((listener: () => void) => subscribeStrip(store, deviceId, flow, stripKey, listener), [store, deviceId, flow, stripKey]);
  return useSyncExternalStore(subscribe, () => {
    const next = selector(store.getState());
    const before = previous.current;
    if (before && sameFields(before, next, equals)) return before;
    previous.current = next;
    return next;
  });
}

/** A strip's volume for its slider to follow (slider-view.ts): woken like useStripFields, rendering nothing. */
export function useStripVolume(deviceId: string, flow: Flow, stripKey: string): VolumeSource {
  const { store } = useServices();
  return useMemo(
    () => ({
      read: () => selectStrip(store.getState(), deviceId, flow, stripKey)?.volume ?? null,
      subscribe: (onChange) => subscribeStrip(store, deviceId, flow, stripKey, onChange),
    }),
    [store, deviceId, flow, stripKey],
  );
}

/** A device's volume for its slider to follow (slider-view.ts). */
export function useDeviceVolume(deviceId: string): VolumeSource {
  const { store } = useServices();
  return useMemo(
    () => ({
      read: () => store.getState().devices.get(deviceId)?.volume ?? null,
      subscribe: (onChange) =>
        store.subscribe((state, previous) => {
          if (state.devices !== previous.devices) onChange();
        }),
    }),
    [store, deviceId],
  );
}

// Allocates nothing: it runs at every change a strip is woken for.
function sameFields<T extends Record<string, unknown>>(a: T, b: T, equals: FieldEquals<T>): boolean {
  for (const key in a) if (!(equals[key] ?? Object.is)(a[key], b[key])) return false;
  for (const key in b) if (!(key in a)) return false;
  return true;
}

export function useMixerStore(): MixerStore {
  return useServices().store;
}

/** The event timeline, kept apart from the mixer so its updates never reach the strips. */
export function useTimeline<T>(selector: (state: TimelineState) => T): T {
  return useStore(useServices().timeline, selector);
}

export function useTimelineStore(): TimelineStore {
  return useServices().timeline;
}

export function useMeterHost(): MeterHost {
  return useServices().meters;
}

/** Sends a command; a failure becomes a visible notice starting with `whatFailed`. */
/** Sends a command; a failure is reported as `whatFailed: why`. Settles when it is answered. */
export function useCommand(): (command: Command, whatFailed: string) => Promise<void> {
  const { api, store } = useServices();
  return useCallback(
    (command, whatFailed) => {
      const report = (message: string, outage = false) => store.getState().reportError(`${whatFailed}: ${message}`, { outage });
      return api.request(command).then(
        (result) => {
          if (!result.ok) report(result.error.message, result.error.code === 'disconnected');
        },
        (error: unknown) => report(error instanceof Error ? error.message : String(error)),
      );
    },
    [api, store],
  );
}
