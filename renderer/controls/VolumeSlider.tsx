// A native range input (accessible by default), styled vertically, with Sndvol's keys
// handled here so every platform steps the same way: arrows 1, PageUp/PageDown 10, Home/End;
// the wheel over `wheelArea` (the whole strip) steps as strip-input.ts says.
import type { CSSProperties, KeyboardEvent, ReactNode, RefObject } from 'react';
import { useCallback, useEffect, useRef } from 'react';
import { WheelSteps } from './strip-input';
import { useSliderGesture } from './use-gesture';
import type { FrameScheduler, Sent } from './volume-gesture';
import type { VolumeText } from './volume-text';

export interface VolumeSliderProps {
  /** The accessible name, e.g. "Volume of Firefox". */
  label: string;
  /** How a value reads in the chosen scale (volume-text.ts): shown under the track, and read out. */
  text: VolumeText;
  /** The value the engine reports, 0..1. */
  volume: number;
  /**
   * Called with 0..1 while moving and on release; the next value waits for the promise it
   * returns (the command's answer), or for the next animation frame when it returns nothing.
   */
  onVolume(volume: number): Sent;
  disabled?: boolean;
  /** Drawn beside the track (the peak meter). */
  beside?: ReactNode;
  /** Where the wheel moves this slider (the strip around it); none: the wheel does nothing here. */
  wheelArea?: RefObject<HTMLElement | null>;
  frames?: FrameScheduler;
  /** Upright like Sndvol (the mixer), or lying down (the tray flyout's rows). */
  orientation?: 'vertical' | 'horizontal';
}

const KEY_STEPS: Record<string, (percent: number) => number> = {
  ArrowUp: (percent) => percent + 1,
  ArrowRight: (percent) => percent + 1,
  ArrowDown: (percent) => percent - 1,
  ArrowLeft: (percent) => percent - 1,
  PageUp: (percent) => percent + 10,
  PageDown: (percent) => percent - 10,
  Home: () => 0,
  End: () => 100,
};

export function toPercent(volume: number): number {
  return Math.round(Math.min(1, Math.max(0, volume)) * 100);
}

const clampPercent = (percent: number) => Math.min(100, Math.max(0, percent));

export function VolumeSlider({ label, text, volume, onVolume, disabled = false, beside, wheelArea, frames, orientation = 'vertical' }: VolumeSliderProps) {
  const externalPercent = toPercent(volume);
  const sendPercent = useCallback((percent: number) => onVolume(percent / 100), [onVolume]);
  const { gesture, value: percent, handlers } = useSliderGesture(externalPercent, sendPercent, frames);

  // The wheel reads the value at each notch: the gesture's own (set at once), else the engine's.
  const external = useRef(externalPercent);
  useEffect(() => {
    external.current = externalPercent;
  }, [externalPercent]);
  useEffect(() => {
    const area = wheelArea?.current;
    if (!area || disabled) return;
    const steps = new WheelSteps();
    const onWheel = (event: WheelEvent) => {
      // Over a strip the wheel is the volume's, never a scroll of the panel behind it.
      event.preventDefault();
      const change = steps.feed(event);
      if (change !== 0) gesture.change(clampPercent((gesture.getSnapshot() ?? external.current) + change));
    };
    area.addEventListener('wheel', onWheel, { passive: false });
    return () => area.removeEventListener('wheel', onWheel);
  }, [wheelArea, disabled, gesture]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = KEY_STEPS[event.key];
    if (!step) return;
    event.preventDefault();
    gesture.change(clampPercent(step(percent)));
  };
  const onKeyUp = (event: KeyboardEvent<HTMLInputElement>) => {
    if (KEY_STEPS[event.key]) gesture.end();
  };

  return (
    <div className="volume" data-orientation={orientation}>
      <div className="volume-track-area">
        {beside}
        <input
          type="range"
          className="volume-slider"
          min={0}
          max={100}
          step={1}
          value={percent}
          disabled={disabled}
          aria-label={label}
          aria-valuetext={text.spoken(percent)}
          aria-orientation={orientation}
          style={{ '--fill': percent / 100 } as CSSProperties}
          {...handlers}
          onKeyDown={onKeyDown}
          onKeyUp={onKeyUp}
        />
      </div>
      <span className="volume-value" aria-hidden="true" title={text.note ?? undefined} data-wide={text.wide || undefined} data-testid="volume-value">
        {text.shown(percent)}
      </span>
    </div>
  );
}
