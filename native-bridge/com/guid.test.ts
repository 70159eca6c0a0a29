import { describe, expect, it } from 'vitest';
import { canonicalGuid, guidBytes, isGuidText, newGuid, readGuid } from './guid';

describe('GUID marshalling', () => {
  it('lays a GUID out as Windows does: Data1..Data3 little-endian, Data4 as bytes', () => {
    const bytes = guidBytes('{87CE5498-68D6-44E5-9215-6DA47EF883D8}');
    expect(bytes.toString('hex')).toBe('9854ce87d668e54492156da47ef883d8');
    expect(readGuid(bytes)).toBe('{87CE5498-68D6-44E5-9215-6DA47EF883D8}');
  });

  it('spells GUIDs canonically (braced, upper case) and rejects anything else', () => {
    expect(canonicalGuid('87ce5498-68d6-44e5-9215-6da47ef883d8')).toBe('{87CE5498-68D6-44E5-9215-6DA47EF883D8}');
    expect(() => canonicalGuid('{87ce5498-68d6-44e5-9215-6da47ef883d8')).toThrow(TypeError);
    expect(() => canonicalGuid('not a guid')).toThrow(/not a GUID/);
    expect(isGuidText('{87ce5498-68d6-44e5-9215-6da47ef883d8}')).toBe(true);
    expect(isGuidText('87ce5498-68d6-44e5-9215-6da47ef883d8}')).toBe(false);
  });

  it('round-trips random GUIDs and refuses short buffers', () => {
    const guid = newGuid();
    expect(readGuid(guidBytes(guid))).toBe(guid);
    expect(() => readGuid(Buffer.alloc(15))).toThrow(RangeError);
  });
});
