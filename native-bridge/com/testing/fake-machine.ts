// A pretend Windows for the COM runtime's unit tests: native memory as Buffers at made-up
// addresses, DispCallFunc decoding the VARIANTs the runtime wrote and calling either a
// fake COM object (JS methods by vtable slot) or one of the runtime's own sinks (through
// the vtables its sink thread built), the way the real one would. Its sink thread answers
// and delivers at once, on the calling thread (there is only one here).
import { GUID_SIZE, readGuid, writeGuid } from '../guid';
import type { CallbackArgType, LentCopy } from '../interface';
import { IUnknown, VT } from '../interface';
import type { DispCallArgs, Win32 } from '../native';
import type { SinkCall, SinkVtable, SinkVtableSpec } from '../sink-thread';

const STATIC_REFERENCE_CODE = 0x7ff0_0000n;

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
    { params: readonly CallbackArgType[]; body: (...args: FakeArg[]) => number; freed: boolean }
  >();
  private sinkListener: ((call: SinkCall) => void) | null = null;
  private nextVtable = 1;
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

  createSinkVtable(spec: SinkVtableSpec): SinkVtable {
    const id = this.nextVtable++;
    const own = Buffer.alloc(GUID_SIZE);
    writeGuid(spec.iid, own, 0);
    const unknown = Buffer.alloc(GUID_SIZE);
    writeGuid(IUnknown.iid, unknown, 0);
    const codes: bigint[] = spec.methods.map((method, slot) => {
      if (method.name === 'AddRef' || method.name === 'Release') return STATIC_REFERENCE_CODE;
      const body =
        method.name === 'QueryInterface'
          ? (self: FakeArg, riid: FakeArg, out: FakeArg): number => {
              if (BigInt(out) === 0n) return 0x80004003 | 0;
              const iid = this.view(BigInt(riid), GUID_SIZE);
              const answers = iid.equals(unknown) || iid.equals(own);
              this.view(BigInt(out), 8).writeBigUInt64LE(answers ? BigInt(self) : 0n, 0);
              return answers ? 0 : 0x80004002 | 0;
            }
          : (self: FakeArg, ...raw: FakeArg[]): number => {
              const memory: [bigint, Uint8Array][] = [];
              method.lent.forEach((lent, index) => {
                if (lent) this.copyLent(lent, raw[index] ?? 0n, raw, memory);
              });
              this.sinkListener?.({ vtable: id, address: BigInt(self), slot, args: raw, memory });
              return 0;
            };
      const code = this.nextCode;
      this.nextCode += 0x10n;
      this.callbacks.set(code, { params: ['ptr', ...method.params], body, freed: false });
      return code;
    });
    const table = Buffer.alloc(8 * codes.length);
    codes.forEach((code, slot) => table.writeBigUInt64LE(code, slot * 8));
    const address = this.map(table);
    return {
      id,
      address,
      free: () => {
        for (const code of codes) {
          const callback = this.callbacks.get(code);
          if (callback) callback.freed = true;
        }
      },
    };
  }

  onSinkCall(listener: (call: SinkCall) => void): void {
    this.sinkListener = listener;
  }

  private copyLent(lent: LentCopy, raw: FakeArg, args: readonly FakeArg[], memory: [bigint, Uint8Array][]): void {
    const address = BigInt(raw);
    if (address === 0n) return;
    if (lent.kind === 'wide-string') memory.push([address, Buffer.from(this.view(address, (this.wideStringLength(address) + 1) * 2))]);
    else if (lent.kind === 'bytes') memory.push([address, Buffer.from(this.view(address, lent.size))]);
    else if (lent.kind === 'object') this.objects.get(address)?.get(1)?.();
    else if (lent.kind === 'array') memory.push([address, Buffer.from(this.view(address, Number(args[lent.countArg]) * lent.itemSize))]);
    else {
      const count = this.view(address + BigInt(lent.countOffset), 4).readUInt32LE(0);
      memory.push([address, Buffer.from(this.view(address, lent.header + count * lent.itemSize))]);
    }
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
    if (code === STATIC_REFERENCE_CODE) return this.currentProcessId();
    const callback = this.callbacks.get(code);
    if (!callback || callback.freed) throw new Error(`fake machine: no live callback at slot ${slot}`);
    const raw = [call.instance, ...args].map((arg, index) => this.asCallbackArg(arg, callback.params[index] ?? 'ptr'));
    return callback.body(...raw);
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
