// A small COM runtime over ffi-rs: vtable calls through oleaut32!DispCallFunc, exact
// reference accounting, and COM initialised once per process.
import { Frame, FrameOverflowError } from './frame';
import { GUID_SIZE, writeGuid } from './guid';
import { check, ComError, RPC_E_CHANGED_MODE, succeeded, type HResult } from './hresult';
import {
  CLSCTX_ALL,
  IUnknown,
  VARIANT_LAYOUT,
  VT,
  type ComRef,
  type EncodedArg,
  type InterfaceDef,
  type InValues,
  type MarshalContext,
  type MethodName,
  type MethodParams,
  type NativeAccess,
  type OutParam,
  type OutValues,
} from './interface';
import { openWin32, type DispCallArgs, type Win32 } from './native';
import { SinkHost, type SinkErrorReporter } from './sink';

const SYNC_FRAME_SIZE = 16 * 1024;
const COINIT_MULTITHREADED = 0x0;

export interface CallResult<Out> {
  /** The method's success HRESULT (S_OK, S_FALSE, AUDCLNT_S_...). */
  hr: HResult;
  out: Out;
}

class Reference<I extends InterfaceDef> implements ComRef<I> {
  released = false;
  constructor(
    readonly address: bigint,
    readonly iface: I,
  ) {}
}

type Call = { address: bigint; iface: InterfaceDef; method: string; args: readonly unknown[] };

export class ComRuntime implements NativeAccess {
  private readonly syncFrame: Frame;
  private readonly spareFrames: Frame[] = [];
  private readonly live = new Set<Reference<InterfaceDef>>();
  /** How COM came up on the main thread: MTA as asked, or an STA the host (Electron) set first. */
  readonly apartment: 'mta' | 'sta';
  /** The JS-implemented COM objects (event sinks). */
  readonly sinks: SinkHost;
  private readonly sinkErrorListeners = new Set<SinkErrorReporter>();

  constructor(private readonly win32: Win32) {
    this.syncFrame = this.newFrame(SYNC_FRAME_SIZE);
    this.sinks = new SinkHost(win32, this, (error, where) => {
      if (this.sinkErrorListeners.size === 0) console.error(`sndmix: ${where} handler failed:`, error);
      for (const listener of this.sinkErrorListeners) listener(error, where);
    });
    const hr = win32.coInitializeEx(COINIT_MULTITHREADED);
    if (hr >>> 0 === RPC_E_CHANGED_MODE) {
      // The thread is an STA already. Off-thread calls run on pool threads that never
      // called CoInitializeEx: keep an MTA alive so they are implicit MTA members. Its
      // cookie (for CoDecrementMTAUsage) is not kept: the MTA lives as long as the process.
      const cookie = this.syncFrame.allocate(8);
      check(win32.coIncrementMtaUsage(this.syncFrame.address(cookie)), 'CoIncrementMTAUsage');
      this.apartment = 'sta';
    } else {
      check(hr, 'CoInitializeEx');
      this.apartment = 'mta';
    }
  }

  /** Hears about exceptions thrown by sink handlers (they never reach native code). */
  onSinkError(listener: SinkErrorReporter): () => void {
    this.sinkErrorListeners.add(listener);
    return () => this.sinkErrorListeners.delete(listener);
  }

  // ---- references ----------------------------------------------------------------

