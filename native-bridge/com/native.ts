// The system DLL exports the COM runtime calls through ffi-rs. Windows only: importing
// this module elsewhere is harmless, calling openWin32 is not.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DataType, load, open } from './ffi';
import { CC_STDCALL } from './interface';
import { SinkThread, type SinkCall, type SinkVtable, type SinkVtableSpec } from './sink-thread';

const LIBRARIES = {
  ole32: 'ole32.dll',
  oleaut32: 'oleaut32.dll',
  kernel32: 'kernel32.dll',
  msvcrt: 'msvcrt.dll',
} as const;

let opened = false;

function openLibraries(): void {
  if (opened) return;
  for (const [library, path] of Object.entries(LIBRARIES)) open({ library, path });
  opened = true;
}

const dispCallFuncParams = [
  DataType.BigInt, // pvInstance
  DataType.BigInt, // oVft: byte offset of the slot
  DataType.I32, // CALLCONV
  DataType.I32, // VARTYPE vtReturn
  DataType.I32, // cActuals
  DataType.BigInt, // VARTYPE* prgvt
  DataType.BigInt, // VARIANTARG** prgpvarg
  DataType.BigInt, // VARIANT* pvargResult
];

type Library = keyof typeof LIBRARIES;

/** One export as a JS function taking its arguments as an array (ffi-rs's calling shape). */
function bind<R = unknown>(library: Library, funcName: string, retType: DataType, paramsType: DataType[]) {
  return (paramsValue: unknown[]): R => load({ library, funcName, retType, paramsType, paramsValue }) as R;
}

function bindOffThread<R = unknown>(library: Library, funcName: string, retType: DataType, paramsType: DataType[]) {
  return (paramsValue: unknown[]): Promise<R> =>
    load({ library, funcName, retType, paramsType, paramsValue, runInNewThread: true }) as Promise<R>;
}

function defineWin32() {
  openLibraries();
  const { BigInt: Ptr, I32, Void, U8Array, External } = DataType;
  return {
    DispCallFunc: bind<number>('oleaut32', 'DispCallFunc', I32, dispCallFuncParams),
    DispCallFuncOffThread: bindOffThread<number>('oleaut32', 'DispCallFunc', I32, dispCallFuncParams),
    CoInitializeEx: bind<number>('ole32', 'CoInitializeEx', I32, [Ptr, I32]),
    CoIncrementMTAUsage: bind<number>('ole32', 'CoIncrementMTAUsage', I32, [Ptr]),
    CoCreateInstance: bind<number>('ole32', 'CoCreateInstance', I32, [Ptr, Ptr, I32, Ptr, Ptr]),
    CoTaskMemAlloc: bind<bigint>('ole32', 'CoTaskMemAlloc', Ptr, [Ptr]),
    CoTaskMemFree: bind<undefined>('ole32', 'CoTaskMemFree', Void, [Ptr]),
    PropVariantClear: bind<number>('ole32', 'PropVariantClear', I32, [Ptr]),
    ReadMemory: bind<undefined>('kernel32', 'RtlMoveMemory', Void, [U8Array, Ptr, Ptr]),
    WriteMemory: bind<undefined>('kernel32', 'RtlMoveMemory', Void, [Ptr, U8Array, Ptr]),
    lstrlenW: bind<number>('kernel32', 'lstrlenW', I32, [Ptr]),
    GetCurrentProcessId: bind<number>('kernel32', 'GetCurrentProcessId', I32, []),
    GetCurrentThreadId: bind<number>('kernel32', 'GetCurrentThreadId', I32, []),
    // memcpy(p, p, 0) returns p: the numeric address of a Buffer's bytes or of an External.
    AddressOfBuffer: bind<bigint>('msvcrt', 'memcpy', Ptr, [U8Array, U8Array, Ptr]),
    AddressOfExternal: bind<bigint>('msvcrt', 'memcpy', Ptr, [External, External, Ptr]),
  };
}

