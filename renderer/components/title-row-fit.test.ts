import { describe, expect, it } from 'vitest';
import { fitTitleRow } from './title-row-fit';

/**
 * A row with a picker label, a brand name and icon, and labelled buttons, whose content
 * width follows what its data-fit and data-icon-only say is shown (a DOM here has no layout).
 */
function row(initialWidth: number, buttons: number[]) {
  let width = initialWidth;
  const element = document.createElement('header');
  const labelled = buttons.map(() => {
    const button = document.createElement('button');
    button.className = 'title-button';
    element.append(button);
    return button;
  });
  let layouts = 0;
  const content = () => {
    layouts++;
    const fit = (element.dataset.fit ?? '').split(' ');
    const brand = (fit.includes('no-brand-icon') ? 0 : 20) + (fit.includes('no-brand-name') ? 0 : 100);
    const picker = (fit.includes('no-picker-label') ? 0 : 90) + 180;
    const shown = labelled.reduce((sum, button, index) => sum + (button.hasAttribute('data-icon-only') ? 30 : (buttons[index] ?? 0)), 0);
    return brand + picker + shown;
  };
  Object.defineProperty(element, 'scrollWidth', { get: () => Math.max(width, content()) });
  Object.defineProperty(element, 'clientWidth', { get: () => width });
  return { element, labelled, resize: (to: number) => (width = to), layouts: () => layouts, iconOnly: () => labelled.map((button) => button.hasAttribute('data-icon-only')) };
}

describe('fitTitleRow', () => {
  it('takes no step where everything fits', () => {
    const wide = row(1000, [100, 100]);
    expect(fitTitleRow(wide.element)).toEqual({ steps: [], iconOnly: 0 });
    expect(wide.element.dataset.fit).toBe('');
    expect(wide.iconOnly()).toEqual([false, false]);
  });

  it('drops the picker label, then the brand name, before any button loses its label', () => {
    expect(fitTitleRow(row(450, [50, 50]).element)).toEqual({ steps: ['no-picker-label'], iconOnly: 0 });
    const narrower = row(350, [50, 50]);
    expect(fitTitleRow(narrower.element)).toEqual({ steps: ['no-picker-label', 'no-brand-name'], iconOnly: 0 });
    expect(narrower.element.dataset.fit).toBe('no-picker-label no-brand-name');
  });

  it('turns buttons into icons one by one from the row’s end, and drops the brand icon last', () => {
    // Brand icon 20 + picker 180 + buttons 100, 100, 100: 500.
    const some = row(440, [100, 100, 100]);
    expect(fitTitleRow(some.element)).toEqual({ steps: ['no-picker-label', 'no-brand-name', 'icons'], iconOnly: 1 });
    expect(some.iconOnly()).toEqual([false, false, true]);
    const all = row(290, [100, 100, 100]);
    expect(fitTitleRow(all.element).iconOnly).toBe(3);
    const narrowest = row(270, [100, 100, 100]);
    expect(fitTitleRow(narrowest.element)).toEqual({ steps: ['no-picker-label', 'no-brand-name', 'icons', 'no-brand-icon'], iconOnly: 3 });
  });

  it('stops at the last step when nothing fits, having laid the row out once per step', () => {
    const hopeless = row(100, [100, 100]);
    expect(fitTitleRow(hopeless.element).steps).toContain('no-brand-icon');
    // none, picker label, brand name, two buttons, brand icon.
    expect(hopeless.layouts()).toBe(6);
  });

  it('gives the row back its labels when it is wide again', () => {
    const resized = row(290, [100, 100, 100]);
    fitTitleRow(resized.element);
    resized.resize(2000);
    expect(fitTitleRow(resized.element)).toEqual({ steps: [], iconOnly: 0 });
    expect(resized.iconOnly()).toEqual([false, false, false]);
  });
});
