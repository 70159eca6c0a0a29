// COM interface declarations: each interface lists its methods in vtable order, parent
// interface first, exactly as the SDK headers do, so a method's slot is its position and
// no slot number is ever typed by hand. Every parameter names its C type as the header
// spells it (the conformance probe compiles those against the real headers) and how it
// crosses DispCallFunc (as a call argument) or an ffi-rs callback (as a sink argument).
// Pure: no FFI here, so declarations load anywhere (probe generation, unit tests).
import type { Frame } from './frame';
import { canonicalGuid, GUID_SIZE, readGuid, writeGuid } from './guid';

/** VARIANT types: those DispCallFunc is given, and those PROPVARIANTs are decoded from. */
export const VT = { EMPTY: 0, I4: 3, R4: 4, BOOL: 11, ERROR: 10, UI4: 19, I8: 20, LPWSTR: 31, CLSID: 72 } as const;

/** CALLCONV for DispCallFunc: COM methods are __stdcall (the only convention on x64). */
export const CC_STDCALL = 4;

/** CLSCTX_ALL: where CoCreateInstance and IMMDevice::Activate may create objects. */
export const CLSCTX_ALL = 0x17;

/** Struct layouts (x64) this code relies on; the conformance probe checks each. */
export interface StructLayout {
  readonly struct: string;
  readonly size: number | null;
  readonly offsets: Readonly<Record<string, number>>;
}

export const VARIANT_LAYOUT = { struct: 'VARIANT', size: 24, offsets: { vt: 0, lVal: 8, llVal: 8, fltVal: 8 } } as const;
export const PROPVARIANT_LAYOUT = {
  struct: 'PROPVARIANT',
  size: 24,
  offsets: { vt: 0, pwszVal: 8, ulVal: 8, boolVal: 8, puuid: 8 },
} as const;
export const GUID_LAYOUT = { struct: 'GUID', size: 16, offsets: { Data1: 0, Data2: 4, Data3: 6, Data4: 8 } } as const;
export const PROPERTYKEY_LAYOUT = { struct: 'PROPERTYKEY', size: 20, offsets: { fmtid: 0, pid: 16 } } as const;
export const COM_LAYOUTS: readonly StructLayout[] = [VARIANT_LAYOUT, PROPVARIANT_LAYOUT, GUID_LAYOUT, PROPERTYKEY_LAYOUT];

export interface PropertyKey {
  readonly fmtid: string;
  readonly pid: number;
}

export const PROPERTYKEY_SIZE = PROPERTYKEY_LAYOUT.size;

export type PropValue =
  | { readonly type: 'empty' }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'uint'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'guid'; readonly value: string }
  /** A type this project does not decode, by its VARTYPE. */
  | { readonly type: 'other'; readonly vt: number };

/** Reads and frees native memory a callee handed back. */
export interface NativeAccess {
  read(address: bigint, length: number): Buffer;
  readWideString(address: bigint): string;
  coTaskMemFree(address: bigint): void;
  propVariantClear(address: bigint): void;
}

/** A counted reference to a COM object (see ComRuntime: each one is released exactly once). */
export interface ComRef<I extends InterfaceDef = InterfaceDef> {
  readonly address: bigint;
  readonly iface: I;
  readonly released: boolean;
}

/** Anything with a native COM object address: a ComRef or one of our sinks. */
export interface ComObjectAddress {
  readonly address: bigint;
}

export interface MarshalContext {
  readonly frame: Frame;
  readonly native: NativeAccess;
  /** Takes ownership of a reference a callee returned through an out-parameter. */
  adopt<I extends InterfaceDef>(address: bigint, iface: I): ComRef<I>;
  /** Set by an `iid` parameter: the interface the object out-parameter will hold. */
  requestedInterface: InterfaceDef | null;
}

export type EncodedArg =
  { readonly vt: typeof VT.I4 | typeof VT.I8; readonly bits: bigint } | { readonly vt: typeof VT.R4; readonly value: number };

