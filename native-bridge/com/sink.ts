// COM objects implemented in JS (event sinks): a block of native memory whose first 8
// bytes point to a vtable built on the sink thread (sink-thread.ts). One vtable per
// interface is shared by all its sinks. The sink thread answers every call at once
// (QueryInterface: IUnknown and the sink's own IID only; the rest S_OK) and copies what
// the caller lends; the handler then runs here, on Node's main thread, reading the copy.
// So Core Audio's threads never wait on the main thread (issue 15, defect 1).
//
// A sink has a static lifetime as far as Core Audio is concerned: its AddRef and Release
// are a native function that runs no JS. Its memory is ours: freed a grace period after a
// successful Unregister* (a notification may still be on its way out), never after a
// failed one (Core Audio may still call it), so nothing native is freed while it can still
// be called (defect 6). A late call on a released sink is answered and not handled.
import {
  type CallbackValues, type ComObjectAddress, type InterfaceDef, type MethodName, type MethodParams,
  type NativeAccess,
} from './interface';
import type { Win32 } from './native';
import type { SinkCall, SinkVtable, SinkVtableSpec } from './sink-thread';

type UnknownMethod = 'QueryInterface' | 'AddRef' | 'Release';

/**
 * The sink's own methods. Each runs on the main thread after Core Audio got S_OK; pointer
 * arguments are addresses into `lent`, the copy of what the caller lent (read them there).
 */
export type SinkHandlers<I extends InterfaceDef> = {
  [K in Exclude<MethodName<I>, UnknownMethod>]: (...args: [...CallbackValues<MethodParams<I, K>>, lent: NativeAccess]) => void;
};

/** live: registered or about to be; released: ours dropped, freed after the grace period; abandoned: never freed. */
export type SinkState = 'live' | 'released' | 'abandoned' | 'freed';

export class Sink<I extends InterfaceDef = InterfaceDef> implements ComObjectAddress {
  state: SinkState = 'live';
  constructor(
    readonly address: bigint,
    readonly iface: I,
    readonly handlers: SinkHandlers<I>,
  ) {}

  get alive(): boolean {
    return this.state !== 'freed';
  }
}

/** How long a released sink's memory stays valid for a notification already on its way. */
export const SINK_GRACE_MS = 1000;

/** What a caller lent a sink, as the sink thread copied it: read like native memory. */
class LentMemory implements NativeAccess {
  constructor(private readonly regions: readonly (readonly [bigint, Uint8Array])[]) {}

  read(address: bigint, length: number): Buffer {
    for (const [base, bytes] of this.regions) {
      const offset = address - base;
      if (offset >= 0n && offset + BigInt(length) <= BigInt(bytes.length)) {
        return Buffer.from(bytes.buffer, bytes.byteOffset + Number(offset), length);
      }
    }
    throw new Error(`0x${address.toString(16)} (+${length}) was not lent to the sink`);
  }

  readWideString(address: bigint): string {
    const region = this.regions.find(([base]) => base === address);
    if (!region) throw new Error(`no string was lent at 0x${address.toString(16)}`);
    const text = Buffer.from(region[1].buffer, region[1].byteOffset, region[1].length).toString('utf16le');
    const end = text.indexOf('\0');
    return end < 0 ? text : text.slice(0, end);
  }

  coTaskMemFree(): void {
    throw new Error('a sink does not own what it is lent');
  }

  propVariantClear(): void {
    throw new Error('a sink does not own what it is lent');
  }
}

/** Where a sink handler's exception goes (it must never unwind into native code). */
export type SinkErrorReporter = (error: unknown, sink: string) => void;

export class SinkHost {
  private readonly vtables = new Map<InterfaceDef, SinkVtable>();
  private readonly interfacesByVtable = new Map<number, InterfaceDef>();
  private readonly sinks = new Map<bigint, Sink>();
  private disposeTimer: ReturnType<typeof setTimeout> | null = null;
  private disposeRequested = false;

  constructor(
    private readonly win32: Win32,
    private readonly memory: NativeAccess & {
      allocate(size: number): bigint;
      write(address: bigint, bytes: Buffer): void;
      /** IUnknown::Release of an object the sink thread AddRef'd for a handler. */
      releaseObject(address: bigint): void;
    },
    private readonly reportError: SinkErrorReporter,
  ) {
    win32.onSinkCall((call) => this.dispatch(call));
  }

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

