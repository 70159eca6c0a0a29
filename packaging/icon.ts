// The app's icon for the installers, drawn from the tray's speaker glyph (one drawing of
// it): white on SndMix's accent blue, in a rounded square.
import { encodePng } from '../native-bridge/coreaudio/png';
import { trayIconBitmap } from '../electron/desktop/tray-state';

const ACCENT = [0x00, 0x5f, 0xb8] as const;

export function appIconPng(size = 512): Buffer {
  const glyphSize = Math.round(size * 0.7);
  const offset = Math.round((size - glyphSize) / 2);
  const glyph = trayIconBitmap('high', glyphSize);
  const radius = size * 0.2;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const dx = Math.max(radius - x - 0.5, x + 0.5 - (size - radius), 0);
      const dy = Math.max(radius - y - 0.5, y + 0.5 - (size - radius), 0);
      const inside = Math.min(1, Math.max(0, radius - Math.hypot(dx, dy) + 0.5));
      const gx = x - offset;
      const gy = y - offset;
      const ink = gx >= 0 && gy >= 0 && gx < glyphSize && gy < glyphSize ? (glyph[(gy * glyphSize + gx) * 4 + 3] ?? 0) / 255 : 0;
      const index = (y * size + x) * 4;
      ACCENT.forEach((value, channel) => {
        rgba[index + channel] = Math.round(value * (1 - ink) + 255 * ink);
      });
      rgba[index + 3] = Math.round(inside * 255);
    }
  }
  return encodePng(size, size, rgba);
}
