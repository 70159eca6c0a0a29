// ffi-rs as every module of this process must call it (never import `load`/`open` from
// 'ffi-rs' elsewhere). ffi-rs keeps its opened libraries and the symbols it looked up in
// process-wide tables with no lock (its src/lib.rs: LIBRARY_MAP, a `static mut` HashMap of
// HashMaps): `open` of a new library and the first `load` of a function insert into them,
// every `load` reads them. SndMix calls ffi-rs from two JS threads, Node's main one and the
// sink thread (sink-thread.ts): an insert on one while the other reads or inserts corrupts
// the heap or calls through a stale pointer (measured under Wine: two threads opening and
// loading at once fault within seconds inside ffi-rs). The rule, so that the sink thread never waits on a call that may wait
// on Core Audio (issue 15 defect 1):
// - inserts happen only under `tableLock`, and the lock covers the insert alone, never a
//   call: a name is looked up by a `load` whose argument ffi-rs cannot convert (it looks the
//   name up, records it, then fails on the argument before calling anything), and a library
//   is loaded (LoadLibraryW) before ffi-rs's `open` records it. A first call that takes long
//   (an icon extracted, a DLL initialised) used to hold the lock for its whole length while
//   Core Audio's thread waited on the sink thread: the double's 200 ms watchdog fired;
// - the sink thread takes `tableLock` around each of its calls (all short), and inserts
//   nothing: its functions are looked up here before it starts (SINK_THREAD_FUNCTIONS);
// - a `load` of a name already looked up only reads the tables and takes no lock (two
//   readers at once are safe), so a Core Audio call never holds the sink thread up.
import { DataType, load as ffiLoad, open as ffiOpen, type OpenParams } from 'ffi-rs';

export { DataType };

/** 0 free, 1 held: shared with the sink thread (its workerData). */
export const tableLock = new Int32Array(new SharedArrayBuffer(4));

const opened = new Set<string>();
const looked = new Set<string>();

/**
 * Runs `run` holding `lock` (tableLock, or the sink thread's view of it). Self-contained: the
 * sink thread's source embeds this function's own text, so both threads take the lock one way.
 */
export function withTableLock<T>(lock: Int32Array, run: () => T): T {
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 1);
  try {
    return run();
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0);
  }
}

export function open(params: OpenParams): void {
  if (opened.has(params.library)) return;
  // The slow part (the DLL's loading and initialisation) outside the lock: ffi-rs's own
  // LoadLibrary then finds it loaded. The reference taken here is never given back (neither is ffi-rs's).
  if (process.platform === 'win32' && params.path !== '' && params.library !== KERNEL32) loadLibrary(params.path);
  withTableLock(tableLock, () => ffiOpen(params));
  opened.add(params.library);
}

const KERNEL32 = 'kernel32';
/** Not a number: ffi-rs fails to convert it after the lookup, before any call. */
const LOOK_UP_ONLY = 'look the name up, call nothing';

/** Records `library!funcName` in ffi-rs's tables (found or not) without calling it. */
function lookUp(library: string, funcName: string): void {
  const key = `${library}\0${funcName}`;
  if (looked.has(key)) return;
  withTableLock(tableLock, () => {
    try {
      ffiLoad({ library, funcName, retType: DataType.Void, paramsType: [DataType.I32], paramsValue: [LOOK_UP_ONLY] });
    } catch {
      // Expected: the argument is refused (or the name is not exported: the real call says so).
    }
  });
  looked.add(key);
}

function loadLibrary(path: string): void {
  open({ library: KERNEL32, path: 'kernel32.dll' });
  lookUp(KERNEL32, 'LoadLibraryW');
  ffiLoad({ library: KERNEL32, funcName: 'LoadLibraryW', retType: DataType.BigInt, paramsType: [DataType.U8Array], paramsValue: [Buffer.from(`${path}\0`, 'utf16le')] });
}

/** ffi-rs's `load`, with its own signature. */
export const load: typeof ffiLoad = (params) => {
  lookUp(params.library, params.funcName);
  return ffiLoad(params);
};

/** Every function the sink thread calls, by library: looked up here before it starts, so that it never inserts. */
export const SINK_THREAD_FUNCTIONS = {
  kernel32: ['RtlMoveMemory', 'lstrlenW', 'GetModuleHandleW', 'GetProcAddress'],
  msvcrt: ['memcpy'],
  ole32: ['CoTaskMemAlloc', 'CoTaskMemFree'],
  oleaut32: ['DispCallFunc'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Looks up SINK_THREAD_FUNCTIONS with calls that change nothing (a zero-length copy, the
 * length of NULL, ...); DispCallFunc with no instance calls the function at `oVft` itself.
 */
export function lookUpSinkThreadFunctions(): void {
  const { BigInt: Ptr, I32, Void, U8Array } = DataType;
  for (const library of Object.keys(SINK_THREAD_FUNCTIONS)) open({ library, path: `${library}.dll` });
  load({ library: 'kernel32', funcName: 'RtlMoveMemory', retType: Void, paramsType: [Ptr, Ptr, Ptr], paramsValue: [0n, 0n, 0n] });
  load({ library: 'kernel32', funcName: 'lstrlenW', retType: I32, paramsType: [Ptr], paramsValue: [0n] });
  const kernel32 = load({
    library: 'kernel32', funcName: 'GetModuleHandleW', retType: Ptr, paramsType: [U8Array],
    paramsValue: [Buffer.from('kernel32.dll\0', 'utf16le')],
  }) as bigint;
  const processId = load({
    library: 'kernel32', funcName: 'GetProcAddress', retType: Ptr, paramsType: [Ptr, DataType.String],
    paramsValue: [kernel32, 'GetCurrentProcessId'],
  }) as bigint;
  load({ library: 'msvcrt', funcName: 'memcpy', retType: Ptr, paramsType: [Ptr, Ptr, Ptr], paramsValue: [0n, 0n, 0n] });
  const block = load({ library: 'ole32', funcName: 'CoTaskMemAlloc', retType: Ptr, paramsType: [Ptr], paramsValue: [24n] }) as bigint;
  try {
    // VT_I4 (3) result into the 24-byte block; CC_STDCALL (4); no arguments.
    load({
      library: 'oleaut32', funcName: 'DispCallFunc', retType: I32,
      paramsType: [Ptr, Ptr, I32, I32, I32, Ptr, Ptr, Ptr],
      paramsValue: [0n, processId, 4, 3, 0, 0n, 0n, block],
    });
  } finally {
    load({ library: 'ole32', funcName: 'CoTaskMemFree', retType: Void, paramsType: [Ptr], paramsValue: [block] });
  }
}
