// The balance control's value: whole percent of core/balance.ts's -1..1, and how it reads.
import { balanceOf } from '../../core/contract';
import type { Translate } from '../components/strip-text';

/** The slider's step: 5 % a key press, as pavucontrol's balance moves. */
export const BALANCE_STEP = 5;

/** -100 (left) .. 0 (centre) .. 100 (right), rounded to a whole percent. */
export function balancePercent(channelVolumes: readonly number[]): number {
  // `|| 0`: a balance of -0 reads Centre, not "Left 0 %".
  return Math.round(balanceOf(channelVolumes) * 100) || 0;
}

/** "Centre", "Left 20 %", "Right 5 %". */
export function balanceText(t: Translate, percent: number): string {
  if (percent === 0) return t('balance.centre');
  return t(percent < 0 ? 'balance.left' : 'balance.right', { percent: Math.abs(percent) });
}
