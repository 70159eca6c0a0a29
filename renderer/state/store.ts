// The renderer's one store: what the engine host told us (snapshot + patches), what the
// user picked, and transient UI notices. Strips are not stored: they are derived
// (see strips.ts), so nothing here can disagree with the sessions it came from.
import { createStore } from 'zustand/vanilla';
import type { BackendInfo, HeardEntry, Preferences, ProfileList, ResolvedMessage, SessionNote, VolumeScale } from '../../core/contract';
import type { DeviceRecord, Flow, SessionRecord } from '../../native-bridge/types';
import { PROTOCOL_VERSION } from '../../core/contract';
import type { Translate } from '../i18n/i18n';
import { inEnglish } from '../i18n/i18n';
import type { PatchMessage } from './apply-patch';
import { patchDevices, patchSessions } from './apply-patch';
import { withDelta } from './deltas';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'unavailable';

export interface ErrorNotice {
  id: number;
  message: string;
  /** Reported while the server or the backend was unreachable: dismissed when they are back. */
  untilRecovery: boolean;
}

/** The strip whose details the inspector shows. */
export interface InspectedStrip {
  deviceId: string;
  flow: Flow;
  stripKey: string;
  /** Its sessions when picked: the inspector still names them after the strip is gone. */
  sessionIds: readonly string[];
}

export interface MixerState {
  connection: ConnectionStatus;
  /** Why the connection is 'unavailable' (it will not retry by itself). */
  connectionProblem: string | null;
  /** Null until the first snapshot arrived. */
  backend: BackendInfo | null;
  /** Maps keep the backend's order, which the strips follow. */
  devices: ReadonlyMap<string, DeviceRecord>;
  sessions: ReadonlyMap<string, SessionRecord>;
  /** The engine host's notes by session id (app key, last change); a note object is replaced only when it changed. */
  notes: Readonly<Record<string, SessionNote>>;
  /** Hide/rename choices by app key and device id. */
  preferences: Preferences;
  /** Saved profiles, and the ones that could not be read. */
  profiles: ProfileList;
  /** Sessions that started playing lately, newest first. */
  recentlyHeard: readonly HeardEntry[];
  /** The user's explicit choice; null follows the default device. */
  selectedDeviceId: string | null;
  selectedCaptureDeviceId: string | null;
  showCapture: boolean;
  /** Every playback device at once, each its own panel, instead of the picked one. */
  showAllDevices: boolean;
  showTimeline: boolean;
  /** Hidden apps' strips shown (dimmed) instead of left out. */
  showHidden: boolean;
  /** How volumes read: web mode's own choice, the desktop app's settings in Electron (main.tsx feeds it). */
  volumeScale: VolumeScale;
  inspected: InspectedStrip | null;
  errors: readonly ErrorNotice[];

  applyMessage(message: ResolvedMessage): void;
  setConnection(status: ConnectionStatus, problem?: string): void;
  selectDevice(deviceId: string | null): void;
  selectCaptureDevice(deviceId: string | null): void;
  setShowCapture(show: boolean): void;
  setShowAllDevices(show: boolean): void;
  setShowTimeline(show: boolean): void;
  setShowHidden(show: boolean): void;
  setVolumeScale(scale: VolumeScale): void;
  /** Opens the inspector on a strip; null closes it. */
  inspectStrip(strip: InspectedStrip | null): void;
  /** `outage`: the failure was that the server or backend was unreachable (the toast goes when they are back). */
  reportError(message: string, options?: { outage?: boolean }): void;
  dismissError(id: number): void;
}

export type MixerStore = ReturnType<typeof createMixerStore>;

const MAX_VISIBLE_ERRORS = 4;

