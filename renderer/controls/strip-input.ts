// What the wheel and the keys do over a strip, kept outside React (pure functions and one
// small accumulator) so the steps are pinned by unit tests:
// - a wheel notch moves the volume 2 (EarTrumpet's step; Sndvol's trackbar moves by its
//   line size, which SndMix's arrow keys use), Shift+wheel 1, the arrow key's step;
// - a touchpad's small deltas add up to notches instead of each one being a notch;
// - Shift+wheel arrives sideways in Chromium (deltaX): it counts the same;
// - M anywhere in a strip and Space on its slider toggle mute; Shift+F10 and the
//   context-menu key open the strip's menu.

/** Percent per wheel notch. */
export const WHEEL_STEP = 2;
/** Percent per Shift+wheel notch: the arrow keys' step. */
export const FINE_WHEEL_STEP = 1;

/** One notch of a mouse wheel in each WheelEvent.deltaMode (pixels, lines, pages). */
const NOTCH_SIZE = [100, 3, 1] as const;

export interface WheelInput {
  deltaX: number;
  deltaY: number;
  deltaMode: number;
  shiftKey: boolean;
}

/** Turns wheel events into volume changes in percent (positive = louder). */
export class WheelSteps {
  private pending = 0;
  private fine = false;

  /** The percent to add for this event (0 while a touchpad's deltas are still adding up). */
  feed(event: WheelInput): number {
    // Away from the user (negative delta) is louder, as on every slider.
    const delta = event.deltaY !== 0 ? event.deltaY : event.shiftKey ? event.deltaX : 0;
    if (delta === 0) return 0;
    if (event.shiftKey !== this.fine || Math.sign(delta) !== Math.sign(this.pending)) this.pending = 0;
    this.fine = event.shiftKey;
    this.pending += delta / (NOTCH_SIZE[event.deltaMode as 0 | 1 | 2] ?? NOTCH_SIZE[0]);
    const notches = Math.trunc(this.pending);
    if (notches === 0) return 0;
    this.pending -= notches;
    return -notches * (event.shiftKey ? FINE_WHEEL_STEP : WHEEL_STEP);
  }
}

export type StripKeyAction = 'toggle-mute' | 'open-menu' | null;

export interface StripKeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** The focused element is the strip's volume slider. */
  onSlider: boolean;
  /** The focused element takes typed text (a rename field): no shortcut applies. */
  inTextField: boolean;
}

type StripKeyEvent = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey' | 'target'>;

/** What a key pressed on a strip (session or device) means, read from the event and what has focus. */
export function stripKeyActionOf(event: StripKeyEvent): StripKeyAction {
  const target = event.target;
  return stripKeyAction({
    key: event.key,
    shiftKey: event.shiftKey,
    ctrlKey: event.ctrlKey,
    altKey: event.altKey,
    metaKey: event.metaKey,
    onSlider: target instanceof HTMLInputElement && target.type === 'range',
    inTextField: (target instanceof HTMLInputElement && target.type !== 'range') || target instanceof HTMLTextAreaElement,
  });
}

export function stripKeyAction(input: StripKeyInput): StripKeyAction {
  if (input.inTextField) return null;
  if (input.key === 'ContextMenu' || (input.key === 'F10' && input.shiftKey && !input.ctrlKey && !input.altKey)) return 'open-menu';
  if (input.ctrlKey || input.altKey || input.metaKey) return null;
  if (input.key === 'm' || input.key === 'M') return 'toggle-mute';
  if (input.key === ' ' && input.onSlider) return 'toggle-mute';
  return null;
}
