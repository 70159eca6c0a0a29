// A pretend Windows for the COM runtime's unit tests: native memory as Buffers at made-up
// addresses, DispCallFunc decoding the VARIANTs the runtime wrote and calling either a
// fake COM object (JS methods by vtable slot) or one of the runtime's own sinks (through
// the callbacks it registered), the way the real one would.
import { readGuid } from '../guid';
import type { CallbackArgType } from '../interface';
import { VT } from '../interface';
import type { DispCallArgs, NativeCallback, Win32 } from '../native';

export type FakeArg = number | bigint;
/** A fake COM method: receives the decoded arguments (this excluded), returns the HRESULT. */
export type FakeMethod = (...args: FakeArg[]) => number;

interface Region {
  base: bigint;
  buffer: Buffer;
  freed: boolean;
}

export class FakeMachine implements Win32 {
  private readonly regions: Region[] = [];
  private nextBase = 0x10_0000n;
  private readonly objects = new Map<bigint, Map<number, FakeMethod>>();
  private readonly classes = new Map<string, bigint>();
  private readonly callbacks = new Map<
    bigint,
    { params: readonly CallbackArgType[]; body: (...args: never[]) => number; freed: boolean }
  >();
  private nextCode = 0x7f00_0000_0000n;
  readonly freedAddresses: bigint[] = [];
  readonly clearedVariants: bigint[] = [];
  mtaUsageIncrements = 0;

  constructor(private readonly initializeResult = 0) {}

  /** A fake COM object: methods by vtable slot. Returns its address. */
  object(methods: Map<number, FakeMethod>): bigint {
    const address = this.coTaskMemAlloc(8);
    this.objects.set(address, methods);
    return address;
  }

  registerClass(clsid: string, object: bigint): void {
    this.classes.set(clsid, object);
  }

  liveCallbacks(): number {
    return [...this.callbacks.values()].filter((callback) => !callback.freed).length;
  }

  /** A NUL-terminated UTF-16 string in CoTaskMem, as Core Audio hands them out. */
  coTaskString(text: string): bigint {
    const bytes = Buffer.from(`${text}\0`, 'utf16le');
    const address = this.coTaskMemAlloc(bytes.length);
    this.writeMemory(address, bytes, bytes.length);
    return address;
  }

  view(address: bigint, length: number): Buffer {
    const region = this.regions.find(
      (candidate) => address >= candidate.base && address + BigInt(length) <= candidate.base + BigInt(candidate.buffer.length),
    );
    if (!region || region.freed) throw new Error(`fake machine: bad address 0x${address.toString(16)} (+${length})`);
    const offset = Number(address - region.base);
    return region.buffer.subarray(offset, offset + length);
  }

  // ---- Win32 -------------------------------------------------------------------------

  dispCallFunc(call: DispCallArgs): number {
    const result = this.dispatch(call);
    this.view(call.result, 24).writeUInt16LE(VT.I4, 0);
    this.view(call.result + 8n, 4).writeInt32LE(result | 0, 0);
    return 0;
  }

  async dispCallFuncOffThread(call: DispCallArgs): Promise<number> {
    return this.dispCallFunc(call);
  }

  coInitializeEx(): number {
    return this.initializeResult;
  }

  coIncrementMtaUsage(): number {
    this.mtaUsageIncrements++;
    return 0;
  }

  coCreateInstance(clsid: bigint, _context: number, _iid: bigint, out: bigint): number {
    const object = this.classes.get(readGuid(this.view(clsid, 16)));
    if (object === undefined) return 0x80040154 | 0; // REGDB_E_CLASSNOTREG
    this.objects.get(object)?.get(1)?.(); // AddRef: the caller gets a reference of its own
    this.view(out, 8).writeBigUInt64LE(object);
    return 0;
  }

  coTaskMemAlloc(size: number): bigint {
    return this.map(Buffer.alloc(Math.max(size, 1)));
  }

