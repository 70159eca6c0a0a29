// Test fixtures for icons: a known .ico file, and a reader for the PNG data URLs our
// encoder (../png.ts: RGBA, unfiltered rows) produces.
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

const SIZE = 32;

/**
 * A 32x32, 32-bit .ico: opaque red, except the bottom-right quadrant, which is fully
 * transparent (alpha 0, AND-mask bit set).
 */
export function writeTestIcon(path: string): void {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  // The AND mask: 1 bit per pixel, rows padded to 4 bytes (32 pixels: exactly 4).
  const maskRows = Buffer.alloc((SIZE / 8) * SIZE);
  // Rows are stored bottom-up.
  for (let y = 0; y < SIZE; y++) {
    const row = SIZE - 1 - y;
    for (let x = 0; x < SIZE; x++) {
      const transparent = x >= SIZE / 2 && y >= SIZE / 2;
      const offset = (row * SIZE + x) * 4;
      pixels.set(transparent ? [0, 0, 0, 0] : [0, 0, 255, 255], offset); // BGRA
      if (transparent) maskRows[row * (SIZE / 8) + (x >> 3)] = (maskRows[row * (SIZE / 8) + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
    }
  }
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(SIZE, 4);
  info.writeInt32LE(SIZE * 2, 8); // colour and mask, stacked
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  const image = Buffer.concat([info, pixels, maskRows]);
  header[6] = SIZE;
  header[7] = SIZE;
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bit count
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(header.length, 18);
  writeFileSync(path, Buffer.concat([header, image]));
}

export interface DecodedPng {
  width: number;
  height: number;
  opaquePixels: number;
  pixel(x: number, y: number): [number, number, number, number];
}

export function decodePngDataUrl(url: string): DecodedPng {
  const prefix = 'data:image/png;base64,';
  if (!url.startsWith(prefix)) throw new Error(`not a PNG data URL: ${url.slice(0, 40)}`);
  const png = Buffer.from(url.slice(prefix.length), 'base64');
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4 + 1;
  const pixel = (x: number, y: number): [number, number, number, number] => {
    const at = y * stride + 1 + x * 4;
    return [raw[at] ?? 0, raw[at + 1] ?? 0, raw[at + 2] ?? 0, raw[at + 3] ?? 0];
  };
  let opaquePixels = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (pixel(x, y)[3] > 0) opaquePixels++;
  return { width, height, opaquePixels, pixel };
}
