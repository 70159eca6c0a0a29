// A title-row button that opens a small panel under it (recently heard, profiles): Radix's
// popover, so focus moves in and back, Escape and a click outside close it, and the button
// says it has a dialog. The panel's content is mounted only while open, so what it selects
// from the store costs nothing while closed.
import * as Popover from '@radix-ui/react-popover';
import type { ReactNode } from 'react';
import { useId } from 'react';
import { TitleLabel, titleTip } from './TitleRow';

export function HeaderPanel({ label, icon, title, hint, badge, testId, children }: {
  /** The button's text. */
  label: string;
  /** What stands in for the text where the title row is narrow. */
  icon: ReactNode;
  /** The panel's heading (its accessible name). */
  title: string;
  /** The button's tooltip. */
  hint: string;
  /** A count beside the button's text; none when 0. */
  badge?: number;
  testId: string;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <Popover.Root>
      <Popover.Trigger className="button header-panel-button title-button" title={titleTip(label, hint)}>
        <TitleLabel icon={icon} label={label} />
        {badge !== undefined && badge > 0 && <span className="header-panel-badge">{badge}</span>}
      </Popover.Trigger>
      {/* Inside the main landmark's parent (the app), not loose in the body, so axe finds it in a region. */}
      <Popover.Portal container={document.querySelector('.app')}>
        <Popover.Content className="header-panel" aria-labelledby={headingId} align="end" sideOffset={6} collisionPadding={8} data-testid={testId}>
          <h2 id={headingId} className="header-panel-title">
            {title}
          </h2>
          {children}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