/**
 * How an argument arrives in an ffi-rs callback (x64): a 32-bit int, a pointer-sized
 * value, or an XMM register read as a double. ffi-rs cannot hand a float to JS (its
 * callback marshalling rejects Float), so a float parameter is read as the double in
 * its register and the float taken back from the low 32 bits.
 */
export type CallbackArgType = 'i32' | 'ptr' | 'xmm';

/**
 * What a sink argument points to, copied by the sink thread while the native caller waits
 * (the sink thread answers at once; the handler runs later on Node's main thread, reading
 * the copy): a NUL-terminated UTF-16 string, a fixed number of bytes, a COM object (AddRef'd
 * for the handler, released after it), an array whose length is another argument, or a
 * struct ending in an array whose length is one of its fields (a 32-bit count).
 */
export type LentCopy =
  | { readonly kind: 'wide-string' }
  | { readonly kind: 'bytes'; readonly size: number }
  | { readonly kind: 'object' }
  | { readonly kind: 'array'; readonly countArg: number; readonly itemSize: number }
  | { readonly kind: 'struct-with-array'; readonly header: number; readonly countOffset: number; readonly itemSize: number };

export interface InParam<V, CV> {
  readonly direction: 'in';
  /** The C type as the header spells it. */
  readonly c: string;
  encode(value: V, context: MarshalContext): EncodedArg;
  readonly callbackType: CallbackArgType;
  /** For a pointer a sink receives: what it lends, to be copied during the call. */
  readonly lent?: LentCopy;
  /** Decodes the raw argument of a sink method (valid only during the callback). */
  decodeCallback(raw: number | bigint, native: NativeAccess): CV;
}

export interface OutParam<V> {
  readonly direction: 'out';
  readonly c: string;
  /** Bytes of the out-slot the callee writes. */
  readonly size: number;
  /** Runs only when the call succeeded. */
  decode(offset: number, context: MarshalContext): V;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parameter list mixes every value type
export type AnyParam = InParam<any, any> | OutParam<any>;

export interface MethodSpec<P extends readonly AnyParam[] = readonly AnyParam[]> {
  readonly params: P;
  /** HRESULT for nearly everything; ULONG for AddRef/Release. */
  readonly returns: 'HRESULT' | 'ULONG';
}

export type MethodTable = Record<string, MethodSpec>;

export interface InterfaceDef<M extends MethodTable = MethodTable> {
  readonly name: string;
  readonly iid: string;
  readonly parent: InterfaceDef | null;
  /** Every method, parents' first, in vtable order. */
  readonly methods: M;
  /** This interface's own methods (not its parents'), in vtable order. */
  readonly ownMethodNames: readonly string[];
  /** Vtable slot of a method: its position in `methods`. */
  slot(method: keyof M & string): number;
}

type MethodsOf<I> = I extends InterfaceDef<infer M> ? M : never;

export type InValues<P extends readonly unknown[]> = P extends readonly [infer Head, ...infer Rest]
  ? Head extends InParam<infer V, unknown>
    ? [V, ...InValues<Rest>]
    : InValues<Rest>
  : [];

export type OutValues<P extends readonly unknown[]> = P extends readonly [infer Head, ...infer Rest]
  ? Head extends OutParam<infer V>
    ? [V, ...OutValues<Rest>]
    : OutValues<Rest>
  : [];

export type CallbackValues<P extends readonly unknown[]> = {
  -readonly [K in keyof P]: P[K] extends InParam<unknown, infer CV> ? CV : never;
};

export type MethodName<I extends InterfaceDef> = keyof MethodsOf<I> & string;
export type MethodParams<I extends InterfaceDef, K extends MethodName<I>> = MethodsOf<I>[K]['params'];

export function method<const P extends readonly AnyParam[]>(...params: P): MethodSpec<P> {
  return { params, returns: 'HRESULT' };
}

function ulongMethod(): MethodSpec<readonly []> {
  return { params: [], returns: 'ULONG' };
}

export function defineInterface<P extends InterfaceDef, const M extends MethodTable>(spec: {
  name: string;
  iid: string;
  parent: P;
  methods: M;
}): InterfaceDef<MethodsOf<P> & M> {
  // The merged table is built at run time; its type is the parent's methods then these.
  return buildInterface(spec.name, spec.iid, spec.parent, spec.methods) as unknown as InterfaceDef<MethodsOf<P> & M>;
}

function buildInterface<M extends MethodTable>(name: string, iid: string, parent: InterfaceDef | null, own: M): InterfaceDef<M> {
  const inherited = parent ? Object.keys(parent.methods) : [];
  for (const methodName of Object.keys(own)) {
    if (inherited.includes(methodName)) throw new Error(`${name}.${methodName} hides a parent method`);
  }
  const methods = { ...parent?.methods, ...own } as M;
  const order = Object.keys(methods);
  return {
    name,
    iid: canonicalGuid(iid),
    parent,
    methods,
    ownMethodNames: Object.keys(own),
    slot(methodName: string): number {
      const index = order.indexOf(methodName);
      if (index < 0) throw new Error(`${name} has no method ${methodName}`);
      return index;
    },
  };
}

// ---- parameter kinds -------------------------------------------------------------

function int32Bits(value: number): bigint {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) {
    throw new RangeError(`not a 32-bit integer: ${value}`);
  }
  // Zero-extended: the callee reads the low 32 bits of the register.
  return BigInt(value >>> 0);
}

