// The renderer's one store: what the engine host told us (snapshot + patches), what the
// user picked, and transient UI notices. Strips are not stored: they are derived
// (see strips.ts), so nothing here can disagree with the sessions it came from.
import { createStore } from 'zustand/vanilla';
import type { BackendInfo, ServerMessage } from '../../core/contract';
import type { DeviceRecord, Flow, SessionRecord } from '../../native-bridge/types';
import { PROTOCOL_VERSION } from '../../core/contract';
import type { PatchMessage } from './apply-patch';
import { patchDevices, patchSessions } from './apply-patch';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'unavailable';

export interface ErrorNotice {
  id: number;
  message: string;
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
  /** The user's explicit choice; null follows the default device. */
  selectedDeviceId: string | null;
  selectedCaptureDeviceId: string | null;
  showCapture: boolean;
  /** Every playback device at once, each its own panel, instead of the picked one. */
  showAllDevices: boolean;
  showTimeline: boolean;
  inspected: InspectedStrip | null;
  errors: readonly ErrorNotice[];

  applyMessage(message: ServerMessage): void;
  setConnection(status: ConnectionStatus, problem?: string): void;
  selectDevice(deviceId: string | null): void;
  selectCaptureDevice(deviceId: string | null): void;
  setShowCapture(show: boolean): void;
  setShowAllDevices(show: boolean): void;
  setShowTimeline(show: boolean): void;
  /** Opens the inspector on a strip; null closes it. */
  inspectStrip(strip: InspectedStrip | null): void;
  reportError(message: string): void;
  dismissError(id: number): void;
}

export type MixerStore = ReturnType<typeof createMixerStore>;

const MAX_VISIBLE_ERRORS = 4;

export function createMixerStore(initial: Partial<Pick<MixerState, 'showCapture' | 'showAllDevices' | 'showTimeline'>> = {}) {
  let nextErrorId = 1;
  return createStore<MixerState>()((set, get) => ({
    connection: 'connecting',
    connectionProblem: null,
    backend: null,
    devices: new Map(),
    sessions: new Map(),
    selectedDeviceId: null,
    selectedCaptureDeviceId: null,
    showCapture: initial.showCapture ?? false,
    showAllDevices: initial.showAllDevices ?? false,
    showTimeline: initial.showTimeline ?? false,
    inspected: null,
    errors: [],

    applyMessage(message) {
      switch (message.type) {
        case 'snapshot':
          if (message.protocol !== PROTOCOL_VERSION) {
            get().reportError(
              `The server speaks protocol ${message.protocol}, this window expects ${PROTOCOL_VERSION}: reload or update SndMix.`,
            );
          }
          set({
            backend: message.backend,
            devices: new Map(message.devices.map((device) => [device.id, device])),
            sessions: new Map(message.sessions.map((session) => [session.id, session])),
          });
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
      set({ connection: status, connectionProblem: problem ?? null });
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
    inspectStrip(strip) {
      set({ inspected: strip });
    },
    reportError(message) {
      const notice = { id: nextErrorId++, message };
      // Oldest first; a burst of failures must not bury the window.
      set((state) => ({ errors: [...state.errors, notice].slice(-MAX_VISIBLE_ERRORS) }));
    },
    dismissError(id) {
      set((state) => ({ errors: state.errors.filter((notice) => notice.id !== id) }));
    },
  }));
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
    update.sessions = sessions;
  }
  return update;
}
