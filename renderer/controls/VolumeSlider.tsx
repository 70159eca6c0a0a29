// A native range input (accessible by default), styled vertically, with Sndvol's keys
// handled here so every platform steps the same way: arrows 1, PageUp/PageDown 10, Home/End;
// the wheel over `wheelArea` (the whole strip) steps as strip-input.ts says. React renders
// the slider's frame; its value (the input's, the readout's) is shown by slider-view.ts,
// which follows the engine's volume and the user's gesture without a render.
import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { SliderView, type VolumeSource } from './slider-view';
import { WheelSteps } from './strip-input';
import { useGesture } from './use-gesture';
import type { FrameScheduler, Sent } from './volume-gesture';
import type { VolumeText } from './volume-text';

export interface VolumeSliderProps {
  /** The accessible name, e.g. "Volume of Firefox". */
  label: string;
  /** How a value reads in the chosen scale (volume-text.ts): shown under the track, and read out. */
  text: VolumeText;
  /** The value the engine reports (0..1), followed by the slider itself: a change renders nothing. */
  volume: VolumeSource;
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

const clampPercent = (percent: number) => Math.min(100, Math.max(0, percent));

export function VolumeSlider({ label, text, volume, onVolume, disabled = false, beside, wheelArea, frames, orientation = 'vertical' }: VolumeSliderProps) {
  const sendPercent = useCallback((percent: number) => onVolume(percent / 100), [onVolume]);
  const { gesture, handlers } = useGesture(sendPercent, frames);
  const input = useRef<HTMLInputElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const view = useRef<SliderView | null>(null);

  // Before the first paint: the value is shown from the start, and follows from then on.
  useLayoutEffect(() => {
    if (!input.current || !readout.current) return;
    const shown = new SliderView({ input: input.current, readout: readout.current }, gesture, volume, text);
    view.current = shown;
    const stop = shown.start();
    return () => {
      stop();
      view.current = null;
    };
  }, [gesture, volume, text]);

  useEffect(() => {
    const area = wheelArea?.current;
    if (!area || disabled) return;
    const steps = new WheelSteps();
    const onWheel = (event: WheelEvent) => {
      // Over a strip the wheel is the volume's, never a scroll of the panel behind it.
      event.preventDefault();
      const change = steps.feed(event);
      if (change !== 0 && view.current) gesture.change(clampPercent(view.current.percent() + change));
    };
    area.addEventListener('wheel', onWheel, { passive: false });
    return () => area.removeEventListener('wheel', onWheel);
  }, [wheelArea, disabled, gesture]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = KEY_STEPS[event.key];
    if (!step || !view.current) return;
    event.preventDefault();
    gesture.change(clampPercent(step(view.current.percent())));
  };
  const onKeyUp = (event: KeyboardEvent<HTMLInputElement>) => {
    if (KEY_STEPS[event.key]) gesture.end();
  };

  return (
    <div className="volume" data-orientation={orientation}>
      <div className="volume-track-area">
        {beside}
        <input
          ref={input}
          type="range"
          className="volume-slider"
          min={0}
          max={100}
          step={1}
          disabled={disabled}
          aria-label={label}
          aria-orientation={orientation}
          {...handlers}
          onKeyDown={onKeyDown}
          onKeyUp={onKeyUp}
        />
      </div>
      <span ref={readout} className="volume-value" aria-hidden="true" data-testid="volume-value" />
    </div>
  );
}
