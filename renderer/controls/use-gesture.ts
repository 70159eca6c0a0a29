// A range input's React side of a VolumeGesture (volume-gesture.ts), shared by every slider
// whose value echoes through the store (volume, balance): the gesture owns the value while
// the user moves it, the store's value shows otherwise. useGesture gives the gesture and the
// input's handlers alone (the volume slider shows its value without React: slider-view.ts);
// useSliderGesture also renders the value to show.
import type { PointerEvent } from 'react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { FrameScheduler, Sent } from './volume-gesture';
import { VolumeGesture } from './volume-gesture';

export interface Gesture {
  gesture: VolumeGesture;
  /** The input's pointer, change and blur handlers (keys are the slider's own). */
  handlers: {
    onPointerDown(event: PointerEvent<HTMLInputElement>): void;
    onPointerUp(): void;
    onLostPointerCapture(): void;
    onPointerCancel(): void;
    onChange(event: { currentTarget: HTMLInputElement }): void;
    onBlur(): void;
  };
}

export interface SliderGesture extends Gesture {
  /** What the input shows: the user's value while it is theirs, else `external`. */
  value: number;
}

/** `send`: called with a value in the input's units (keep it stable). */
export function useGesture(send: (value: number) => Sent, frames?: FrameScheduler): Gesture {
  const [state] = useState(() => {
    const gesture = new VolumeGesture(send, frames);
    const end = () => gesture.end();
    const handlers: Gesture['handlers'] = {
      onPointerDown(event) {
        gesture.begin();
        // Keeps the release reaching us when the pointer leaves the thin track.
        event.currentTarget.setPointerCapture?.(event.pointerId);
      },
      onPointerUp: end,
      onLostPointerCapture: end,
      onPointerCancel: end,
      onChange: (event) => gesture.change(Number(event.currentTarget.value)),
      onBlur: end,
    };
    return { gesture, handlers };
  });
  const { gesture } = state;
  useEffect(() => {
    gesture.setSender(send);
  }, [gesture, send]);
  useEffect(() => () => gesture.dispose(), [gesture]);
  return state;
}

/** `external`: the store's value in the input's units; `send`: called with a value in them (keep it stable). */
export function useSliderGesture(external: number, send: (value: number) => Sent, frames?: FrameScheduler): SliderGesture {
  const { gesture, handlers } = useGesture(send, frames);
  useEffect(() => {
    gesture.observe(external);
  }, [gesture, external]);
  const local = useSyncExternalStore(gesture.subscribe, gesture.getSnapshot);
  return { gesture, value: local ?? external, handlers };
}
