// How times, counts and changes read in the timeline and the inspector, in the UI's
// language (Intl); the formatters are made once per language, not per row.
import type { TFunction } from 'i18next';
import type { FieldChange } from './describe-event';
import { NO_VALUE } from './describe-event';

function cached<T>(make: (language: string) => T): (language: string) => T {
  const made = new Map<string, T>();
  return (language) => {
    let value = made.get(language);
    if (value === undefined) made.set(language, (value = make(language)));
    return value;
  };
}

// 24-hour wall-clock time to the millisecond, as QA logs read, in every language.
const clocks = cached(
  (language) => new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23' }),
);
const dateTimes = cached(
  (language) =>
    new Intl.DateTimeFormat(language, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      hourCycle: 'h23',
    }),
);
const minutes = cached(
  (language) => new Intl.DateTimeFormat(language, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
);
const seconds = cached((language) => new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }));
const counts = cached((language) => new Intl.NumberFormat(language));

/** Local wall-clock time to the millisecond, e.g. 14:05:09.123 (14:05:09,123 in German). */
export function formatClock(time: number, language: string): string {
  return clocks(language).format(time);
}

/** The full local date and time, for tooltips. */
export function formatDateTime(time: number, language: string): string {
  return dateTimes(language).format(time);
}

/** The local date and time to the minute, e.g. when a profile was saved. */
export function formatMinute(time: number, language: string): string {
  return minutes(language).format(time);
}

/** Local wall-clock time to the second, e.g. 14:05:09. */
export function formatSeconds(time: number, language: string): string {
  return seconds(language).format(time);
}

export function formatCount(count: number, language: string): string {
  return counts(language).format(count);
}

/** "volume 0.80 → 0.30"; a value seen for the first time reads "volume = 0.30". */
export function formatChange(change: FieldChange, t: TFunction): string {
  const value = (text: string) => (text === NO_VALUE ? t('events.noValue') : text);
  if (change.old === null) return t('events.firstValue', { field: change.field, value: value(change.new) });
  if (change.old === change.new) return t('events.unchanged', { field: change.field, value: value(change.new) });
  return t('events.changed', { field: change.field, old: value(change.old), new: value(change.new) });
}
