// GUIDs between their text form ("{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}") and the
// 16 bytes of a Windows GUID struct (Data1 u32 LE, Data2 u16 LE, Data3 u16 LE, Data4 8 bytes).
import { randomUUID } from 'node:crypto';

export const GUID_SIZE = 16;
/** The null GUID: a process's default session (R5), "no grouping"; defined with the records that carry it. */
export { GUID_NULL } from '../types';

const GUID_PATTERN = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** Canonical spelling: braced, upper case. Throws on anything that is not a GUID. */
export function canonicalGuid(text: string): string {
  const match = GUID_PATTERN.exec(text);
  if (!match || text.startsWith('{') !== text.endsWith('}')) throw new TypeError(`not a GUID: ${JSON.stringify(text)}`);
  return `{${match.slice(1).join('-').toUpperCase()}}`;
}

/** Whether canonicalGuid accepts it: 36 hex-and-dash characters, braced or bare (not half-braced). */
export function isGuidText(text: unknown): text is string {
  return typeof text === 'string' && GUID_PATTERN.test(text) && text.startsWith('{') === text.endsWith('}');
}

export function writeGuid(text: string, target: Buffer, offset = 0): void {
  const hex = canonicalGuid(text).slice(1, -1).replaceAll('-', '');
  target.writeUInt32LE(Number.parseInt(hex.slice(0, 8), 16), offset);
  target.writeUInt16LE(Number.parseInt(hex.slice(8, 12), 16), offset + 4);
  target.writeUInt16LE(Number.parseInt(hex.slice(12, 16), 16), offset + 6);
  Buffer.from(hex.slice(16), 'hex').copy(target, offset + 8);
}

export function guidBytes(text: string): Buffer {
  const bytes = Buffer.alloc(GUID_SIZE);
  writeGuid(text, bytes);
  return bytes;
}

export function readGuid(source: Buffer, offset = 0): string {
  if (source.length < offset + GUID_SIZE) throw new RangeError('buffer too short for a GUID');
  const data1 = source.readUInt32LE(offset).toString(16).padStart(8, '0');
  const data2 = source
    .readUInt16LE(offset + 4)
    .toString(16)
    .padStart(4, '0');
  const data3 = source
    .readUInt16LE(offset + 6)
    .toString(16)
    .padStart(4, '0');
  const data4 = source.subarray(offset + 8, offset + 16).toString('hex');
  return `{${data1}-${data2}-${data3}-${data4.slice(0, 4)}-${data4.slice(4)}}`.toUpperCase();
}

export function newGuid(): string {
  return canonicalGuid(randomUUID());
}
