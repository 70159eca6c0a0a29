import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../core/contract';
import { snapshot } from '../testing/fixtures';
import { renderMixer } from '../testing/render-mixer';
import { ProfilesButton } from './Profiles';

afterEach(cleanup);

const evening: Profile = { name: 'Evening', savedAt: new Date(2026, 11, 1, 20, 15).getTime(), apps: { 'render|exe:a.exe': { volume: 0.4, muted: false, outputDeviceId: null } } };

function openPanel(profiles: Profile[], problems: string[] = []) {
  const view = renderMixer(<ProfilesButton />, [snapshot({ profiles: { profiles, problems } })]);
  act(() => fireEvent.click(screen.getByRole('button', { name: /^Profiles/ })));
  return { ...view, panel: screen.getByRole('dialog', { name: 'Profiles' }) };
}

describe('Profiles panel', () => {
  it('saves under the trimmed name, and says Replace for a name it has', () => {
    const { panel, api } = openPanel([evening]);
    const name = within(panel).getByRole('textbox', { name: 'Name for a new profile' });
    fireEvent.change(name, { target: { value: ' Evening ' } });
    expect(within(panel).getByRole('button', { name: 'Replace' })).toBeTruthy();
    fireEvent.change(name, { target: { value: '  Night ' } });
    fireEvent.submit(name);
    expect(api.commands).toEqual([{ type: 'save-profile', name: 'Night' }]);
    expect(name).toHaveProperty('value', '');
    // An empty name cannot be saved.
    expect(within(panel).getByRole('button', { name: 'Save current' })).toHaveProperty('disabled', true);
  });

  it('lists each profile with its app count and time; Apply applies it, Delete asks once more', () => {
    const { panel, api } = openPanel([evening]);
    const item = within(panel).getByRole('listitem', { name: 'Evening' });
    expect(item.textContent).toContain('1 app · saved 12/01/2026, 20:15');
    fireEvent.click(within(item).getByRole('button', { name: 'Apply' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Delete' }));
    expect(api.commands).toEqual([{ type: 'apply-profile', name: 'Evening' }]);
    fireEvent.click(within(item).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Delete for good' }));
    expect(api.commands.at(-1)).toEqual({ type: 'delete-profile', name: 'Evening' });
  });

  it('reports profiles that could not be read, counts them on its button, and keeps the others usable', () => {
    const { panel } = openPanel([evening], ['dropped 1 invalid entry of profiles.json: "Broken"']);
    expect(screen.getByRole('button', { name: /^Profiles/ }).textContent).toBe('Profiles1');
    expect(within(panel).getByRole('alert').textContent).toContain('A profile could not be read and was set aside; the others are usable:');
    expect(within(panel).getByRole('alert').textContent).toContain('"Broken"');
    expect(within(within(panel).getByRole('listitem', { name: 'Evening' })).getByRole('button', { name: 'Apply' })).toHaveProperty('disabled', false);
  });
});
