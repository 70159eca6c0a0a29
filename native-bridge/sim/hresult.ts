// HRESULT values the sim facade returns, as the unsigned 32-bit numbers Windows
// headers spell them (0x80004003, not -2147467261).

export type HResult = number;

export const S_OK: HResult = 0;
export const S_FALSE: HResult = 1;
/** IAudioSessionControl2::GetProcessId on a cross-process session. */
export const AUDCLNT_S_NO_SINGLE_PROCESS: HResult = 0x0889000d;

export const E_POINTER: HResult = 0x80004003;
export const E_INVALIDARG: HResult = 0x80070057;
export const E_ACCESSDENIED: HResult = 0x80070005;
/** HRESULT_FROM_WIN32(ERROR_NOT_FOUND): what IMMDeviceEnumerator answers for an unknown device. */
export const E_NOTFOUND: HResult = 0x80070490;
/** Used for calls on a session object whose session has terminated. */
export const E_UNEXPECTED: HResult = 0x8000ffff;
export const AUDCLNT_E_DEVICE_INVALIDATED: HResult = 0x88890004;
export const AUDCLNT_E_NOT_STOPPED: HResult = 0x88890005;

const NAMES = new Map<HResult, string>([
  [S_OK, 'S_OK'],
  [S_FALSE, 'S_FALSE'],
  [AUDCLNT_S_NO_SINGLE_PROCESS, 'AUDCLNT_S_NO_SINGLE_PROCESS'],
  [E_POINTER, 'E_POINTER'],
  [E_INVALIDARG, 'E_INVALIDARG'],
  [E_ACCESSDENIED, 'E_ACCESSDENIED'],
  [E_NOTFOUND, 'E_NOTFOUND'],
  [E_UNEXPECTED, 'E_UNEXPECTED'],
  [AUDCLNT_E_DEVICE_INVALIDATED, 'AUDCLNT_E_DEVICE_INVALIDATED'],
  [AUDCLNT_E_NOT_STOPPED, 'AUDCLNT_E_NOT_STOPPED'],
]);

/** SUCCEEDED(hr): the severity bit is clear. Accepts signed and unsigned spellings. */
export function succeeded(hr: HResult): boolean {
  return (hr | 0) >= 0;
}

/** "E_POINTER (0x80004003)" */
export function describeHResult(hr: HResult): string {
  const hex = `0x${(hr >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
  const name = NAMES.get(hr >>> 0);
  return name ? `${name} (${hex})` : hex;
}

/** An out-parameter: the callee fills `value` on success; passing null gives E_POINTER (R24). */
export interface Out<T> {
  value: T | undefined;
}

export function outParam<T>(): Out<T> {
  return { value: undefined };
}
