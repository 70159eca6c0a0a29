// The title row's fitting, for React: the row refits (title-row-fit.ts) whenever its width
// or its content changes (a window resized, the language switched, a device renamed, a
// badge or a button appearing). Its buttons' labels and the icons that stand in for them.
import type { ReactNode, RefObject } from 'react';
import { useLayoutEffect } from 'react';
import { fitTitleRow } from './title-row-fit';

/** Keeps the row fitted while it is mounted. */
export function useTitleRowFit(rowRef: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const row = rowRef.current;
    if (!row) return;
    const refit = () => void fitTitleRow(row);
    refit();
    // No layout to follow (a test's DOM without one): the row stays as first fitted.
    if (typeof ResizeObserver === 'undefined') return;
    const resized = new ResizeObserver(refit);
    resized.observe(row);
    // Attributes are not watched: the fitting writes its own, React's titles change nothing.
    const changed = new MutationObserver(refit);
    changed.observe(row, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    return () => {
      resized.disconnect();
      changed.disconnect();
    };
  }, [rowRef]);
}

/** A button's label and the icon that stands in for it where the row is narrow; the label stays its accessible name. */
export function TitleLabel({ icon, label }: { icon: ReactNode; label: string }) {
  return (
    <>
      <span className="title-icon">{icon}</span>
      <span className="title-label">{label}</span>
    </>
  );
}

/** A title-row button's tooltip: its name, then its hint, so that it names the button showing only its icon too. */
export function titleTip(label: string, hint?: string): string {
  return hint === undefined ? label : `${label}: ${hint}`;
}
