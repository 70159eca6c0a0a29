// What a strip says in words (its tooltip, who changed it last), apart from React so the
// strip, the inspector and the recently heard list read the same and tests can pin it.
import type { useTranslation } from 'react-i18next';
import type { ChangeOrigin, LastChange } from '../../core/contract';
import type { Translate as TranslateKey } from '../i18n/i18n';
import { template } from '../i18n/template';
import { formatClock } from '../timeline/format';

export type Translate = ReturnType<typeof useTranslation>['t'];

/** "Last changed by the app itself at 12:03:04.120": the strip's tooltip line. */
export function lastChangeText(t: Translate, change: LastChange): string {
  // The translator formats the time in its language ("{{time, clock}}").
  return t('change.lastBy', { who: t(`change.origin-${change.origin}`), time: change.time });
}

/** "By the app itself at 12:03:04.120": the inspector's "Last change" field (its label says the rest). */
export function lastChangeField(t: Translate, change: LastChange): string {
  return t('change.byAt', { who: t(`change.origin-${change.origin}`), time: change.time });
}

export interface TooltipFacts {
  name: string;
  pids: readonly number[];
  grouped: boolean;
  disconnected: boolean;
  lastChange: LastChange | null;
}

/**
 * Everything a session strip words on every render, made once per language: a snapshot
 * mounts hundreds of strips at once, and i18next per call per strip was a quarter of it.
 * What is worded only when it happens (a failed command, the rename field) goes through `t`.
 */
export class StripWords {
  readonly volumeOf: (name: string) => string;
  readonly mute: (name: string) => string;
  readonly unmute: (name: string) => string;
  readonly details: string;
  readonly disconnected: string;
  readonly changesItself: string;
  readonly changesItselfHint: string;
  private readonly lastBy: (who: string, time: string) => string;
  private readonly process: (pids: string) => string;
  private readonly hints: { grouped: string; wheel: string; disconnected: string; click: string };
  private readonly origins = new Map<ChangeOrigin, string>();
  // Plural forms depend on the count: worded by i18next once per count.
  private readonly groupedDetails = new Map<number, string>();

  constructor(
    readonly t: TranslateKey,
    readonly language: string,
  ) {
    this.volumeOf = template(t, 'strip.volumeOf', 'name');
    this.mute = template(t, 'strip.mute', 'name');
    this.unmute = template(t, 'strip.unmute', 'name');
    this.lastBy = template(t, 'change.lastBy', 'who', 'time');
    this.process = template(t, 'strip.process', 'pids');
    this.details = t('strip.details');
    this.disconnected = t('strip.disconnected');
    this.changesItself = t('change.changesItself');
    this.changesItselfHint = t('change.changesItselfHint');
    this.hints = { grouped: t('strip.grouped'), wheel: t('strip.wheelHint'), disconnected: t('strip.disconnectedHint'), click: t('strip.clickForDetails') };
  }

  /** " details (3 sessions grouped)": what the head's button says beyond the name. */
  detailsGrouped(count: number): string {
    let text = this.groupedDetails.get(count);
    if (text === undefined) this.groupedDetails.set(count, (text = this.t('strip.detailsGrouped', { count })));
    return text;
  }

  private who(origin: ChangeOrigin): string {
    let text = this.origins.get(origin);
    if (text === undefined) this.origins.set(origin, (text = this.t(`change.origin-${origin}`)));
    return text;
  }

  /** The strip head's tooltip: name, last change, processes, and what the mouse and keys do there. */
  tooltip({ name, pids, grouped, disconnected, lastChange }: TooltipFacts): string {
    let text = name;
    if (lastChange) text += `\n${this.lastBy(this.who(lastChange.origin), formatClock(lastChange.time, this.language))}`;
    const processIds = pids.filter((pid) => pid > 0);
    if (processIds.length > 0) text += `\n${this.process(processIds.join(', '))}`;
    if (grouped) text += `\n${this.hints.grouped}`;
    text += `\n${disconnected ? this.hints.disconnected : this.hints.wheel}`;
    return `${text}\n${this.hints.click}`;
  }
}
