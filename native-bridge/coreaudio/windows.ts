// Opens the Windows AudioSystem: Core Audio through the COM runtime, Win32 for names and
// icons. Loaded only on Windows (backend.ts imports it dynamically).
import { comRuntime } from '../com/runtime';
import { ComAudioSystem, type ComAudioSystemOptions } from './com-system';
import type { AudioSystem } from './system';
import { createWin32Shell } from './win32-shell';

export function openWindowsAudioSystem(options: ComAudioSystemOptions = {}): AudioSystem {
  return new ComAudioSystem(comRuntime(), createWin32Shell(), options);
}