  /**
   * Drops the sink once Core Audio let go of it (its Unregister* succeeded, or Register*
   * failed): its handlers stop running at once, its memory is freed after `graceMs`.
   */
  release(sink: Sink, graceMs = SINK_GRACE_MS): void {
    if (sink.state !== 'live') throw new Error(`${sink.iface.name} sink released twice`);
    sink.state = 'released';
    const free = () => {
      this.sinks.delete(sink.address);
      sink.state = 'freed';
      this.memory.coTaskMemFree(sink.address);
      if (this.sinks.size === 0 && this.disposeRequested) this.disposeWhenIdle();
    };
    if (graceMs <= 0) free();
    else setTimeout(free, graceMs).unref?.();
  }

  /** Core Audio may still call the sink (its Unregister* failed): it is kept for good, handlers silent. */
  abandon(sink: Sink): void {
    if (sink.state !== 'live') throw new Error(`${sink.iface.name} sink abandoned after it was released`);
    sink.state = 'abandoned';
  }

  /** Sinks not yet let go of (registered, or registering). */
  liveSinkCount(): number {
    return this.liveSinks().length;
  }

  /** Sinks kept for good because Core Audio may still call them. */
  abandonedSinkCount(): number {
    return [...this.sinks.values()].filter((sink) => sink.state === 'abandoned').length;
  }

  /** The sinks alive now (debugging and tests: e.g. to call one from another thread). */
  liveSinks(): readonly Sink[] {
    return [...this.sinks.values()].filter((sink) => sink.state === 'live');
  }

  /**
   * Frees the vtables' callbacks once no sink is left. Deferred: the native thread whose
   * final Release freed the last sink may still be returning through a callback's code.
   */
  disposeWhenIdle(delayMs = 100): void {
    this.disposeRequested = true;
    if (this.disposeTimer) clearTimeout(this.disposeTimer);
    this.disposeTimer = setTimeout(() => {
      this.disposeTimer = null;
      // Sinks in their grace period still need the callbacks; abandoned ones always do.
      if (this.sinks.size > 0) return;
      this.disposeRequested = false;
      for (const vtable of this.vtables.values()) vtable.free();
      this.vtables.clear();
      this.interfacesByVtable.clear();
    }, delayMs);
  }

  private vtableFor(iface: InterfaceDef): SinkVtable {
    const existing = this.vtables.get(iface);
    if (existing) return existing;
    if (this.disposeTimer) {
      clearTimeout(this.disposeTimer);
      this.disposeTimer = null;
    }
    const spec: SinkVtableSpec = {
      iid: iface.iid,
      methods: Object.entries(iface.methods).map(([name, method]) => {
        if (method.params.some((param) => param.direction === 'out') && name !== 'QueryInterface') {
          throw new Error(`${iface.name}.${name}: a sink method cannot have out-parameters`);
        }
        // `this` first; IUnknown's own methods take pointers only (QueryInterface: riid, ppv).
        return {
          name,
          params: method.params.map((param) => (param.direction === 'in' ? param.callbackType : 'ptr')),
          lent: method.params.map((param) => (param.direction === 'in' ? (param.lent ?? null) : null)),
        };
      }),
    };
    const vtable = this.win32.createSinkVtable(spec);
    this.vtables.set(iface, vtable);
    this.interfacesByVtable.set(vtable.id, iface);
    return vtable;
  }

  /** A call the sink thread answered: the handler runs now, with what the caller lent. */
  private dispatch(call: SinkCall): void {
    const iface = this.interfacesByVtable.get(call.vtable);
    const name = iface ? Object.keys(iface.methods)[call.slot] : undefined;
    const spec = iface && name ? iface.methods[name] : undefined;
    if (!iface || !name || !spec) return;
    const where = `${iface.name}.${name}`;
    const lentObjects = spec.params.flatMap((param, index) =>
      param.direction === 'in' && param.lent?.kind === 'object' && BigInt(call.args[index] ?? 0) !== 0n
        ? [BigInt.asUintN(64, BigInt(call.args[index] ?? 0))]
        : [],
    );
    try {
      const sink = this.sinks.get(call.address);
      // Let go of: a late notification was answered, and is not handled.
      if (!sink || sink.state !== 'live') return;
      const lent = new LentMemory(call.memory);
      const args = spec.params.map((param, index) =>
        param.direction === 'in' ? param.decodeCallback(call.args[index] ?? 0, lent) : undefined,
      );
      const handler = (sink.handlers as Record<string, ((...values: unknown[]) => void) | undefined>)[name];
      handler?.(...args, lent);
    } catch (error) {
      this.reportError(error, where);
    } finally {
      for (const address of lentObjects) this.memory.releaseObject(address);
    }
  }
}