  /** Live references by interface name: every one obtained and not yet released. */
  liveReferences(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const reference of this.live) counts[reference.iface.name] = (counts[reference.iface.name] ?? 0) + 1;
    return counts;
  }

  liveReferenceCount(): number {
    return this.live.size;
  }

  /** Takes ownership of a reference a system function handed out (RoGetActivationFactory's factory). */
  adoptReference<I extends InterfaceDef>(address: bigint, iface: I): ComRef<I> {
    if (address === 0n) throw new Error(`a null ${iface.name} reference`);
    return this.adopt(address, iface);
  }

  private adopt<I extends InterfaceDef>(address: bigint, iface: I): ComRef<I> {
    const reference = new Reference(address, iface);
    this.live.add(reference);
    return reference;
  }

  /** Releases a reference exactly once; a second release is a bug and throws. */
  release(reference: ComRef | null | undefined): void {
    if (!reference) return;
    const own = this.forget(reference);
    this.callSync({ address: own.address, iface: IUnknown, method: 'Release', args: [] });
  }

  /** Marks a reference released (once: a second release is a bug and throws). */
  private forget(reference: ComRef): Reference<InterfaceDef> {
    const own = reference instanceof Reference && this.live.has(reference) ? (reference as Reference<InterfaceDef>) : null;
    if (!own) throw new Error(`${reference.iface.name} reference released twice or not ours`);
    own.released = true;
    this.live.delete(own);
    return own;
  }

  /** IUnknown::Release of a raw address (an object lent to a sink, AddRef'd by the sink thread). */
  releaseObject(address: bigint): void {
    this.callSync({ address, iface: IUnknown, method: 'Release', args: [] });
  }

  /** Release on a pool thread: for objects whose Release may call back into JS (our own sinks). */
  async releaseOffThread(reference: ComRef | null | undefined): Promise<void> {
    if (!reference) return;
    const own = this.forget(reference);
    await this.invokeAtOffThread(own.address, IUnknown, 'Release');
  }

  releaseAll(references: Iterable<ComRef | null | undefined>): void {
    for (const reference of references) this.release(reference);
  }

  createInstance<I extends InterfaceDef>(clsid: string, iface: I): ComRef<I> {
    const frame = this.syncFrame;
    frame.reset();
    const clsidOffset = frame.allocate(GUID_SIZE);
    writeGuid(clsid, frame.buffer, clsidOffset);
    const iidOffset = frame.allocate(GUID_SIZE);
    writeGuid(iface.iid, frame.buffer, iidOffset);
    const out = frame.allocate(8);
    const hr = this.win32.coCreateInstance(frame.address(clsidOffset), CLSCTX_ALL, frame.address(iidOffset), frame.address(out));
    check(hr, `CoCreateInstance(${iface.name})`);
    return this.adopt(frame.buffer.readBigUInt64LE(out), iface);
  }

  /** QueryInterface; null when the object does not implement the interface. */
  queryInterface<I extends InterfaceDef>(source: ComRef | bigint, iface: I): ComRef<I> | null {
    const address = typeof source === 'bigint' ? source : this.liveAddress(source);
    const { hr, out } = this.tryCall({ address, iface: IUnknown, method: 'QueryInterface', args: [iface] });
    if (!succeeded(hr)) return null;
    return out[0] as ComRef<I> | null;
  }

  // ---- calls -----------------------------------------------------------------------

  /** Calls a method; a failure HRESULT throws ComError. */
  invoke<I extends InterfaceDef, K extends MethodName<I>>(
    target: ComRef<I>,
    method: K,
    ...args: InValues<MethodParams<I, K>>
  ): CallResult<OutValues<MethodParams<I, K>>> {
    const result = this.tryCall({ address: this.liveAddress(target), iface: target.iface, method, args });
    check(result.hr, `${target.iface.name}.${method}`);
    return result as CallResult<OutValues<MethodParams<I, K>>>;
  }

  /**
   * The same on a pool thread, for calls that may wait on a thread which calls back into
   * JS (registering or unregistering a sink, setting what a sink is told about): a
   * callback arriving while the main thread is blocked would deadlock.
   */
  async invokeOffThread<I extends InterfaceDef, K extends MethodName<I>>(
    target: ComRef<I>,
    method: K,
    ...args: InValues<MethodParams<I, K>>
  ): Promise<CallResult<OutValues<MethodParams<I, K>>>> {
    const result = await this.callOffThread({ address: this.liveAddress(target), iface: target.iface, method, args });
    check(result.hr, `${target.iface.name}.${method}`);
    return result as CallResult<OutValues<MethodParams<I, K>>>;
  }

  /** Calls a method at a raw address (a sink of ours, a lent pointer): for tests and benchmarks. */
  invokeAt<I extends InterfaceDef, K extends MethodName<I>>(
    address: bigint,
    iface: I,
    method: K,
    ...args: InValues<MethodParams<I, K>>
  ): CallResult<OutValues<MethodParams<I, K>>> {
    return this.tryCall({ address, iface, method, args }) as CallResult<OutValues<MethodParams<I, K>>>;
  }

  /** invokeAt on a pool thread: how a test calls a sink the way Core Audio's threads do. */
  async invokeAtOffThread<I extends InterfaceDef, K extends MethodName<I>>(
    address: bigint,
    iface: I,
    method: K,
    ...args: InValues<MethodParams<I, K>>
  ): Promise<CallResult<OutValues<MethodParams<I, K>>>> {
    return (await this.callOffThread({ address, iface, method, args })) as CallResult<OutValues<MethodParams<I, K>>>;
  }

  private liveAddress(reference: ComRef): bigint {
    if (reference.released) throw new Error(`call on a released ${reference.iface.name} reference`);
    return reference.address;
  }

  private tryCall(call: Call): CallResult<unknown[]> {
    try {
      return this.callIn(this.syncFrame, call);
    } catch (error) {
      if (!(error instanceof FrameOverflowError)) throw error;
      return this.callIn(this.newFrame(error.needed * 2), call);
    }
  }

  /** Each call in flight off the main thread has a frame of its own (spares are reused). */
  private async callOffThread(call: Call): Promise<CallResult<unknown[]>> {
    let frame = this.spareFrames.pop() ?? this.newFrame(SYNC_FRAME_SIZE);
    let prepared: ReturnType<ComRuntime['prepare']>;
    try {
      prepared = this.prepare(frame, call);
    } catch (error) {
      this.spareFrames.push(frame);
      if (!(error instanceof FrameOverflowError)) throw error;
      frame = this.newFrame(error.needed * 2);
      prepared = this.prepare(frame, call);
    }
    try {
      return this.finish(frame, call, await this.win32.dispCallFuncOffThread(prepared.dispatch), prepared);
    } finally {
      if (frame.capacity === SYNC_FRAME_SIZE) this.spareFrames.push(frame);
    }
  }

  private callSync(call: Call): number {
    return this.callIn(this.syncFrame, call).hr;
  }

  private callIn(frame: Frame, call: Call): CallResult<unknown[]> {
    const prepared = this.prepare(frame, call);
    return this.finish(frame, call, this.win32.dispCallFunc(prepared.dispatch), prepared);
  }

  private prepare(frame: Frame, call: Call) {
    const spec = call.iface.methods[call.method];
    if (!spec) throw new Error(`${call.iface.name} has no method ${call.method}`);
    frame.reset();
    const count = spec.params.length;
    const variants = frame.allocate(VARIANT_LAYOUT.size * count);
    const argPointers = frame.allocate(8 * count);
    const types = frame.allocate(2 * count);
    const result = frame.allocate(VARIANT_LAYOUT.size);
    const context: MarshalContext = {
      frame,
      native: this,
      adopt: (address, iface) => this.adopt(address, iface),
      requestedInterface: null,
    };
    const outs: { param: OutParam<unknown>; offset: number }[] = [];
    let nextIn = 0;
    spec.params.forEach((param, index) => {
      let encoded: EncodedArg;
      if (param.direction === 'in') {
        if (nextIn >= call.args.length) throw new TypeError(`${call.iface.name}.${call.method}: too few arguments`);
        encoded = param.encode(call.args[nextIn++], context);
      } else {
        const offset = frame.allocate(param.size);
        outs.push({ param, offset });
        encoded = { vt: VT.I8, bits: frame.address(offset) };
      }
      const variant = variants + VARIANT_LAYOUT.size * index;
      frame.buffer.writeUInt16LE(encoded.vt, variant);
      if (encoded.vt === VT.R4) frame.buffer.writeFloatLE(encoded.value, variant + VARIANT_LAYOUT.offsets.fltVal);
      else frame.buffer.writeBigUInt64LE(encoded.bits, variant + VARIANT_LAYOUT.offsets.llVal);
      frame.buffer.writeBigUInt64LE(frame.address(variant), argPointers + 8 * index);
      frame.buffer.writeUInt16LE(encoded.vt, types + 2 * index);
    });
    if (nextIn !== call.args.length) throw new TypeError(`${call.iface.name}.${call.method}: too many arguments`);
    const dispatch: DispCallArgs = {
      instance: call.address,
      slotOffset: BigInt(call.iface.slot(call.method) * 8),
      returnType: spec.returns === 'HRESULT' ? VT.ERROR : VT.UI4,
      count,
      types: frame.address(types),
      args: frame.address(argPointers),
      result: frame.address(result),
    };
    return { dispatch, result, outs, context };
  }

  private finish(frame: Frame, call: Call, status: number, prepared: ReturnType<ComRuntime['prepare']>): CallResult<unknown[]> {
    if (!succeeded(status)) throw new ComError(status, `DispCallFunc(${call.iface.name}.${call.method})`);
    const hr = frame.buffer.readUInt32LE(prepared.result + VARIANT_LAYOUT.offsets.lVal);
    if (!succeeded(hr) && call.iface.methods[call.method]?.returns === 'HRESULT') return { hr, out: [] };
    return { hr, out: prepared.outs.map(({ param, offset }) => param.decode(offset, prepared.context)) };
  }

  private newFrame(size: number): Frame {
    const buffer = Buffer.alloc(size);
    return new Frame(buffer, this.win32.addressOfBuffer(buffer));
  }

  // ---- native memory (NativeAccess) ------------------------------------------------

  read(address: bigint, length: number): Buffer {
    const target = Buffer.alloc(length);
    if (length > 0) this.win32.readMemory(target, address, length);
    return target;
  }

  readWideString(address: bigint): string {
    const length = this.win32.wideStringLength(address);
    return this.read(address, length * 2).toString('utf16le');
  }

  coTaskMemFree(address: bigint): void {
    this.win32.coTaskMemFree(address);
  }

  propVariantClear(address: bigint): void {
    check(this.win32.propVariantClear(address), 'PropVariantClear');
  }

  /** Native memory for objects COM code keeps (sinks); free with coTaskMemFree. */
  allocate(size: number): bigint {
    const address = this.win32.coTaskMemAlloc(size);
    if (address === 0n) throw new ComError(0x8007000e, 'CoTaskMemAlloc');
    return address;
  }

  write(address: bigint, bytes: Buffer): void {
    if (bytes.length > 0) this.win32.writeMemory(address, bytes, bytes.length);
  }
}

let runtime: ComRuntime | null = null;

/** The process's COM runtime: COM is initialised once, on first use. */
export function comRuntime(): ComRuntime {
  if (process.platform !== 'win32') throw new Error('the COM runtime exists only on Windows');
  runtime ??= new ComRuntime(openWin32());
  return runtime;
}
