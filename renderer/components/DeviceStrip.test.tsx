import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEAKERS, patch, snapshot } from '../testing/fixtures';
import { renderMixer } from '../testing/render-mixer';
import { DevicePicker } from './Header';
import { DeviceStrip } from './DeviceStrip';

afterEach(cleanup);

describe('DeviceStrip', () => {
  it('renames its device from its menu: Enter sends the name, an empty one goes back to the own name', async () => {
    const { api } = renderMixer(<DeviceStrip deviceId={SPEAKERS} />, [snapshot()]);
    const strip = screen.getByRole('group', { name: 'Device Speakers' });
    fireEvent.keyDown(within(strip).getByRole('slider'), { key: 'F10', shiftKey: true });
    const menu = await screen.findByRole('menu', { name: 'Actions for Speakers' });
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Rename…' }));
    const field = await screen.findByRole('textbox', { name: 'New name for Speakers (empty: its own name)' });
    fireEvent.change(field, { target: { value: ' Desk speakers ' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(api.commands).toEqual([{ type: 'set-device-preference', deviceId: SPEAKERS, name: 'Desk speakers' }]);
    expect(screen.queryByRole('textbox')).toBeNull();

    fireEvent.contextMenu(within(strip).getByRole('slider'));
    fireEvent.click(within(await screen.findByRole('menu', { name: 'Actions for Speakers' })).getByRole('menuitem', { name: 'Rename…' }));
    const again = await screen.findByRole('textbox');
    fireEvent.change(again, { target: { value: '' } });
    fireEvent.keyDown(again, { key: 'Enter' });
    expect(api.commands.at(-1)).toEqual({ type: 'set-device-preference', deviceId: SPEAKERS, name: null });
  });

  it("shows the user's name for the device on its strip and in the device picker", () => {
    const { receive } = renderMixer(
      <>
        <DevicePicker flow="render" label="Playback device" />
        <DeviceStrip deviceId={SPEAKERS} />
      </>,
      [snapshot()],
    );
    act(() => receive({ ...patch(), preferences: { apps: {}, devices: { [SPEAKERS]: { hidden: false, name: 'Desk speakers' } } } }));
    const strip = screen.getByRole('group', { name: 'Device Desk speakers' });
    expect(within(strip).getByRole('slider', { name: 'Volume of Desk speakers' })).toBeTruthy();
    const options = within(screen.getByRole('combobox', { name: 'Playback device' })).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toContain('Desk speakers (default)');
  });
});
