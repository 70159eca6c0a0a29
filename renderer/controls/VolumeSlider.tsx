// A native range input (accessible by default), styled vertically, with Sndvol's keys
// handled here so every platform steps the same way: arrows 1, PageUp/PageDown 10, Home/End.
import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { FrameScheduler } from './volume-gesture';
import { VolumeGesture } from './volume-gesture';

export interface VolumeSliderProps {
  /** The accessible name, e.g. "Volume of Firefox". */
  label: string;
  /** The value the engine reports, 0..1. */
  volume: number;
  /** Called with 0..1, at most once per animation frame while moving, and on release. */
  onVolume(volume: number): void;
  disabled?: boolean;
  /** Drawn beside the track (the peak meter). */
  beside?: ReactNode;
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

export function VolumeSlider({ label, volume, onVolume, disabled = false, beside, frames, orientation = 'vertical' }: VolumeSliderProps) {
  const [gesture] = useState(() => new VolumeGesture((percent) => onVolume(percent / 100), frames));
  useEffect(() => {
    gesture.setSender((percent) => onVolume(percent / 100));
  }, [gesture, onVolume]);
  useEffect(() => () => gesture.dispose(), [gesture]);

  const externalPercent = toPercent(volume);
  useEffect(() => {
    gesture.observe(externalPercent);
  }, [gesture, externalPercent]);

  const local = useSyncExternalStore(gesture.subscribe, gesture.getSnapshot);
  const percent = local ?? externalPercent;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = KEY_STEPS[event.key];
    if (!step) return;
    event.preventDefault();
    gesture.change(Math.min(100, Math.max(0, step(percent))));
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
          aria-valuetext={`${percent} %`}
          aria-orientation={orientation}
          style={{ '--fill': `${percent}%` } as CSSProperties}
          onPointerDown={(event) => {
            gesture.begin();
            // Keeps the release reaching us when the pointer leaves the thin track.
            event.currentTarget.setPointerCapture?.(event.pointerId);
          }}
          onPointerUp={() => gesture.end()}
          onLostPointerCapture={() => gesture.end()}
          onPointerCancel={() => gesture.end()}
          onChange={(event) => gesture.change(Number(event.currentTarget.value))}
          onKeyDown={onKeyDown}
          onKeyUp={onKeyUp}
          onBlur={() => gesture.end()}
        />
      </div>
      <span className="volume-value" aria-hidden="true">
        {percent}
      </span>
    </div>
  );
}
