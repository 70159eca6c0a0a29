// The sink thread: a worker whose only job is to answer Core Audio's calls into our sinks.
// Decision (issue 15, defect 1): a callback answered on Node's main thread keeps Core
// Audio's thread waiting until the main thread is free, and the main thread makes
// synchronous Core Audio calls that may wait on that same thread or its lock: a deadlock,
// and at best a notification thread held up. This worker never calls Core Audio (it only
// AddRefs an object lent to a sink): it answers QueryInterface itself, copies what the
// caller lends (strings, GUIDs, arrays, a lent object's reference) and returns S_OK at once;
// the call then reaches the main thread as a message. AddRef/Release are a native function
// that runs no JS at all (kernel32!GetCurrentProcessId: a non-zero count whatever the
// argument), because the sinks' lifetime is ours (see sink.ts).
import { Worker } from 'node:worker_threads';
import { lookUpSinkThreadFunctions, SINK_THREAD_FUNCTIONS, tableLock, withTableLock } from './ffi';
import type { CallbackArgType, LentCopy } from './interface';

/** A sink interface as the sink thread needs it: serialisable, methods in vtable order. */
export interface SinkVtableSpec {
  readonly iid: string;
  readonly methods: readonly {
    readonly name: string;
    readonly params: readonly CallbackArgType[];
    readonly lent: readonly (LentCopy | null)[];
  }[];
}

/** One call Core Audio made into a sink, already answered; `memory` holds what it lent. */
export interface SinkCall {
  readonly vtable: number;
  readonly address: bigint;
  readonly slot: number;
  readonly args: readonly (number | bigint)[];
  readonly memory: readonly (readonly [bigint, Uint8Array])[];
}

export interface SinkVtable {
  readonly id: number;
  readonly address: bigint;
  free(): void;
}

const VTABLE_TIMEOUT_MS = 10_000;
/** Room for the reason the sink thread could not start. */
const FAILURE_BYTES = 4096;

