// What the tray icon shows: the default playback device's volume state, as a level
// (the icon), a tooltip, and the icon's pixels. Pure: drawn here, not shipped as files,
// so each level is one definition and any size (16, 32 for high-DPI) is exact.
import type { VolumeScale } from '../../core/settings';
import { deviceDbMapping, volumeLabel } from '../../core/volume-scale';
import type { DeviceRecord } from '../../native-bridge/types';
import type { TrayText } from './tray-text';

export type TrayLevel = 'none' | 'muted' | 'low' | 'medium' | 'high';

export function trayLevel(device: DeviceRecord | undefined): TrayLevel {
  if (!device || device.volume === null) return 'none';
  if (device.muted === true || device.volume === 0) return 'muted';
  if (device.volume < 1 / 3) return 'low';
  if (device.volume < 2 / 3) return 'medium';
  return 'high';
}

/** "SndMix: Speakers 46% (muted)"; on the dB scale "-20.2 dB", or the percent and why where the device gives no dB range. */
export function trayTooltip(device: DeviceRecord | undefined, scale: VolumeScale, text: TrayText): string {
  if (!device) return text('noDevice');
  if (device.volume === null) return text('device', { name: device.name });
  const volume = volumeLabel(device.volume, scale, deviceDbMapping(device));
  const tooltip = text(device.muted ? 'deviceVolumeMuted' : 'deviceVolume', { name: device.name, volume: volume.text });
  return volume.dbUnknown ? text('noDbRange', { tooltip }) : tooltip;
}

const WAVES: Record<TrayLevel, number> = { none: 0, muted: 0, low: 1, medium: 2, high: 3 };
const SUBSAMPLES = 4;

/** Coverage (0..1) of the speaker glyph at a point of the unit square. */
function coverage(level: TrayLevel, u: number, v: number): number {
  const dy = Math.abs(v - 0.5);
  // Body and cone.
  if (u >= 0.08 && u <= 0.3 && dy <= 0.14) return 1;
  if (u > 0.3 && u <= 0.5 && dy <= 0.14 + ((u - 0.3) / 0.2) * 0.24) return 1;
  if (level === 'muted' || level === 'none') {
    const x = u - 0.78;
    const y = v - 0.5;
    const inBox = Math.abs(x) <= 0.17 && Math.abs(y) <= 0.17;
    return inBox && (Math.abs(x - y) <= 0.06 || Math.abs(x + y) <= 0.06) ? 1 : 0;
  }
  const r = Math.hypot(u - 0.5, v - 0.5);
  const angle = Math.abs(Math.atan2(v - 0.5, u - 0.5));
  if (u <= 0.5 || angle > (50 * Math.PI) / 180) return 0;
  for (let wave = 0; wave < WAVES[level]; wave += 1) if (Math.abs(r - (0.17 + wave * 0.135)) <= 0.035) return 1;
  return 0;
}

/** The icon as BGRA pixels (nativeImage.createFromBitmap), white on transparent, anti-aliased. */
export function trayIconBitmap(level: TrayLevel, size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const alphaScale = level === 'none' ? 0.5 : 1;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let covered = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy += 1) {
        for (let sx = 0; sx < SUBSAMPLES; sx += 1) {
          covered += coverage(level, (x + (sx + 0.5) / SUBSAMPLES) / size, (y + (sy + 0.5) / SUBSAMPLES) / size);
        }
      }
      const alpha = Math.round((covered / SUBSAMPLES ** 2) * 255 * alphaScale);
      const offset = (y * size + x) * 4;
      // Premultiplied white: each colour channel equals alpha.
      pixels[offset] = alpha;
      pixels[offset + 1] = alpha;
      pixels[offset + 2] = alpha;
      pixels[offset + 3] = alpha;
    }
  }
  return pixels;
}