function pointerBits(address: bigint): bigint {
  return BigInt.asUintN(64, address);
}

function toAddress(raw: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(raw));
}

function encodeAddress(address: bigint): EncodedArg {
  return { vt: VT.I8, bits: pointerBits(address) };
}

function readOptionalWideString(raw: number | bigint, native: NativeAccess): string | null {
  const address = toAddress(raw);
  return address === 0n ? null : native.readWideString(address);
}

function readOptionalGuid(raw: number | bigint, native: NativeAccess): string | null {
  const address = toAddress(raw);
  return address === 0n ? null : readGuid(native.read(address, GUID_SIZE));
}

export function readPropertyKey(bytes: Buffer): PropertyKey {
  return { fmtid: readGuid(bytes, 0), pid: bytes.readUInt32LE(GUID_SIZE) };
}

export function propertyKeyBytes(key: PropertyKey): Buffer {
  const bytes = Buffer.alloc(PROPERTYKEY_SIZE);
  writeGuid(key.fmtid, bytes, 0);
  bytes.writeUInt32LE(key.pid, GUID_SIZE);
  return bytes;
}

/** A signed 32-bit integer or enum (INT, LONG, EDataFlow, AudioSessionState...). */
export function int(c: string): InParam<number, number> {
  return {
    direction: 'in',
    c,
    encode: (value) => ({ vt: VT.I4, bits: int32Bits(value) }),
    callbackType: 'i32',
    decodeCallback: (raw) => Number(raw) | 0,
  };
}

/** An unsigned 32-bit integer (UINT, DWORD, UINT32). */
export function uint(c: string): InParam<number, number> {
  return {
    direction: 'in',
    c,
    encode: (value) => ({ vt: VT.I4, bits: int32Bits(value) }),
    callbackType: 'i32',
    decodeCallback: (raw) => Number(raw) >>> 0,
  };
}

/** A Win32 BOOL (32-bit). */
export function bool(c: string): InParam<boolean, boolean> {
  return {
    direction: 'in',
    c,
    encode: (value) => ({ vt: VT.I4, bits: value ? 1n : 0n }),
    callbackType: 'i32',
    decodeCallback: (raw) => Number(raw) !== 0,
  };
}

/** The float whose bits are the low 32 of a register read as a double (see CallbackArgType). */
export function floatFromRegister(register: number): number {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, register, true);
  return bits.getFloat32(0, true);
}

