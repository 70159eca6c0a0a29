// How times, counts and changes read in the timeline and the inspector.
import type { FieldChange } from './describe-event';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Local wall-clock time to the millisecond, e.g. 14:05:09.123. */
export function formatClock(time: number): string {
  const date = new Date(time);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The full local date and time, for tooltips. */
export function formatDateTime(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatClock(time)}`;
}

const counts = new Intl.NumberFormat('en-US');

export function formatCount(count: number): string {
  return counts.format(count);
}

/** "volume 0.80 → 0.30"; a value seen for the first time reads "volume = 0.30". */
export function formatChange(change: FieldChange): string {
  if (change.old === null) return `${change.field} = ${change.new}`;
  if (change.old === change.new) return `${change.field} ${change.new} (unchanged)`;
  return `${change.field} ${change.old} → ${change.new}`;
}
