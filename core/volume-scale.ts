// The one percent<->dB mapping: the CLI, the engine host and the renderer (through
// core/contract) all show a volume in dB with these functions, so "-6 dB" means the same
// everywhere. A scalar is SndMix's 0..1 volume (100 % = 1); the curve says how the
// platform turns it into gain (native-bridge/types.ts VolumeCurve).
import type { Capabilities, DeviceRecord, VolumeCurve, VolumeRangeDb } from '../native-bridge/types';

/** dB of silence: shown as "-inf dB"; dbToScalar maps it (and anything below a range's minimum) to 0. */
export const SILENCE_DB = -Infinity;

/** The dB a 0..1 scalar stands for; -Infinity for 0 on the logarithmic curves. */
export function scalarToDb(scalar: number, curve: VolumeCurve, range: Pick<VolumeRangeDb, 'minDb' | 'maxDb'> | null = null): number {
  const clamped = Math.min(1, Math.max(0, scalar));
  switch (curve) {
    case 'cubic':
      return clamped === 0 ? SILENCE_DB : 60 * Math.log10(clamped);
    case 'amplitude':
      return clamped === 0 ? SILENCE_DB : 20 * Math.log10(clamped);
    case 'linear-db': {
      const { minDb, maxDb } = range ?? { minDb: -96, maxDb: 0 };
      return minDb + clamped * (maxDb - minDb);
    }
  }
}

/** The 0..1 scalar for a dB value (clamped to 0..1). */
export function dbToScalar(db: number, curve: VolumeCurve, range: Pick<VolumeRangeDb, 'minDb' | 'maxDb'> | null = null): number {
  if (Number.isNaN(db)) return 0;
  let scalar: number;
  switch (curve) {
    case 'cubic':
      scalar = db === SILENCE_DB ? 0 : 10 ** (db / 60);
      break;
    case 'amplitude':
      scalar = db === SILENCE_DB ? 0 : 10 ** (db / 20);
      break;
    case 'linear-db': {
      const { minDb, maxDb } = range ?? { minDb: -96, maxDb: 0 };
      scalar = maxDb === minDb ? 1 : (db - minDb) / (maxDb - minDb);
      break;
    }
  }
  return Math.min(1, Math.max(0, scalar));
}

/** "-6.0 dB", "-inf dB": one decimal, the way pactl and Sndvol's tooltips read. */
export function formatDb(db: number): string {
  if (db === SILENCE_DB) return '-inf dB';
  const rounded = Math.round(db * 10) / 10;
  return `${rounded === 0 ? '0.0' : rounded.toFixed(1)} dB`;
}

/** A scalar as a whole percent, the percent scale's label. */
export function formatPercent(scalar: number): string {
  return `${Math.round(Math.min(1, Math.max(0, scalar)) * 100)} %`;
}

/**
 * How one volume maps to dB: its curve, and the range a 'linear-db' curve spans. Null
 * where the backend does not say (a dB scale then shows percent and says why, never a guess).
 */
export interface DbMapping {
  curve: VolumeCurve;
  range: Pick<VolumeRangeDb, 'minDb' | 'maxDb'> | null;
}

/** Session volumes: the backend's curve (a 'linear-db' curve would need a range sessions do not have). */
export function sessionDbMapping(capabilities: Pick<Capabilities, 'sessionVolumeCurve'>): DbMapping | null {
  const curve = capabilities.sessionVolumeCurve;
  return curve && curve !== 'linear-db' ? { curve, range: null } : null;
}

/** A device's master volume: its endpoint's range where the platform tells it. */
export function deviceDbMapping(device: Pick<DeviceRecord, 'volumeRangeDb'>): DbMapping | null {
  const range = device.volumeRangeDb;
  return range ? { curve: range.curve, range } : null;
}

export function mappedDb(scalar: number, mapping: DbMapping): number {
  return scalarToDb(scalar, mapping.curve, mapping.range);
}

/**
 * A volume as plain text for the CLI and the tray: "46%", or on the dB scale "-5.8 dB";
 * where the mapping is unknown it stays in percent and `dbUnknown` says so (the caller
 * tells the user why, once).
 */
export function volumeLabel(scalar: number, scale: 'percent' | 'decibel', mapping: DbMapping | null): { text: string; dbUnknown: boolean } {
  const percent = `${Math.round(Math.min(1, Math.max(0, scalar)) * 100)}%`;
  if (scale === 'percent') return { text: percent, dbUnknown: false };
  return mapping ? { text: formatDb(mappedDb(scalar, mapping)), dbUnknown: false } : { text: percent, dbUnknown: true };
}