// Plain JavaScript run by the worker (eval: it cannot import this project's modules; the
// table lock's loop is ffi.ts's own function, its text embedded).
const SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
try {
  start();
} catch (error) {
  // Tells the main thread at once (it may be blocked waiting for a vtable).
  const text = Buffer.from(String((error && error.stack) || error)).subarray(0, workerData.failure.byteLength - 8);
  new Uint8Array(workerData.failure, 8).set(text);
  const state = new Int32Array(workerData.failure, 0, 1);
  Atomics.store(state, 0, text.length + 1);
  Atomics.notify(state, 0);
}
function start() {
const ffi = require(workerData.ffiRs);
const T = ffi.DataType;
// ffi-rs's tables are shared with the main thread and unlocked (see ffi.ts): every call here
// holds the table lock, and calls only functions the main thread looked up (and opened) for us.
const tableLock = new Int32Array(workerData.tableLock);
const withTableLock = ${withTableLock.toString()};
const locked = (run) => withTableLock(tableLock, run);
const E_NOINTERFACE = 0x80004002 | 0, E_POINTER = 0x80004003 | 0, E_FAIL = 0x80004005 | 0;
const call = (library, funcName, retType, paramsType, paramsValue) => {
  if (!(workerData.functions[library] || []).includes(funcName)) throw new Error(library + '!' + funcName + ' is not looked up for the sink thread');
  return locked(() => ffi.load({ library, funcName, retType, paramsType, paramsValue }));
};
const unsigned = (raw) => BigInt.asUintN(64, BigInt(raw));
const read = (address, length) => {
  const bytes = Buffer.alloc(length);
  if (length > 0) call('kernel32', 'RtlMoveMemory', T.Void, [T.U8Array, T.BigInt, T.BigInt], [bytes, address, BigInt(length)]);
  return bytes;
};
const write = (address, bytes) => call('kernel32', 'RtlMoveMemory', T.Void, [T.BigInt, T.U8Array, T.BigInt], [address, bytes, BigInt(bytes.length)]);
const addressOfExternal = (external) => call('msvcrt', 'memcpy', T.BigInt, [T.External, T.External, T.BigInt], [external, external, 0n]);
const kernel32 = call('kernel32', 'GetModuleHandleW', T.BigInt, [T.U8Array], [Buffer.from('kernel32.dll\0', 'utf16le')]);
const staticReference = call('kernel32', 'GetProcAddress', T.BigInt, [T.BigInt, T.String], [kernel32, 'GetCurrentProcessId']);
function guidBytes(text) {
  const hex = text.replace(/[{}-]/g, '');
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32LE(parseInt(hex.slice(0, 8), 16), 0);
  bytes.writeUInt16LE(parseInt(hex.slice(8, 12), 16), 4);
  bytes.writeUInt16LE(parseInt(hex.slice(12, 16), 16), 6);
  for (let i = 0; i < 8; i++) bytes[8 + i] = parseInt(hex.slice(16 + 2 * i, 18 + 2 * i), 16);
  return bytes;
}
const IUNKNOWN = guidBytes('{00000000-0000-0000-C000-000000000046}');
// IUnknown::AddRef of a lent object through DispCallFunc (slot 1, CC_STDCALL, VT_UI4). The
// result VARIANT is passed as the Buffer itself, never as an address kept in a number: a
// Buffer that only its address refers to is garbage to V8, and once collected DispCallFunc
// wrote VT_UI4 and the count into a freed heap block (issue 15: the Wine heap corruption).
const result = Buffer.alloc(24);
const addRef = (object) =>
  call('oleaut32', 'DispCallFunc', T.I32, [T.BigInt, T.BigInt, T.I32, T.I32, T.I32, T.BigInt, T.BigInt, T.U8Array], [object, 8n, 4, 19, 0, 0n, 0n, result]);
const MAX_ITEMS = 64;
function copyLent(lent, raw, args, memory) {
  const address = unsigned(raw);
  if (address === 0n) return;
  if (lent.kind === 'wide-string') {
    const length = call('kernel32', 'lstrlenW', T.I32, [T.BigInt], [address]);
    memory.push([address, read(address, (length + 1) * 2)]);
  } else if (lent.kind === 'bytes') {
    memory.push([address, read(address, lent.size)]);
  } else if (lent.kind === 'object') {
    addRef(address);
  } else if (lent.kind === 'array') {
    const count = Math.min(Number(args[lent.countArg]) >>> 0, MAX_ITEMS);
    memory.push([address, read(address, count * lent.itemSize)]);
  } else if (lent.kind === 'struct-with-array') {
    const head = read(address, lent.header);
    const count = Math.min(head.readUInt32LE(lent.countOffset), MAX_ITEMS);
    memory.push([address, Buffer.concat([head, read(address + BigInt(lent.header), count * lent.itemSize)])]);
  }
}
const vtables = new Map();
function createVtable(spec, id) {
  const own = guidBytes(spec.iid);
  const callbacks = [];
  const table = Buffer.alloc(8 * spec.methods.length);
  spec.methods.forEach((method, slot) => {
    if (method.name === 'AddRef' || method.name === 'Release') {
      table.writeBigUInt64LE(staticReference, 8 * slot);
      return;
    }
    const types = [T.BigInt, ...method.params.map((type) => (type === 'xmm' ? T.Double : type === 'ptr' ? T.BigInt : T.I32))];
    const body =
      method.name === 'QueryInterface'
        ? (self, riid, out) => {
            const target = unsigned(out);
            if (target === 0n) return E_POINTER;
            const iid = unsigned(riid) === 0n ? null : read(unsigned(riid), 16);
            const answers = iid !== null && (iid.equals(IUNKNOWN) || iid.equals(own));
            const pointer = Buffer.alloc(8);
            if (answers) pointer.writeBigUInt64LE(unsigned(self));
            write(target, pointer);
            return answers ? 0 : E_NOINTERFACE;
          }
        : (self, ...raw) => {
            try {
              const memory = [];
              method.lent.forEach((lent, index) => lent && copyLent(lent, raw[index], raw, memory));
              parentPort.postMessage({ vtable: id, address: unsigned(self), slot, args: raw, memory });
              return 0;
            } catch (error) {
              return E_FAIL;
            }
          };
    const type = ffi.funcConstructor({ paramsType: types, retType: T.I32 });
    const holder = locked(() => ffi.createPointer({ paramsType: [type], paramsValue: [body] }));
    callbacks.push({ type, holder });
    table.writeBigUInt64LE(addressOfExternal(locked(() => ffi.unwrapPointer(holder))[0]), 8 * slot);
  });
  const address = call('ole32', 'CoTaskMemAlloc', T.BigInt, [T.BigInt], [BigInt(table.length)]);
  write(address, table);
  vtables.set(id, { address, callbacks });
  return address;
}
parentPort.on('message', (message) => {
  if (message.type === 'vtable') {
    let address = 0n;
    try {
      address = createVtable(message.spec, message.id);
    } catch (error) {
      address = 0n;
    }
    new BigInt64Array(message.reply, 8, 1)[0] = BigInt.asIntN(64, address);
    const flag = new Int32Array(message.reply, 0, 1);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  } else if (message.type === 'free') {
    const vtable = vtables.get(message.id);
    if (!vtable) return;
    vtables.delete(message.id);
    for (const { type, holder } of vtable.callbacks) {
      locked(() => ffi.freePointer({ paramsType: [type], paramsValue: holder, pointerType: ffi.PointerType.RsPointer }));
    }
    call('ole32', 'CoTaskMemFree', T.Void, [T.BigInt], [vtable.address]);
  }
});
}
`;

export class SinkThread {
  private readonly worker: Worker;
  private readonly failure = new SharedArrayBuffer(FAILURE_BYTES);
  private nextId = 1;

  constructor(ffiRsEntry: string, onCall: (call: SinkCall) => void) {
    // What it calls is looked up first, on this thread (ffi.ts): the sink thread never adds to ffi-rs's tables.
    lookUpSinkThreadFunctions();
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: { ffiRs: ffiRsEntry, failure: this.failure, tableLock: tableLock.buffer, functions: SINK_THREAD_FUNCTIONS },
    });
    // The thread never keeps the process alive: sinks are unregistered before exit.
    this.worker.unref();
    this.worker.on('message', onCall);
    this.worker.on('error', (error) => console.error('sndmix: the COM sink thread failed:', error));
  }

  /** Builds a sink vtable on the sink thread (waits for it: the first call also waits for the thread to start). */
  createVtable(spec: SinkVtableSpec): SinkVtable {
    const id = this.nextId++;
    const reply = new SharedArrayBuffer(16);
    this.worker.postMessage({ type: 'vtable', id, spec, reply });
    const flag = new Int32Array(reply, 0, 1);
    const failed = new Int32Array(this.failure, 0, 1);
    const started = Date.now();
    // In slices, so that a thread that failed to start is noticed at once, not after the timeout.
    while (Atomics.wait(flag, 0, 0, 50) === 'timed-out') {
      const length = Atomics.load(failed, 0);
      if (length > 0) {
        const reason = Buffer.from(new Uint8Array(this.failure, 8, length - 1)).toString();
        throw new Error(`the COM sink thread could not start: ${reason}`);
      }
      if (Date.now() - started > VTABLE_TIMEOUT_MS) {
        throw new Error(`the COM sink thread did not build a vtable within ${VTABLE_TIMEOUT_MS} ms`);
      }
    }
    const address = BigInt.asUintN(64, new BigInt64Array(reply, 8, 1)[0] ?? 0n);
    if (address === 0n) throw new Error('the COM sink thread could not build a vtable');
    return { id, address, free: () => this.worker.postMessage({ type: 'free', id }) };
  }
}
