// A minimal PNG encoder (8-bit RGBA, no filtering) for icons rendered through Win32.
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes top-down RGBA pixels (width * height * 4 bytes) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`bad image size ${width}x${height}`);
  }
  if (rgba.length !== width * height * 4)
    throw new RangeError(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    // Each scanline starts with its filter type: 0 (none).
    Buffer.from(rgba.buffer, rgba.byteOffset + row * stride, stride).copy(raw, row * (stride + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

/**
 * Turns a 32-bit BGRA DIB (as GetDIBits gives it, top-down) into RGBA. Icons without an
 * alpha channel (every alpha byte 0) take their transparency from the AND mask, where a
 * set bit means transparent; `mask` holds 1-bit rows padded to 32 bits, or is null.
 */
export function iconPixelsToRgba(width: number, height: number, bgra: Uint8Array, mask: Uint8Array | null): Buffer {
  const rgba = Buffer.alloc(width * height * 4);
  let hasAlpha = false;
  for (let index = 3; index < width * height * 4; index += 4) {
    if (bgra[index] !== 0) {
      hasAlpha = true;
      break;
    }
  }
  const maskStride = Math.ceil(width / 32) * 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      rgba[offset] = bgra[offset + 2] ?? 0;
      rgba[offset + 1] = bgra[offset + 1] ?? 0;
      rgba[offset + 2] = bgra[offset] ?? 0;
      if (hasAlpha) rgba[offset + 3] = bgra[offset + 3] ?? 0;
      else {
        const transparent = mask ? ((mask[y * maskStride + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1 : 0;
        rgba[offset + 3] = transparent ? 0 : 255;
      }
    }
  }
  return rgba;
}
