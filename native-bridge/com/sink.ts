// COM objects implemented in JS (event sinks): a block of native memory whose first 8
// bytes point to a vtable of ffi-rs callbacks. One vtable per interface is shared by all
// its sinks; the callbacks find the sink by its address. QueryInterface answers IUnknown
// and the sink's own IID only; AddRef/Release keep a real count, and the sink's memory
// is freed when it drops to zero.
import { GUID_SIZE, readGuid } from './guid';
import { E_FAIL, E_NOINTERFACE, E_POINTER, S_OK, type HResult } from './hresult';
import {
  IUnknown,
  type CallbackArgType,
  type CallbackValues,
  type ComObjectAddress,
  type InterfaceDef,
  type MethodName,
  type MethodParams,
  type NativeAccess,
} from './interface';
import type { NativeCallback, Win32 } from './native';

type UnknownMethod = 'QueryInterface' | 'AddRef' | 'Release';

/** The sink's own methods; each answers S_OK once its handler returned (E_FAIL if it threw). */
export type SinkHandlers<I extends InterfaceDef> = {
  [K in Exclude<MethodName<I>, UnknownMethod>]: (...args: CallbackValues<MethodParams<I, K>>) => void;
};

export class Sink<I extends InterfaceDef = InterfaceDef> implements ComObjectAddress {
  /** References held: ours (1 at creation) plus Core Audio's. */
  refCount = 1;
  constructor(
    readonly address: bigint,
    readonly iface: I,
    readonly handlers: SinkHandlers<I>,
  ) {}

  get alive(): boolean {
    return this.refCount > 0;
  }
}

interface Vtable {
  readonly address: bigint;
  readonly callbacks: NativeCallback[];
}

/** Where a sink handler's exception goes (it must never unwind into native code). */
export type SinkErrorReporter = (error: unknown, sink: string) => void;

export class SinkHost {
  private readonly vtables = new Map<InterfaceDef, Vtable>();
  private readonly sinks = new Map<bigint, Sink>();
  private disposeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly win32: Win32,
    private readonly memory: NativeAccess & { allocate(size: number): bigint; write(address: bigint, bytes: Buffer): void },
    private readonly reportError: SinkErrorReporter,
  ) {}

  create<I extends InterfaceDef>(iface: I, handlers: SinkHandlers<I>): Sink<I> {
    const vtable = this.vtableFor(iface);
    const address = this.memory.allocate(16);
    const header = Buffer.alloc(16);
    header.writeBigUInt64LE(vtable.address, 0);
    this.memory.write(address, header);
    const sink = new Sink(address, iface, handlers);
    this.sinks.set(address, sink as Sink);
    return sink;
  }

  /** Drops our reference (the one creation gave us). */
  release(sink: Sink): void {
    if (!this.sinks.has(sink.address)) throw new Error(`${sink.iface.name} sink released after it was freed`);
    this.releaseReference(sink);
  }

  liveSinkCount(): number {
    return this.sinks.size;
  }

  /** The sinks alive now (debugging and tests: e.g. to call one from another thread). */
  liveSinks(): readonly Sink[] {
    return [...this.sinks.values()];
  }

  /**
   * Frees the vtables' callbacks once no sink is left. Deferred: the native thread whose
   * final Release freed the last sink may still be returning through a callback's code.
   */
  disposeWhenIdle(delayMs = 100): void {
    if (this.disposeTimer) clearTimeout(this.disposeTimer);
    this.disposeTimer = setTimeout(() => {
      this.disposeTimer = null;
      if (this.sinks.size > 0) return;
      for (const vtable of this.vtables.values()) {
        for (const callback of vtable.callbacks) callback.free();
        this.memory.coTaskMemFree(vtable.address);
      }
      this.vtables.clear();
    }, delayMs);
  }

  private vtableFor(iface: InterfaceDef): Vtable {
    const existing = this.vtables.get(iface);
    if (existing) return existing;
    if (this.disposeTimer) {
      clearTimeout(this.disposeTimer);
      this.disposeTimer = null;
    }
    const names = Object.keys(iface.methods);
    const callbacks = names.map((name) => this.callbackFor(iface, name));
    const table = Buffer.alloc(8 * names.length);
    callbacks.forEach((callback, slot) => table.writeBigUInt64LE(callback.address, 8 * slot));
    const address = this.memory.allocate(table.length);
    this.memory.write(address, table);
    const vtable = { address, callbacks };
    this.vtables.set(iface, vtable);
    return vtable;
  }

  private callbackFor(iface: InterfaceDef, name: string): NativeCallback {
    const spec = iface.methods[name];
    if (!spec) throw new Error(`${iface.name} has no method ${name}`);
    // `this` first; IUnknown's own methods take pointers only (QueryInterface: riid, ppv).
    const types: CallbackArgType[] = ['ptr'];
    for (const param of spec.params) {
      if (param.direction === 'in') types.push(param.callbackType);
      else if (name === 'QueryInterface') types.push('ptr');
      else throw new Error(`${iface.name}.${name}: a sink method cannot have out-parameters`);
    }
    const where = `${iface.name}.${name}`;
    const body = (self: bigint, ...raw: (number | bigint)[]): number => {
      try {
        const sink = this.sinks.get(BigInt.asUintN(64, BigInt(self)));
        if (!sink) return name === 'QueryInterface' ? E_POINTER | 0 : E_FAIL | 0;
        if (name === 'QueryInterface') return this.queryInterface(sink, raw[0] as bigint, raw[1] as bigint) | 0;
        if (name === 'AddRef') return ++sink.refCount;
        if (name === 'Release') return this.releaseReference(sink);
        const args = spec.params.map((param, index) =>
          param.direction === 'in' ? param.decodeCallback(raw[index] as number | bigint, this.memory) : undefined,
        );
        const handler = (sink.handlers as Record<string, ((...values: unknown[]) => void) | undefined>)[name];
        handler?.(...args);
        return S_OK;
      } catch (error) {
        this.reportError(error, where);
        return E_FAIL | 0;
      }
    };
    return this.win32.createCallback(types, body as (...args: never[]) => number);
  }

  private queryInterface(sink: Sink, iidAddress: bigint, outAddress: bigint): HResult {
    if (outAddress === 0n) return E_POINTER;
    const requested = iidAddress === 0n ? null : readGuid(this.memory.read(iidAddress, GUID_SIZE));
    const answers = requested === IUnknown.iid || requested === sink.iface.iid;
    const out = Buffer.alloc(8);
    if (answers) {
      out.writeBigUInt64LE(sink.address);
      sink.refCount++;
    }
    this.memory.write(outAddress, out);
    return answers ? S_OK : E_NOINTERFACE;
  }

  private releaseReference(sink: Sink): number {
    sink.refCount--;
    if (sink.refCount === 0) {
      this.sinks.delete(sink.address);
      this.memory.coTaskMemFree(sink.address);
    }
    return Math.max(sink.refCount, 0);
  }
}