/** A float, passed in the XMM register of its position (DispCallFunc loads both). */
export function float(c: string): InParam<number, number> {
  return {
    direction: 'in',
    c,
    encode: (value) => {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite float: ${value}`);
      return { vt: VT.R4, value };
    },
    callbackType: 'xmm',
    decodeCallback: (raw) => floatFromRegister(Number(raw)),
  };
}

/** A 64-bit integer (LONGLONG, REFERENCE_TIME). */
export function int64(c: string): InParam<bigint, bigint> {
  return {
    direction: 'in',
    c,
    encode: (value) => ({ vt: VT.I8, bits: BigInt.asUintN(64, value) }),
    callbackType: 'ptr',
    decodeCallback: (raw) => BigInt.asIntN(64, BigInt(raw)),
  };
}

/** A raw pointer the caller manages (a HANDLE, a struct it filled itself, a float array); `lent`: what a sink is lent through it. */
export function pointer(c: string, lent?: LentCopy): InParam<bigint, bigint> {
  return {
    direction: 'in',
    c,
    encode: (value) => encodeAddress(value),
    callbackType: 'ptr',
    ...(lent ? { lent } : {}),
    decodeCallback: (raw) => toAddress(raw),
  };
}

/** A pointer to a GUID (LPCGUID, REFGUID); null passes NULL. */
export function guidRef(c: string): InParam<string | null, string | null> {
  return {
    direction: 'in',
    c,
    encode: (value, { frame }) => {
      if (value === null) return encodeAddress(0n);
      const offset = frame.allocate(GUID_SIZE);
      writeGuid(value, frame.buffer, offset);
      return encodeAddress(frame.address(offset));
    },
    callbackType: 'ptr',
    lent: { kind: 'bytes', size: GUID_SIZE },
    decodeCallback: readOptionalGuid,
  };
}

/** REFIID naming the interface an object out-parameter of the same call will hold. */
export function iid(c: string): InParam<InterfaceDef, string | null> {
  return {
    direction: 'in',
    c,
    encode: (value, context) => {
      context.requestedInterface = value;
      const offset = context.frame.allocate(GUID_SIZE);
      writeGuid(value.iid, context.frame.buffer, offset);
      return encodeAddress(context.frame.address(offset));
    },
    callbackType: 'ptr',
    lent: { kind: 'bytes', size: GUID_SIZE },
    decodeCallback: readOptionalGuid,
  };
}

/** A NUL-terminated UTF-16 string (LPCWSTR); null passes NULL. */
export function wstr(c: string): InParam<string | null, string | null> {
  return {
    direction: 'in',
    c,
    encode: (value, { frame }) => encodeAddress(value === null ? 0n : frame.putWideString(value)),
    callbackType: 'ptr',
    lent: { kind: 'wide-string' },
    decodeCallback: readOptionalWideString,
  };
}

/** REFPROPERTYKEY, or a PROPERTYKEY passed by value (x64 passes structs over 8 bytes by address). */
export function propertyKeyRef(c: string): InParam<PropertyKey, PropertyKey> {
  return {
    direction: 'in',
    c,
    encode: (value, { frame }) => encodeAddress(frame.put(propertyKeyBytes(value))),
    callbackType: 'ptr',
    lent: { kind: 'bytes', size: PROPERTYKEY_SIZE },
    decodeCallback: (raw, native) => readPropertyKey(native.read(toAddress(raw), PROPERTYKEY_SIZE)),
  };
}

/** A COM object argument (ours or Windows'); a sink method receives it as a borrowed address. */
export function object(c: string): InParam<ComObjectAddress | null, bigint> {
  return {
    direction: 'in',
    c,
    encode: (value) => encodeAddress(value === null ? 0n : value.address),
    callbackType: 'ptr',
    lent: { kind: 'object' },
    decodeCallback: (raw) => toAddress(raw),
  };
}

function outParam<V>(c: string, size: number, decode: (offset: number, context: MarshalContext) => V): OutParam<V> {
  return { direction: 'out', c, size, decode };
}

/** Receives an interface pointer of a known type; null when the callee set NULL. */
export function outObject<I extends InterfaceDef>(c: string, iface: I): OutParam<ComRef<I> | null> {
  return outParam(c, 8, (offset, context) => {
    const address = context.frame.buffer.readBigUInt64LE(offset);
    return address === 0n ? null : context.adopt(address, iface);
  });
}

/** Receives an interface pointer of the type this call's `iid` parameter asked for. */
export function outRequestedObject(c: string): OutParam<ComRef | null> {
  return outParam(c, 8, (offset, context) => {
    const address = context.frame.buffer.readBigUInt64LE(offset);
    const iface = context.requestedInterface;
    if (!iface) throw new Error(`${c} out-parameter without an iid parameter`);
    return address === 0n ? null : context.adopt(address, iface);
  });
}

export function outUint(c: string): OutParam<number> {
  return outParam(c, 4, (offset, { frame }) => frame.buffer.readUInt32LE(offset));
}

export function outInt(c: string): OutParam<number> {
  return outParam(c, 4, (offset, { frame }) => frame.buffer.readInt32LE(offset));
}

export function outFloat(c: string): OutParam<number> {
  return outParam(c, 4, (offset, { frame }) => frame.buffer.readFloatLE(offset));
}

export function outBool(c: string): OutParam<boolean> {
  return outParam(c, 4, (offset, { frame }) => frame.buffer.readInt32LE(offset) !== 0);
}

export function outInt64(c: string): OutParam<bigint> {
  return outParam(c, 8, (offset, { frame }) => frame.buffer.readBigInt64LE(offset));
}

/** A raw pointer the caller then owns (e.g. a CoTaskMem WAVEFORMATEX). */
export function outPointer(c: string): OutParam<bigint> {
  return outParam(c, 8, (offset, { frame }) => frame.buffer.readBigUInt64LE(offset));
}

export function outGuid(c: string): OutParam<string> {
  return outParam(c, GUID_SIZE, (offset, { frame }) => readGuid(frame.buffer, offset));
}

/** An LPWSTR the callee allocated: read, then freed with CoTaskMemFree. */
export function outCoTaskString(c: string): OutParam<string | null> {
  return outParam(c, 8, (offset, { frame, native }) => {
    const address = frame.buffer.readBigUInt64LE(offset);
    if (address === 0n) return null;
    try {
      return native.readWideString(address);
    } finally {
      native.coTaskMemFree(address);
    }
  });
}

export function outPropertyKey(c: string): OutParam<PropertyKey> {
  return outParam(c, PROPERTYKEY_SIZE, (offset, { frame }) => readPropertyKey(frame.buffer.subarray(offset)));
}

/** A PROPVARIANT (24 bytes on x64): decoded, then cleared with PropVariantClear. */
export function outPropVariant(c: string): OutParam<PropValue> {
  return outParam(c, PROPVARIANT_LAYOUT.size, (offset, { frame, native }) => {
    try {
      return decodePropVariant(frame.buffer, offset, native);
    } finally {
      native.propVariantClear(frame.address(offset));
    }
  });
}

export function decodePropVariant(buffer: Buffer, offset: number, native: NativeAccess): PropValue {
  const vt = buffer.readUInt16LE(offset);
  const valueOffset = offset + PROPVARIANT_LAYOUT.offsets.pwszVal;
  switch (vt) {
    case VT.EMPTY:
      return { type: 'empty' };
    case VT.LPWSTR: {
      const address = buffer.readBigUInt64LE(valueOffset);
      return address === 0n ? { type: 'empty' } : { type: 'string', value: native.readWideString(address) };
    }
    case VT.UI4:
      return { type: 'uint', value: buffer.readUInt32LE(valueOffset) };
    case VT.I4:
      return { type: 'int', value: buffer.readInt32LE(valueOffset) };
    case VT.BOOL:
      return { type: 'bool', value: buffer.readInt16LE(valueOffset) !== 0 };
    case VT.CLSID: {
      const address = buffer.readBigUInt64LE(valueOffset);
      return address === 0n ? { type: 'empty' } : { type: 'guid', value: readGuid(native.read(address, GUID_SIZE)) };
    }
    default:
      return { type: 'other', vt };
  }
}

// ---- the root interface ----------------------------------------------------------

export const IUnknown = buildInterface('IUnknown', '{00000000-0000-0000-C000-000000000046}', null, {
  QueryInterface: method(iid('REFIID'), outRequestedObject('void**')),
  AddRef: ulongMethod(),
  Release: ulongMethod(),
});
