import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, iconPixelsToRgba, pngDataUrl } from './png';

describe('PNG encoding of icons', () => {
  it('writes a valid RGBA PNG whose rows inflate back to the pixels', () => {
    const rgba = Buffer.from([255, 0, 0, 255, 0, 255, 0, 128]);
    const png = encodePng(2, 1, rgba);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(2);
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    expect([...inflateSync(png.subarray(41, 41 + idatLength))]).toEqual([0, ...rgba]);
    expect(pngDataUrl(png)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('refuses sizes that do not match the pixels', () => {
    expect(() => encodePng(2, 2, Buffer.alloc(4))).toThrow(RangeError);
    expect(() => encodePng(0, 1, Buffer.alloc(0))).toThrow(RangeError);
  });

  it('turns BGRA into RGBA, taking transparency from the AND mask when there is no alpha', () => {
    const bgra = Buffer.from([10, 20, 30, 0, 40, 50, 60, 0]);
    const mask = Buffer.from([0b01000000, 0, 0, 0]);
    expect([...iconPixelsToRgba(2, 1, bgra, mask)]).toEqual([30, 20, 10, 255, 60, 50, 40, 0]);
    const withAlpha = Buffer.from([10, 20, 30, 7, 40, 50, 60, 0]);
    expect([...iconPixelsToRgba(2, 1, withAlpha, mask)]).toEqual([30, 20, 10, 7, 60, 50, 40, 0]);
  });
});
