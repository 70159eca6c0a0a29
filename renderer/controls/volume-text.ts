// How a volume reads in the chosen scale (percent, or dB through core/volume-scale.ts):
// the value shown under a slider and what a screen reader says, in the UI's language with
// its number format ("-5.8 dB", "-5,8 dB", "-∞ dB" at 0). Where a dB scale is chosen but
// the backend does not say how a volume maps to dB, it reads in percent and says so.
// One object per scale, mapping and language, shared by every strip: a strip's render
// formats its one number and looks nothing else up.
import type { DbMapping, VolumeScale } from '../../core/contract';
import { mappedDb } from '../../core/contract';
import type { Translate } from '../i18n/i18n';

export interface VolumeText {
  /** Under the slider: "45" in percent (Sndvol's way), "-20.8 dB" in dB, "45 %" where dB is unknown. */
  shown(percent: number): string;
  /** aria-valuetext. */
  spoken(percent: number): string;
  /** Why a dB scale reads in percent here (the value's tooltip); null when it does not. */
  note: string | null;
  /** Texts longer than a percent ("-100.0 dB"): the compact rows keep room for them. */
  wide: boolean;
}

/** Why a volume has no dB mapping: the backend's session curve, or the device's range, is unknown. */
export type UnknownDb = { kind: 'session'; backend: string } | { kind: 'device' };

const cache = new Map<string, VolumeText>();
// Languages and scales are few, but device ranges could be many: a bound keeps it small.
const MAX_CACHED = 64;

export function volumeTextFor(t: Translate, language: string, scale: VolumeScale, mapping: DbMapping | null, unknown: UnknownDb): VolumeText {
  const key = [
    language,
    scale,
    mapping ? `${mapping.curve}:${mapping.range?.minDb ?? ''}:${mapping.range?.maxDb ?? ''}` : '',
    scale === 'decibel' && !mapping ? (unknown.kind === 'session' ? `session:${unknown.backend}` : 'device') : '',
  ].join('|');
  let text = cache.get(key);
  if (!text) {
    if (cache.size >= MAX_CACHED) cache.clear();
    text = makeVolumeText(t, language, scale, mapping, unknown);
    cache.set(key, text);
  }
  return text;
}

function makeVolumeText(t: Translate, language: string, scale: VolumeScale, mapping: DbMapping | null, unknown: UnknownDb): VolumeText {
  const percentText = byPercent((percent) => t('strip.valueText', { percent }));
  if (scale === 'percent') return { shown: String, spoken: percentText, note: null, wide: false };
  if (!mapping) {
    const reason = unknown.kind === 'session' ? t('volume.sessionDbUnknown', { backend: unknown.backend }) : t('volume.deviceDbUnknown');
    return { shown: percentText, spoken: byPercent((percent) => t('volume.dbUnknown', { value: percentText(percent), reason })), note: reason, wide: true };
  }
  // Halves round up, as core's formatDb (Math.round) does for the CLI: one value, one text.
  const numbers = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'negative', roundingMode: 'halfCeil' });
  const db = byPercent((percent) => t('volume.db', { db: numbers.format(mappedDb(percent / 100, mapping)) }));
  return { shown: db, spoken: db, note: null, wide: true };
}

/** Sliders stop at whole percents: each of the 101 texts is worded once, not per strip per render. */
function byPercent(text: (percent: number) => string): (percent: number) => string {
  const made: string[] = [];
  return (percent) => (Number.isInteger(percent) && percent >= 0 && percent <= 100 ? (made[percent] ??= text(percent)) : text(percent));
}
