import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command } from '../../core/contract';
import { channelVolumesForBalance } from '../../core/contract';
import { backendInfo, patch, session, snapshot } from '../testing/fixtures';
import { ManualFrames } from '../testing/manual-frames';
import { renderMixer } from '../testing/render-mixer';
import { BalanceControl } from './BalanceControl';
import { balancePercent, balanceText } from './balance-value';
import { createI18n } from '../i18n/i18n';

const SETTLE_MS = 600;

describe('BalanceControl', () => {
  let frames: ManualFrames;
  beforeEach(() => {
    vi.useFakeTimers();
    frames = new ManualFrames();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  function renderBalance(channelVolumes = [1, 1], backend = backendInfo()) {
    const view = renderMixer(<BalanceControl name="Game" sessionIds={['game']} frames={frames} />, [
      snapshot({ backend, sessions: [session('game', { displayName: 'Game', channelVolumes })] }),
    ]);
    const echo = (percent: number) =>
      act(() => view.receive(patch({ changed: [{ id: 'game', changes: { channelVolumes: channelVolumesForBalance([1, 1], percent / 100) } }] })));
    const balances = () => view.api.commands.flatMap((command: Command) => (command.type === 'set-balance' ? [Math.round(command.balance * 100)] : []));
    return { ...view, echo, balances, slider: () => screen.getByRole('slider', { name: 'Balance of Game' }) };
  }

  /** A key press as the browser steps a range input: the new value, then the key's release. */
  function step(slider: HTMLElement, value: number) {
    fireEvent.keyDown(slider, { key: 'ArrowLeft' });
    fireEvent.change(slider, { target: { value: String(value) } });
    fireEvent.keyUp(slider, { key: 'ArrowLeft' });
  }

  it('reads the session’s balance from its channel volumes', () => {
    const { slider } = renderBalance([1, 0.7]);
    expect(slider()).toHaveProperty('value', '-30');
    expect(slider().getAttribute('aria-valuetext')).toBe('Left 30 %');
  });

  it('keeps the user’s value while the store echoes earlier steps, and follows the store again once its own value came back', () => {
    const { slider, echo, balances } = renderBalance();
    for (const value of [-5, -10, -15, -20]) step(slider(), value);
    expect(balances()).toEqual([-5, -10, -15, -20]);
    // The echoes of the first steps arrive after the last key press: the thumb stays at -20.
    echo(-5);
    expect(slider()).toHaveProperty('value', '-20');
    echo(-10);
    echo(-15);
    expect(slider().getAttribute('aria-valuetext')).toBe('Left 20 %');
    echo(-20);
    // Now the store's value is shown again: a change from elsewhere moves the thumb.
    echo(10);
    expect(slider().getAttribute('aria-valuetext')).toBe('Right 10 %');
  });

  it('keeps one command in flight while dragging (the latest value follows its answer), and sends the final value on release', async () => {
    const { slider, balances } = renderBalance();
    fireEvent.pointerDown(slider());
    for (const value of [-5, -10, -15]) fireEvent.change(slider(), { target: { value: String(value) } });
    expect(balances()).toEqual([-5]);
    await act(async () => {});
    expect(balances()).toEqual([-5, -15]);
    fireEvent.change(slider(), { target: { value: '-25' } });
    fireEvent.pointerUp(slider());
    expect(balances()).toEqual([-5, -15, -25]);
  });

  it('shows the store’s value again when no echo came back', () => {
    const { slider } = renderBalance();
    step(slider(), -5);
    expect(slider()).toHaveProperty('value', '-5');
    act(() => vi.advanceTimersByTime(SETTLE_MS));
    expect(slider()).toHaveProperty('value', '0');
  });

  it('is absent where the backend has no channel volumes or the session has one channel', () => {
    renderBalance([1, 1], backendInfo({ capabilities: { ...backendInfo().capabilities, channelVolumes: false } }));
    expect(screen.queryByRole('slider')).toBeNull();
    cleanup();
    renderBalance([1]);
    expect(screen.queryByRole('slider')).toBeNull();
  });
});

describe('balance value', () => {
  const t = createI18n('en').t;
  it('is a whole percent, negative to the left, and -0 reads Centre', () => {
    expect(balancePercent([1, 0.8])).toBe(-20);
    expect(balancePercent([0.5, 1])).toBe(50);
    expect(Object.is(balancePercent([1, 1]), 0)).toBe(true);
    expect(Object.is(balancePercent([1, 0.999]), 0)).toBe(true);
    expect(balanceText(t, 0)).toBe('Centre');
    expect(balanceText(t, -20)).toBe('Left 20 %');
    expect(balanceText(t, 5)).toBe('Right 5 %');
  });
});