/** `text` words the store's own notices (the UI's i18n instance; English without one). */
export function createMixerStore(
  initial: Partial<Pick<MixerState, 'showCapture' | 'showAllDevices' | 'showTimeline' | 'volumeScale'>> = {},
  text: Translate = inEnglish,
) {
  let nextErrorId = 1;
  return createStore<MixerState>()((set, get) => ({
    connection: 'connecting',
    connectionProblem: null,
    backend: null,
    devices: new Map(),
    sessions: new Map(),
    notes: {},
    preferences: { apps: {}, devices: {} },
    profiles: { profiles: [], problems: [] },
    recentlyHeard: [],
    selectedDeviceId: null,
    selectedCaptureDeviceId: null,
    showCapture: initial.showCapture ?? false,
    showAllDevices: initial.showAllDevices ?? false,
    showTimeline: initial.showTimeline ?? false,
    showHidden: false,
    volumeScale: initial.volumeScale ?? 'percent',
    inspected: null,
    errors: [],

    applyMessage(message) {
      switch (message.type) {
        case 'snapshot':
          if (message.protocol !== PROTOCOL_VERSION) {
            get().reportError(text('notices.protocolMismatch', { server: message.protocol, expected: PROTOCOL_VERSION }));
          }
          set((state) =>
            withRecovery(state, {
              backend: message.backend,
              devices: new Map(message.devices.map((device) => [device.id, device])),
              sessions: new Map(message.sessions.map((session) => [session.id, session])),
              notes: message.notes,
              preferences: message.preferences,
              profiles: message.profiles,
              recentlyHeard: message.recentlyHeard,
            }),
          );
          return;
        case 'patch':
          set((state) => applyPatch(state, message));
          return;
        case 'peaks':
          // Meters are transient: connectMixer hands peaks to the meter animator, outside React state.
          return;
        case 'events':
          // The timeline has its own store (see timeline/timeline-store.ts); snapshot +
          // patches already carry every change the mixer shows.
          return;
      }
    },

    setConnection(status, problem) {
      set((state) => withRecovery(state, { connection: status, connectionProblem: problem ?? null }));
    },
    selectDevice(deviceId) {
      set({ selectedDeviceId: deviceId });
    },
    selectCaptureDevice(deviceId) {
      set({ selectedCaptureDeviceId: deviceId });
    },
    setShowCapture(show) {
      set({ showCapture: show });
    },
    setShowAllDevices(show) {
      set({ showAllDevices: show });
    },
    setShowTimeline(show) {
      set({ showTimeline: show });
    },
    setShowHidden(show) {
      set({ showHidden: show });
    },
    setVolumeScale(scale) {
      set({ volumeScale: scale });
    },
    inspectStrip(strip) {
      set({ inspected: strip });
    },
    reportError(message, options) {
      const notice = { id: nextErrorId++, message, untilRecovery: options?.outage === true || !isReachable(get()) };
      // Oldest first; a burst of failures must not bury the window.
      set((state) => ({ errors: [...state.errors, notice].slice(-MAX_VISIBLE_ERRORS) }));
    },
    dismissError(id) {
      set((state) => ({ errors: state.errors.filter((notice) => notice.id !== id) }));
    },
  }));
}

/** The server is connected and the backend reaches its audio system. */
export function isReachable(state: Pick<MixerState, 'connection' | 'backend'>): boolean {
  return state.connection === 'open' && state.backend?.disconnected == null;
}

/** An update that makes everything reachable again also clears the toasts about the outage. */
function withRecovery(state: MixerState, update: Partial<MixerState>): Partial<MixerState> {
  const recovered = !isReachable(state) && isReachable({ ...state, ...update });
  if (!recovered || !state.errors.some((notice) => notice.untilRecovery)) return update;
  return { ...update, errors: state.errors.filter((notice) => !notice.untilRecovery) };
}

function applyPatch(state: MixerState, patch: PatchMessage): Partial<MixerState> {
  const update: Partial<MixerState> = {};

  const { upserted, removed: removedDevices } = patch.devices;
  if (upserted.length > 0 || removedDevices.length > 0) {
    const devices = new Map(state.devices);
    patchDevices(devices, patch);
    update.devices = devices;
  }

  const { added, changed, removed } = patch.sessions;
  if (added.length > 0 || changed.length > 0 || removed.length > 0) {
    const sessions = new Map(state.sessions);
    patchSessions(sessions, patch);
    const ids = [...added.map((session) => session.id), ...changed.map((change) => change.id), ...removed];
    update.sessions = withDelta(sessions, state.sessions, ids);
  }

  // A patch's notes are the changed sessions' only; a removed session's note goes with it.
  if (patch.notes !== undefined || removed.length > 0) {
    const merged = { ...state.notes, ...patch.notes };
    const gone = new Set(removed);
    const notes = gone.size === 0 ? merged : Object.fromEntries(Object.entries(merged).filter(([sessionId]) => !gone.has(sessionId)));
    update.notes = withDelta(notes, state.notes, [...Object.keys(patch.notes ?? {}), ...removed]);
  }
  if (patch.preferences !== undefined) update.preferences = patch.preferences;
  if (patch.profiles !== undefined) update.profiles = patch.profiles;
  if (patch.recentlyHeard !== undefined) update.recentlyHeard = patch.recentlyHeard;
  return update;
}
