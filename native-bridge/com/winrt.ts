// The few Windows Runtime entry points of combase.dll SndMix needs: HSTRINGs and
// RoGetActivationFactory. Windows only: importing this module elsewhere is harmless,
// calling openWinRt is not. Out-parameters are Node Buffers (ffi-rs passes a Buffer by the
// address of its bytes, so the callee writes straight into it).
import { DataType, load, open } from './ffi';
import { ComError, succeeded } from './hresult';
import { GUID_SIZE, writeGuid } from './guid';

export interface WinRt {
  /** A new HSTRING of the text (0n for ""); the caller deletes it. */
  createString(text: string): bigint;
  deleteString(hstring: bigint): void;
  /** The text of an HSTRING ("" for 0n), which stays the caller's to delete. */
  readString(hstring: bigint): string;
  /** RoGetActivationFactory: the factory's interface pointer (the caller's reference), or ComError with the HRESULT. */
  activationFactory(className: string, iid: string): bigint;
}

const { BigInt: Ptr, I32, U8Array } = DataType;

function call<R>(funcName: string, retType: DataType, paramsType: DataType[], paramsValue: unknown[], library = 'combase'): R {
  return load({ library, funcName, retType, paramsType, paramsValue }) as R;
}

let winRt: WinRt | null = null;

export function openWinRt(): WinRt {
  if (winRt) return winRt;
  open({ library: 'combase', path: 'combase.dll' });
  open({ library: 'kernel32', path: 'kernel32.dll' });
  const createString = (text: string): bigint => {
    if (text === '') return 0n;
    const out = Buffer.alloc(8);
    const hr = call<number>('WindowsCreateString', I32, [U8Array, I32, U8Array], [Buffer.from(`${text}\0`, 'utf16le'), text.length, out]);
    if (!succeeded(hr)) throw new ComError(hr, 'WindowsCreateString');
    return out.readBigUInt64LE();
  };
  const deleteString = (hstring: bigint): void => {
    if (hstring !== 0n) call<number>('WindowsDeleteString', I32, [Ptr], [hstring]);
  };
  winRt = {
    createString,
    deleteString,
    readString: (hstring) => {
      if (hstring === 0n) return '';
      const length = Buffer.alloc(4);
      const address = call<bigint>('WindowsGetStringRawBuffer', Ptr, [Ptr, U8Array], [hstring, length]);
      const characters = length.readUInt32LE();
      if (address === 0n || characters === 0) return '';
      const text = Buffer.alloc(characters * 2);
      call<undefined>('RtlMoveMemory', DataType.Void, [U8Array, Ptr, Ptr], [text, address, BigInt(text.length)], 'kernel32');
      return text.toString('utf16le');
    },
    activationFactory: (className, iid) => {
      const name = createString(className);
      try {
        const iidBytes = Buffer.alloc(GUID_SIZE);
        writeGuid(iid, iidBytes, 0);
        const out = Buffer.alloc(8);
        const hr = call<number>('RoGetActivationFactory', I32, [Ptr, U8Array, U8Array], [name, iidBytes, out]);
        if (!succeeded(hr)) throw new ComError(hr, `RoGetActivationFactory(${className})`);
        return out.readBigUInt64LE();
      } finally {
        deleteString(name);
      }
    },
  };
  return winRt;
}
