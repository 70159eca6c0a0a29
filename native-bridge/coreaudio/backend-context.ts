// What the coreaudio backend's parts (device registry, session lifecycle) share: the OS
// seam, the capabilities proven so far, and the ways out (events, warnings).
import type { BackendEvent, Capabilities } from '../types';
import type { AudioSystem } from './system';

export interface BackendContext {
  readonly system: AudioSystem;
  /** Turned off as the platform proves it cannot (E_NOTIMPL at the probe or later). */
  readonly capabilities: Capabilities;
  /** SndMix's own event context, for changes the AudioBackend interface gives none (device volume). */
  readonly eventContext: string;
  isClosed(): boolean;
  emit(event: BackendEvent): void;
  /** Warns once per key: a failing OS call repeats, the warning does not. */
  warnOnce(key: string, message: string): void;
}
