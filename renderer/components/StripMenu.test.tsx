import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEAKERS, snapshot } from '../testing/fixtures';
import { renderMixer } from '../testing/render-mixer';
import { MixerPanel } from './MixerPanel';

const NOTES = { firefox: { appKey: 'app:firefox', lastChange: null, changesItself: false } };
const profile = (name: string) => ({ name, savedAt: 0, apps: {} });

afterEach(cleanup);

describe('StripMenu', () => {
  it('lists Off and the saved profiles for "When it starts, apply profile", checks the current one and sets the chosen one', async () => {
    const { api } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [
      snapshot({
        notes: NOTES,
        profiles: { profiles: [profile('Evening'), profile('Calls')], problems: [] },
        preferences: { apps: { 'app:firefox': { hidden: false, name: null, reapplyProfile: 'Evening' } }, devices: {} },
      }),
    ]);
    fireEvent.keyDown(within(screen.getByRole('group', { name: 'Firefox' })).getByRole('slider'), { key: 'F10', shiftKey: true });
    const menu = await screen.findByRole('menu', { name: 'Actions for Firefox' });
    fireEvent.keyDown(within(menu).getByRole('menuitem', { name: 'When it starts, apply profile' }), { key: 'ArrowRight' });
    const choices = await screen.findByRole('menu', { name: 'When it starts, apply profile' });
    const radios = within(choices).getAllByRole('menuitemradio');
    expect(radios.map((item) => [item.textContent?.replace('✓', ''), item.getAttribute('aria-checked')])).toEqual([
      ['Off', 'false'],
      ['Evening', 'true'],
      ['Calls', 'false'],
    ]);
    fireEvent.click(within(choices).getByRole('menuitemradio', { name: 'Calls' }));
    expect(api.commands).toEqual([{ type: 'set-app-preference', appKey: 'app:firefox', reapplyProfile: 'Calls' }]);
  });
});
