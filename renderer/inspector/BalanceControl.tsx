// Left/right balance of a strip's sessions, shown where the backend has channel volumes and
// they have two channels. Its value echoes through the store like a volume's, so it has the
// volume slider's gesture (use-gesture.ts): an echo of an earlier step never resets a value
// the user is still changing.
import type { CSSProperties, KeyboardEvent } from 'react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { hasBalance } from '../../core/contract';
import { useCommand, useMixer } from '../app/mixer-context';
import { useSliderGesture } from '../controls/use-gesture';
import type { FrameScheduler } from '../controls/volume-gesture';
import { BALANCE_STEP, balancePercent, balanceText } from './balance-value';

export function BalanceControl({ name, sessionIds, frames }: { name: string; sessionIds: readonly string[]; frames?: FrameScheduler }) {
  const channelVolumes = useMixer((state) => state.sessions.get(sessionIds[0] ?? '')?.channelVolumes);
  const supported = useMixer((state) => state.backend?.capabilities.channelVolumes === true && state.connection === 'open');
  if (!supported || !channelVolumes || !hasBalance(channelVolumes)) return null;
  return <BalanceSlider name={name} sessionIds={sessionIds} external={balancePercent(channelVolumes)} frames={frames} />;
}

function BalanceSlider({ name, sessionIds, external, frames }: { name: string; sessionIds: readonly string[]; external: number; frames?: FrameScheduler }) {
  const send = useCommand();
  const { t } = useTranslation();
  const sendBalance = useCallback(
    (percent: number) => send({ type: 'set-balance', sessionIds: [...sessionIds], balance: percent / 100 }, t('balance.failed', { name })),
    [send, sessionIds, name, t],
  );
  const { gesture, value, handlers } = useSliderGesture(external, sendBalance, frames);
  const valueText = balanceText(t, value);
  // The browser steps the input itself; a key's release ends its step as a pointer's does.
  const onKeyUp = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key.startsWith('Arrow') || ['Home', 'End', 'PageUp', 'PageDown'].includes(event.key)) gesture.end();
  };
  return (
    <label className="inspector-balance">
      <span className="field-label">{t('balance.label')}</span>
      <span aria-hidden="true">{t('balance.l')}</span>
      <input
        type="range"
        className="balance-slider"
        min={-100}
        max={100}
        step={BALANCE_STEP}
        value={value}
        aria-label={t('balance.of', { name })}
        aria-valuetext={valueText}
        title={valueText}
        style={{ '--position': (value + 100) / 200 } as CSSProperties}
        {...handlers}
        onKeyUp={onKeyUp}
      />
      <span aria-hidden="true">{t('balance.r')}</span>
      <span className="balance-value" aria-hidden="true">
        {valueText}
      </span>
    </label>
  );
}
