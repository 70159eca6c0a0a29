// HRESULTs by name, and the error a failed COM call throws. Values are the unsigned
// 32-bit numbers the SDK headers spell (0x80004003, not -2147467261).

export type HResult = number;

interface HResultEntry {
  readonly name: string;
  readonly value: HResult;
  /** How the SDK headers spell it, for the conformance probe; the name unless it is not a macro there. */
  readonly c: string;
}

function entry(name: string, value: HResult, c: string = name): HResultEntry {
  return { name, value: value >>> 0, c };
}

/** Every HRESULT this project names. The conformance probe checks each against the headers. */
export const HRESULTS: readonly HResultEntry[] = [
  entry('S_OK', 0),
  entry('S_FALSE', 1),
  entry('E_NOTIMPL', 0x80004001),
  entry('E_NOINTERFACE', 0x80004002),
  entry('E_POINTER', 0x80004003),
  entry('E_ABORT', 0x80004004),
  entry('E_FAIL', 0x80004005),
  entry('E_UNEXPECTED', 0x8000ffff),
  entry('E_ACCESSDENIED', 0x80070005),
  entry('E_HANDLE', 0x80070006),
  entry('E_OUTOFMEMORY', 0x8007000e),
  entry('E_INVALIDARG', 0x80070057),
  // Not a macro in the SDK: IMMDeviceEnumerator's answer for an unknown device or missing default.
  entry('E_NOTFOUND', 0x80070490, 'HRESULT_FROM_WIN32(ERROR_NOT_FOUND)'),
  entry('CO_E_NOTINITIALIZED', 0x800401f0),
  entry('RPC_E_CHANGED_MODE', 0x80010106),
  entry('REGDB_E_CLASSNOTREG', 0x80040154),
  entry('CLASS_E_NOAGGREGATION', 0x80040110),
  entry('DISP_E_BADVARTYPE', 0x80020008),
  entry('AUDCLNT_E_NOT_INITIALIZED', 0x88890001),
  entry('AUDCLNT_E_ALREADY_INITIALIZED', 0x88890002),
  entry('AUDCLNT_E_WRONG_ENDPOINT_TYPE', 0x88890003),
  entry('AUDCLNT_E_DEVICE_INVALIDATED', 0x88890004),
  entry('AUDCLNT_E_NOT_STOPPED', 0x88890005),
  entry('AUDCLNT_E_BUFFER_TOO_LARGE', 0x88890006),
  entry('AUDCLNT_E_OUT_OF_ORDER', 0x88890007),
  entry('AUDCLNT_E_UNSUPPORTED_FORMAT', 0x88890008),
  entry('AUDCLNT_E_INVALID_SIZE', 0x88890009),
  entry('AUDCLNT_E_DEVICE_IN_USE', 0x8889000a),
  entry('AUDCLNT_E_BUFFER_OPERATION_PENDING', 0x8889000b),
  entry('AUDCLNT_E_THREAD_NOT_REGISTERED', 0x8889000c),
  entry('AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED', 0x8889000e),
  entry('AUDCLNT_E_ENDPOINT_CREATE_FAILED', 0x8889000f),
  entry('AUDCLNT_E_SERVICE_NOT_RUNNING', 0x88890010),
  entry('AUDCLNT_E_RESOURCES_INVALIDATED', 0x88890026),
  entry('AUDCLNT_S_BUFFER_EMPTY', 0x08890001),
  entry('AUDCLNT_S_THREAD_ALREADY_REGISTERED', 0x08890002),
  entry('AUDCLNT_S_POSITION_STALLED', 0x08890003),
  // Absent from mingw-w64's audioclient.h; the Windows SDK defines it as AUDCLNT_SUCCESS(0x00d).
  entry('AUDCLNT_S_NO_SINGLE_PROCESS', 0x0889000d, 'AUDCLNT_SUCCESS(0x00d)'),
];

const byName = new Map(HRESULTS.map((item) => [item.name, item.value]));
const byValue = new Map(HRESULTS.map((item) => [item.value, item.name]));

function named(name: string): HResult {
  const value = byName.get(name);
  if (value === undefined) throw new Error(`unknown HRESULT name ${name}`);
  return value;
}

export const S_OK = named('S_OK');
export const S_FALSE = named('S_FALSE');
export const E_NOTIMPL = named('E_NOTIMPL');
export const E_NOINTERFACE = named('E_NOINTERFACE');
export const E_POINTER = named('E_POINTER');
export const E_FAIL = named('E_FAIL');
export const E_UNEXPECTED = named('E_UNEXPECTED');
export const E_INVALIDARG = named('E_INVALIDARG');
export const E_ACCESSDENIED = named('E_ACCESSDENIED');
export const E_OUTOFMEMORY = named('E_OUTOFMEMORY');
export const E_NOTFOUND = named('E_NOTFOUND');
export const RPC_E_CHANGED_MODE = named('RPC_E_CHANGED_MODE');
export const REGDB_E_CLASSNOTREG = named('REGDB_E_CLASSNOTREG');
export const AUDCLNT_E_DEVICE_INVALIDATED = named('AUDCLNT_E_DEVICE_INVALIDATED');
export const AUDCLNT_E_NOT_STOPPED = named('AUDCLNT_E_NOT_STOPPED');
export const AUDCLNT_E_SERVICE_NOT_RUNNING = named('AUDCLNT_E_SERVICE_NOT_RUNNING');
export const AUDCLNT_E_RESOURCES_INVALIDATED = named('AUDCLNT_E_RESOURCES_INVALIDATED');
export const AUDCLNT_S_NO_SINGLE_PROCESS = named('AUDCLNT_S_NO_SINGLE_PROCESS');

/** SUCCEEDED(hr): the severity bit is clear. Accepts signed and unsigned spellings. */
export function succeeded(hr: HResult): boolean {
  return (hr | 0) >= 0;
}

export function hresultHex(hr: HResult): string {
  return `0x${(hr >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** The symbolic name, or null for an HRESULT this project does not name. */
export function hresultName(hr: HResult): string | null {
  return byValue.get(hr >>> 0) ?? null;
}

/** "E_POINTER (0x80004003)", or just the hex for unnamed values. */
export function describeHResult(hr: HResult): string {
  const name = hresultName(hr);
  return name ? `${name} (${hresultHex(hr)})` : hresultHex(hr);
}

/** A COM call that returned a failure HRESULT. */
export class ComError extends Error {
  readonly hresult: HResult;
  /** The symbolic name (E_NOTIMPL, AUDCLNT_E_DEVICE_INVALIDATED...), or the hex value. */
  readonly code: string;

  constructor(
    hresult: HResult,
    /** "Interface.Method" that failed. */
    readonly call: string,
  ) {
    super(`${call} failed: ${describeHResult(hresult)}`);
    this.name = 'ComError';
    this.hresult = hresult >>> 0;
    this.code = hresultName(hresult) ?? hresultHex(hresult);
  }
}

export function isComError(error: unknown, hresult?: HResult): error is ComError {
  return error instanceof ComError && (hresult === undefined || error.hresult === hresult >>> 0);
}

/** Throws ComError for a failure; returns the (success) HRESULT so S_FALSE stays visible. */
export function check(hr: HResult, call: string): HResult {
  if (!succeeded(hr)) throw new ComError(hr, call);
  return hr >>> 0;
}
