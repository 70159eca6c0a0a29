// What a strip says in words (its tooltip, who changed it last), apart from React so the
// strip, the inspector and the recently heard list read the same and tests can pin it.
import type { useTranslation } from 'react-i18next';
import type { LastChange } from '../../core/contract';

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

/** The strip head's tooltip: name, last change, processes, and what the mouse and keys do there. */
export function stripTooltip(t: Translate, { name, pids, grouped, disconnected, lastChange }: TooltipFacts): string {
  const lines = [name];
  if (lastChange) lines.push(lastChangeText(t, lastChange));
  const processIds = pids.filter((pid) => pid > 0);
  if (processIds.length > 0) lines.push(t('strip.process', { pids: processIds.join(', ') }));
  if (grouped) lines.push(t('strip.grouped'));
  lines.push(t(disconnected ? 'strip.disconnectedHint' : 'strip.wheelHint'));
  lines.push(t('strip.clickForDetails'));
  return lines.join('\n');
}
