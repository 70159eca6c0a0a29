// What a volume slider shows, written straight to its elements rather than rendered by React:
// the user's value while their gesture holds it (volume-gesture.ts), else the engine's,
// which the view follows from a VolumeSource itself. So a volume change from outside, or a
// step of a drag, costs a few DOM writes and no render. (Measured on an outside pactl
// change: React's render and commit of the slider were two thirds of the page's time
// between the patch's arrival and the new readout.)
// Guarantees:
// - the input's value, its aria-valuetext, its --fill and the readout (text, note, data-wide)
//   always show one and the same value, in the view's VolumeText (another scale is another
//   view on the same elements);
// - every engine value is told to the gesture (so it can see the echo of what it sent), but
//   is shown only while no gesture holds the slider;
// - an element is written only when what it shows changes;
// - stop() ends both subscriptions: nothing is written after it.
import type { VolumeGesture } from './volume-gesture';
import type { VolumeText } from './volume-text';

/** The engine's volume (0..1) and its changes, for a slider to follow without a render. */
export interface VolumeSource {
  /** Null while there is none (a strip whose sessions just went, before it unmounts): the last one stays shown. */
  read(): number | null;
  /** Calls back on changes that may have moved the volume (it is read again then); returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

export function toPercent(volume: number): number {
  return Math.round(Math.min(1, Math.max(0, volume)) * 100);
}

export interface SliderElements {
  input: HTMLInputElement;
  readout: HTMLElement;
}

export class SliderView {
  /** Null until the first show: then every element is written. */
  private shownPercent: number | null = null;
  private external: number;

  constructor(
    private readonly elements: SliderElements,
    private readonly gesture: VolumeGesture,
    private readonly source: VolumeSource,
    private readonly text: VolumeText,
  ) {
    this.external = toPercent(source.read() ?? 0);
  }

  /** Shows the value now and follows the source and the gesture; returns stop(). */
  start(): () => void {
    this.show();
    const stopSource = this.source.subscribe(() => {
      const volume = this.source.read();
      if (volume === null) return;
      const external = toPercent(volume);
      if (external === this.external) return;
      this.external = external;
      this.gesture.observe(external);
      this.show();
    });
    const stopGesture = this.gesture.subscribe(() => this.show());
    return () => {
      stopSource();
      stopGesture();
    };
  }

  /** The slider's value as it shows it: what a key or wheel step starts from. */
  percent(): number {
    return this.gesture.getSnapshot() ?? this.external;
  }

  private show(): void {
    const percent = this.percent();
    if (percent === this.shownPercent) return;
    const { input, readout } = this.elements;
    const { text } = this;
    // Written even when a drag has moved it there already: reading a range input's value costs as much as writing it.
    input.value = String(percent);
    input.setAttribute('aria-valuetext', text.spoken(percent));
    input.style.setProperty('--fill', String(percent / 100));
    readout.textContent = text.shown(percent);
    if (this.shownPercent === null) {
      if (text.note === null) readout.removeAttribute('title');
      else readout.title = text.note;
      if (text.wide) readout.dataset.wide = 'true';
      else delete readout.dataset.wide;
    }
    this.shownPercent = percent;
  }
}
