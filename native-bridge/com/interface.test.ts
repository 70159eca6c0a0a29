import { describe, expect, it } from 'vitest';
import { Frame } from './frame';
import {
  decodePropVariant,
  defineInterface,
  float,
  floatFromRegister,
  guidRef,
  int,
  IUnknown,
  method,
  outFloat,
  uint,
  VT,
  wstr,
  type MarshalContext,
  type NativeAccess,
} from './interface';

const IBase = defineInterface({
  name: 'IBase',
  iid: '{00000000-0000-0000-0000-0000000000AA}',
  parent: IUnknown,
  methods: { First: method(), Second: method(outFloat('float*')) },
});
const IDerived = defineInterface({
  name: 'IDerived',
  iid: '{00000000-0000-0000-0000-0000000000BB}',
  parent: IBase,
  methods: { Third: method(int('int')) },
});

const native: NativeAccess = {
  read: (_address, length) => Buffer.alloc(length),
  readWideString: () => 'from native',
  coTaskMemFree: () => undefined,
  propVariantClear: () => undefined,
};

function context(): MarshalContext {
  const frame = new Frame(Buffer.alloc(256), 0x10000n);
  return {
    frame,
    native,
    adopt: () => {
      throw new Error('no objects here');
    },
    requestedInterface: null,
  };
}

describe('interface declarations', () => {
  it('derive slots from declaration order, parent interfaces first', () => {
    expect(Object.keys(IDerived.methods)).toEqual(['QueryInterface', 'AddRef', 'Release', 'First', 'Second', 'Third']);
    expect(IDerived.slot('QueryInterface')).toBe(0);
    expect(IDerived.slot('Release')).toBe(2);
    expect(IDerived.slot('First')).toBe(3);
    expect(IDerived.slot('Third')).toBe(5);
    expect(IDerived.ownMethodNames).toEqual(['Third']);
    expect(IDerived.iid).toBe('{00000000-0000-0000-0000-0000000000BB}');
  });

  it('refuse a method that would hide a parent method, and unknown method names', () => {
    expect(() =>
      defineInterface({
        name: 'IBad',
        iid: '{00000000-0000-0000-0000-0000000000CC}',
        parent: IBase,
        methods: { First: method() },
      }),
    ).toThrow(/hides a parent method/);
    expect(() => IBase.slot('Nope' as 'First')).toThrow(/has no method Nope/);
  });
});

describe('parameter marshalling', () => {
  it('passes ints and uints as VT_I4, zero-extended', () => {
    expect(int('int').encode(-1, context())).toEqual({ vt: VT.I4, bits: 0xffffffffn });
    expect(uint('DWORD').encode(0xffffffff, context())).toEqual({ vt: VT.I4, bits: 0xffffffffn });
    expect(() => int('int').encode(1.5, context())).toThrow(RangeError);
    expect(() => uint('DWORD').encode(2 ** 32, context())).toThrow(RangeError);
  });

  it('passes floats as VT_R4 and refuses non-finite ones', () => {
    expect(float('float').encode(0.25, context())).toEqual({ vt: VT.R4, value: 0.25 });
    expect(() => float('float').encode(Number.NaN, context())).toThrow(RangeError);
  });

  it('writes GUIDs and strings into the frame and passes their addresses (NULL for null)', () => {
    const ctx = context();
    const guid = guidRef('LPCGUID').encode('{87CE5498-68D6-44E5-9215-6DA47EF883D8}', ctx);
    expect(guid).toEqual({ vt: VT.I8, bits: 0x10000n });
    expect(ctx.frame.buffer.subarray(0, 4).toString('hex')).toBe('9854ce87');
    const text = wstr('LPCWSTR').encode('hi', ctx);
    expect(text).toEqual({ vt: VT.I8, bits: 0x10010n });
    expect(ctx.frame.buffer.toString('utf16le', 16, 22)).toBe('hi\0');
    expect(guidRef('LPCGUID').encode(null, ctx)).toEqual({ vt: VT.I8, bits: 0n });
  });

  it('takes a float back from the low 32 bits of a register read as a double', () => {
    const register = new DataView(new ArrayBuffer(8));
    register.setFloat32(0, 0.75, true);
    expect(floatFromRegister(register.getFloat64(0, true))).toBe(0.75);
  });

  it('decodes PROPVARIANTs it knows and names the VARTYPE of the rest', () => {
    const value = Buffer.alloc(24);
    value.writeUInt16LE(VT.LPWSTR, 0);
    value.writeBigUInt64LE(0x1234n, 8);
    expect(decodePropVariant(value, 0, native)).toEqual({ type: 'string', value: 'from native' });
    value.writeUInt16LE(VT.UI4, 0);
    value.writeUInt32LE(7, 8);
    expect(decodePropVariant(value, 0, native)).toEqual({ type: 'uint', value: 7 });
    value.writeUInt16LE(65, 0);
    expect(decodePropVariant(value, 0, native)).toEqual({ type: 'other', vt: 65 });
  });
});