  coTaskMemFree(address: bigint): void {
    const region = this.regions.find((candidate) => candidate.base === address);
    if (!region || region.freed) throw new Error(`fake machine: CoTaskMemFree of 0x${address.toString(16)}`);
    region.freed = true;
    this.freedAddresses.push(address);
  }

  propVariantClear(address: bigint): number {
    this.clearedVariants.push(address);
    return 0;
  }

  readMemory(target: Buffer, source: bigint, length: number): void {
    this.view(source, length).copy(target, 0);
  }

  writeMemory(target: bigint, source: Buffer, length: number): void {
    source.copy(this.view(target, length), 0, 0, length);
  }

  wideStringLength(address: bigint): number {
    let length = 0;
    while (this.view(address + BigInt(length * 2), 2).readUInt16LE(0) !== 0) length++;
    return length;
  }

  currentProcessId(): number {
    return 4242;
  }

  currentThreadId(): number {
    return 1;
  }

  addressOfBuffer(buffer: Buffer): bigint {
    return this.regions.find((region) => region.buffer === buffer)?.base ?? this.map(buffer);
  }

  addressOfExternal(): bigint {
    throw new Error('fake machine: no Externals here');
  }

  createCallback(params: readonly CallbackArgType[], body: (...args: never[]) => number): NativeCallback {
    const address = this.nextCode;
    this.nextCode += 0x10n;
    const callback = { params, body, freed: false };
    this.callbacks.set(address, callback);
    return {
      address,
      free: () => {
        callback.freed = true;
      },
    };
  }

  // ---- internals ---------------------------------------------------------------------

  private map(buffer: Buffer): bigint {
    const base = this.nextBase;
    this.nextBase += BigInt(Math.ceil((buffer.length + 0x10) / 0x1000) * 0x1000);
    this.regions.push({ base, buffer, freed: false });
    return base;
  }

  private dispatch(call: DispCallArgs): number {
    const slot = Number(call.slotOffset / 8n);
    const args: FakeArg[] = [];
    for (let index = 0; index < call.count; index++) {
      const vt = this.view(call.types + BigInt(index * 2), 2).readUInt16LE(0);
      const variant = this.view(call.args + BigInt(index * 8), 8).readBigUInt64LE(0);
      const value = this.view(variant, 24);
      if (value.readUInt16LE(0) !== vt) throw new Error('fake machine: prgvt and the VARIANT disagree');
      if (vt === VT.I4) args.push(value.readInt32LE(8));
      else if (vt === VT.R4) args.push(value.readFloatLE(8));
      else if (vt === VT.I8) args.push(value.readBigUInt64LE(8));
      else throw new Error(`fake machine: VARTYPE ${vt} not expected`);
    }
    const methods = this.objects.get(call.instance);
    if (methods) {
      const method = methods.get(slot);
      if (!method) throw new Error(`fake machine: object has no slot ${slot}`);
      return method(...args);
    }
    // One of the runtime's sinks: its first 8 bytes point to the vtable of callbacks.
    const vtable = this.view(call.instance, 8).readBigUInt64LE(0);
    const code = this.view(vtable + BigInt(slot * 8), 8).readBigUInt64LE(0);
    const callback = this.callbacks.get(code);
    if (!callback || callback.freed) throw new Error(`fake machine: no live callback at slot ${slot}`);
    const raw = [call.instance, ...args].map((arg, index) => this.asCallbackArg(arg, callback.params[index] ?? 'ptr'));
    return (callback.body as (...values: FakeArg[]) => number)(...raw);
  }

  /** How ffi-rs would hand the argument to JS: an XMM register arrives as the double it holds. */
  private asCallbackArg(arg: FakeArg, type: CallbackArgType): FakeArg {
    if (type === 'ptr') return BigInt(arg);
    if (type === 'i32') return Number(arg);
    const register = new DataView(new ArrayBuffer(8));
    register.setFloat32(0, Number(arg), true);
    return register.getFloat64(0, true);
  }
}
