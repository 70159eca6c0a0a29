// How the title row keeps to one line at every width from the mixer window's least width
// up (electron/mixer-window-size.ts), in every language: where its content does not fit,
// it gives way in steps, each keeping the ones before it: the device picker's label goes
// (the picker itself narrows as the row does), then the brand's name, then its labelled
// buttons show their icon instead of their label one by one from the row's end, and last,
// at the narrowest, the brand's icon.
// Guarantees: fitTitleRow leaves the row at the first step at which its content fits on
// one line (the last step when none does): the steps taken are the words of the row's
// data-fit ("" when none), and a button showing only its icon has data-icon-only; the
// styles follow both (title-row.css). It lays the row out at most once per step. What a
// step hides is visually hidden, never removed: every control keeps its accessible name.

/** The steps the row as a whole takes; 'icons' is taken once its first button shows only its icon. */
export type TitleRowStep = 'no-picker-label' | 'no-brand-name' | 'icons' | 'no-brand-icon';

export interface TitleRowFit {
  steps: TitleRowStep[];
  /** How many labelled buttons, counted from the row's end, show only their icon. */
  iconOnly: number;
}

/** The buttons that may show an icon in place of their label (TitleRow.tsx's TitleLabel). */
const LABELLED = '.title-button, .title-toggle';

/** Fits the row; returns where it stopped. */
export function fitTitleRow(row: HTMLElement): TitleRowFit {
  const labelled = [...row.querySelectorAll<HTMLElement>(LABELLED)];
  const fit = (steps: TitleRowStep[], iconOnly: number): TitleRowFit => ({
    steps,
    iconOnly,
  });
  const tries = [
    fit([], 0),
    fit(['no-picker-label'], 0),
    fit(['no-picker-label', 'no-brand-name'], 0),
    ...labelled.map((_, index) => fit(['no-picker-label', 'no-brand-name', 'icons'], index + 1)),
    fit(['no-picker-label', 'no-brand-name', 'icons', 'no-brand-icon'], labelled.length),
  ];
  let chosen = tries[0] as TitleRowFit;
  for (const attempt of tries) {
    chosen = attempt;
    row.dataset.fit = attempt.steps.join(' ');
    labelled.forEach((button, index) => button.toggleAttribute('data-icon-only', index >= labelled.length - attempt.iconOnly));
    // Reading the width lays the row out as just written.
    if (row.scrollWidth <= row.clientWidth) break;
  }
  return chosen;
}