type Defined = ReturnType<typeof defineWin32>;

export interface Win32 {
  dispCallFunc(args: DispCallArgs): number;
  dispCallFuncOffThread(args: DispCallArgs): Promise<number>;
  coInitializeEx(mode: number): number;
  coIncrementMtaUsage(cookieSlot: bigint): number;
  coCreateInstance(clsid: bigint, context: number, iid: bigint, out: bigint): number;
  coTaskMemAlloc(size: number): bigint;
  coTaskMemFree(address: bigint): void;
  propVariantClear(address: bigint): number;
  readMemory(target: Buffer, source: bigint, length: number): void;
  writeMemory(target: bigint, source: Buffer, length: number): void;
  wideStringLength(address: bigint): number;
  currentProcessId(): number;
  currentThreadId(): number;
  addressOfBuffer(buffer: Buffer): bigint;
  addressOfExternal(external: unknown): bigint;
  /** A sink vtable built on the sink thread (see sink-thread.ts): its calls never wait on this thread. */
  createSinkVtable(spec: SinkVtableSpec): SinkVtable;
  /** Where the sink thread's calls arrive (on this thread, after Core Audio got its answer). */
  onSinkCall(listener: (call: SinkCall) => void): void;
}

export interface DispCallArgs {
  instance: bigint;
  slotOffset: bigint;
  returnType: number;
  count: number;
  types: bigint;
  args: bigint;
  result: bigint;
}

function dispCallValues(call: DispCallArgs): unknown[] {
  return [call.instance, call.slotOffset, CC_STDCALL, call.returnType, call.count, call.types, call.args, call.result];
}

/** Where ffi-rs's JS entry is, for the sink thread to load the same copy. */
function ffiRsEntry(): string {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  return createRequire(here).resolve('ffi-rs');
}

let win32: Win32 | null = null;
let sinkThread: SinkThread | null = null;
let sinkListener: ((call: SinkCall) => void) | null = null;

/** The process-wide binding (opening a DLL twice is pointless). */
export function openWin32(): Win32 {
  if (win32) return win32;
  const fns: Defined = defineWin32();
  win32 = {
    dispCallFunc: (call) => fns.DispCallFunc(dispCallValues(call)),
    dispCallFuncOffThread: (call) => fns.DispCallFuncOffThread(dispCallValues(call)),
    coInitializeEx: (mode) => fns.CoInitializeEx([0n, mode]),
    coIncrementMtaUsage: (cookieSlot) => fns.CoIncrementMTAUsage([cookieSlot]),
    coCreateInstance: (clsid, context, iid, out) => fns.CoCreateInstance([clsid, 0n, context, iid, out]),
    coTaskMemAlloc: (size) => fns.CoTaskMemAlloc([BigInt(size)]),
    coTaskMemFree: (address) => {
      fns.CoTaskMemFree([address]);
    },
    propVariantClear: (address) => fns.PropVariantClear([address]),
    readMemory: (target, source, length) => {
      fns.ReadMemory([target, source, BigInt(length)]);
    },
    writeMemory: (target, source, length) => {
      fns.WriteMemory([target, source, BigInt(length)]);
    },
    wideStringLength: (address) => fns.lstrlenW([address]),
    currentProcessId: () => fns.GetCurrentProcessId([]),
    currentThreadId: () => fns.GetCurrentThreadId([]),
    addressOfBuffer: (buffer) => fns.AddressOfBuffer([buffer, buffer, 0n]),
    addressOfExternal: (external) => fns.AddressOfExternal([external, external, 0n]),
    createSinkVtable: (spec) => {
      sinkThread ??= new SinkThread(ffiRsEntry(), (call) => sinkListener?.(call));
      return sinkThread.createVtable(spec);
    },
    onSinkCall: (listener) => {
      sinkListener = listener;
    },
  };
  return win32;
}
