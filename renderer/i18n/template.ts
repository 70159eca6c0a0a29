// A translation formatted once and filled in many times: i18next formats the string with a
// marker in place of each value, and every use joins the pieces around them. For text
// that hundreds of strips word at once (a snapshot of 500 sessions), where i18next's
// lookup and interpolation per call per strip were a quarter of the first paint.
// Values are strings the caller has formatted (numbers, times); a plural form depends on
// its count, so plurals stay with i18next (see StripWords' per-count cache).
import type { Translate } from './i18n';
import type { StringKey } from './keys';

// Private-use characters: never in a translation, never in what i18next adds.
const MARKER_BASE = 0xe000;

/** Marks the slot at `index`: formatters that meet one pass it through (the "clock" formatter in i18n.ts). */
export function slotMarker(index: number): string {
  return String.fromCharCode(MARKER_BASE + index);
}

export function isSlotMarker(value: unknown): value is string {
  return typeof value === 'string' && value.length === 1 && value.charCodeAt(0) >= MARKER_BASE && value.charCodeAt(0) < MARKER_BASE + 16;
}

/** `template(t, 'strip.volumeOf', 'name')('Firefox')` reads as `t('strip.volumeOf', { name: 'Firefox' })`. */
export function template<const Slots extends readonly string[]>(
  t: Translate,
  key: StringKey,
  ...slots: Slots
): (...values: { [Index in keyof Slots]: string }) => string {
  const formatted = t(key, Object.fromEntries(slots.map((slot, index) => [slot, slotMarker(index)])));
  // Literals and slot indexes in order: "Volume of ", 0, "".
  const pieces: (string | number)[] = [];
  let literal = '';
  for (const character of formatted) {
    const index = character.charCodeAt(0) - MARKER_BASE;
    if (index >= 0 && index < slots.length) {
      pieces.push(literal, index);
      literal = '';
    } else {
      literal += character;
    }
  }
  pieces.push(literal);
  return (...values) => {
    let text = '';
    for (const piece of pieces) text += typeof piece === 'number' ? values[piece] : piece;
    return text;
  };
}
