// The System Sounds session as Windows has it: one cross-process session per render
// endpoint, owned by the audio service (pid 0), reporting resource strings as its name and
// icon (R19). What it is, written once; session-lifecycle.ts creates it with each render
// device and streams.ts plays sounds through it.
import type { SessionIdentity } from '../windows-rules/session-identity';

/** The System Sounds session's GUID (cross-process, one per render device). */
export const SYSTEM_SOUNDS_GUID = '{A9EF3FD9-4240-455E-A4D5-F2B3301887B2}';
/** What Windows' System Sounds session reports as its display name and icon path: resource strings (R19). */
export const SYSTEM_SOUNDS_DISPLAY_NAME = '@%SystemRoot%\\System32\\AudioSrv.Dll,-202';
export const SYSTEM_SOUNDS_ICON_PATH = '@%SystemRoot%\\System32\\AudioSrv.Dll,-203';
/** How long a notification sound plays when the scenario does not say. */
export const DEFAULT_SYSTEM_SOUND_MS = 500;

export function systemSoundsIdentity(deviceId: string): SessionIdentity {
  return { sessionGuid: SYSTEM_SOUNDS_GUID, crossProcess: true, pid: 0, deviceId, flow: 'render' };
}
