// What the coreaudio backend's parts (device registry, session lifecycle) share: the OS
// seam, the capabilities proven so far, and the ways out (events, warnings).
import type { BackendEvent, Capabilities } from '../types';
import type * as AppPackage from './app-package';
import type { AudioSystem } from './system';

export interface BackendContext {
  readonly system: AudioSystem;
  /** The package lookups, loaded at start where the system runs packaged apps; null where it does not. */
  readonly packages: typeof AppPackage | null;
  /** Turned off as the platform proves it cannot (a missing meter at start; E_NOTIMPL from the first real call). */
  readonly capabilities: Capabilities;
  /** SndMix's own event context, for changes the AudioBackend interface gives none (device volume). */
  readonly eventContext: string;
  isClosed(): boolean;
  emit(event: BackendEvent): void;
  /** Warns once per key: a failing OS call repeats, the warning does not. */
  warnOnce(key: string, message: string): void;
}
