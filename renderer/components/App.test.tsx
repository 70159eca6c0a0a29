import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADPHONES, MICROPHONE, SPEAKERS, backendInfo, device, session, snapshot } from '../testing/fixtures';
import { renderMixer } from '../testing/render-mixer';
import { App } from './App';

afterEach(cleanup);

describe('App', () => {
  it('shows the default playback device with its master volume and mute', () => {
    const { api } = renderMixer(<App />, [snapshot()]);
    const picker = screen.getByRole('combobox', { name: 'Playback device' });
    expect(
      within(picker)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Speakers (default)', 'Headphones']);
    const deviceStrip = screen.getByTestId('device-strip');
    expect(within(deviceStrip).getByRole('slider', { name: 'Volume of Speakers' })).toHaveProperty('value', '80');
    fireEvent.click(within(deviceStrip).getByRole('button', { name: 'Mute Speakers' }));
    expect(api.commands).toContainEqual({ type: 'set-device-mute', deviceId: SPEAKERS, muted: true });
  });

  it('switches the strips to the picked device', () => {
    renderMixer(<App />, [
      snapshot({
        sessions: [
          session('firefox', { displayName: 'Firefox' }),
          session('game', { displayName: 'Game', deviceId: HEADPHONES }),
        ],
      }),
    ]);
    expect(screen.getByRole('group', { name: 'Firefox' })).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Playback device' }), { target: { value: HEADPHONES } });
    expect(screen.queryByRole('group', { name: 'Firefox' })).toBeNull();
    expect(screen.getByRole('group', { name: 'Game' })).toBeTruthy();
  });

  it('hides endpoint controls the backend cannot do, and says so', () => {
    const capabilities = { ...backendInfo().capabilities, deviceVolume: false, deviceMute: false };
    renderMixer(<App />, [snapshot({ backend: backendInfo({ name: 'pulse', capabilities }) })]);
    const deviceStrip = screen.getByTestId('device-strip');
    expect(within(deviceStrip).queryByRole('slider')).toBeNull();
    expect(within(deviceStrip).queryByRole('button')).toBeNull();
    expect(deviceStrip.textContent).toContain('not available with the pulse backend');
  });

  it('shows the backend notice when there is one', () => {
    renderMixer(<App />, [
      snapshot({ backend: backendInfo({ notice: 'CoreAudio failed to load; using the simulator.' }) }),
    ]);
    expect(screen.getByTestId('backend-notice').textContent).toContain('using the simulator');
  });

  it('shows meters only when the backend has them, and asks for them while visible', () => {
    const { api } = renderMixer(<App />, [snapshot()]);
    expect(screen.getAllByTestId('peak-meter')).toHaveLength(2);
    expect(api.commands).toContainEqual({ type: 'set-meters', enabled: true });
    cleanup();

    const capabilities = { ...backendInfo().capabilities, peakMeters: false };
    const second = renderMixer(<App />, [snapshot({ backend: backendInfo({ capabilities }) })]);
    expect(screen.queryByTestId('peak-meter')).toBeNull();
    expect(second.api.commands).not.toContainEqual({ type: 'set-meters', enabled: true });
  });

  it('keeps recording sessions apart, behind an opt-in toggle', () => {
    renderMixer(<App />, [
      snapshot({
        sessions: [
          session('firefox', { displayName: 'Firefox' }),
          session('recorder', { displayName: 'Voice Recorder', flow: 'capture', deviceId: MICROPHONE }),
        ],
      }),
    ]);
    expect(screen.queryByRole('group', { name: 'Voice Recorder' })).toBeNull();
    fireEvent.click(screen.getByRole('switch', { name: 'Show recording sessions' }));
    const recording = screen.getByTestId('recording-section');
    expect(within(recording).getByRole('group', { name: 'Voice Recorder' })).toBeTruthy();
    expect(within(recording).queryByRole('group', { name: 'Firefox' })).toBeNull();
    expect(within(recording).getByRole('combobox', { name: 'Recording device' })).toBeTruthy();
  });

  it('shows the reconnecting banner and locks the controls while disconnected', () => {
    const { store } = renderMixer(<App onRetry={() => undefined} />, [snapshot()]);
    expect(screen.queryByTestId('connection-banner')).toBeNull();
    act(() => store.getState().setConnection('reconnecting'));
    expect(screen.getByTestId('connection-banner').textContent).toContain('reconnecting');
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
    expect(screen.getByRole('slider', { name: 'Volume of Firefox' })).toHaveProperty('disabled', true);
    act(() => store.getState().setConnection('open'));
    expect(screen.queryByTestId('connection-banner')).toBeNull();
  });

  it('disables the device strip while the backend has lost its audio system, and clears the outage toasts when it is back', () => {
    const { store } = renderMixer(<App />, [snapshot()]);
    const master = () => screen.getByRole('slider', { name: 'Volume of Speakers' });
    expect(master()).toHaveProperty('disabled', false);
    act(() => store.getState().reportError('Could not set the volume of Firefox: unrelated'));
    const down = backendInfo({ disconnected: 'the PulseAudio server went away (socket closed); reconnecting' });
    act(() => store.getState().applyMessage(snapshot({ backend: down })));
    expect(master()).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Mute Speakers' })).toHaveProperty('disabled', true);
    expect(screen.getByTestId('backend-disconnected-banner').textContent).toContain('PulseAudio server went away');
    act(() => store.getState().reportError('Could not mute Speakers: the PulseAudio server is gone'));
    expect(screen.getAllByTestId('error-toast')).toHaveLength(2);

    act(() => store.getState().applyMessage(snapshot()));
    expect(master()).toHaveProperty('disabled', false);
    expect(screen.queryByTestId('backend-disconnected-banner')).toBeNull();
    // The toast about the outage is gone; the one from before stays until it times out.
    expect(screen.getAllByTestId('error-toast').map((toast) => toast.textContent)).toEqual(['Could not set the volume of Firefox: unrelated']);
  });

  it('clears a toast of a command refused as disconnected once the server connection is back', () => {
    const { store } = renderMixer(<App />, [snapshot()]);
    act(() => store.getState().setConnection('reconnecting'));
    act(() => store.getState().reportError('Could not set the volume of Speakers: Not connected to the SndMix server; reconnecting.'));
    expect(screen.getAllByTestId('error-toast')).toHaveLength(1);
    act(() => store.getState().setConnection('open'));
    expect(screen.queryAllByTestId('error-toast')).toHaveLength(0);
  });

  it('has its title row, the device picker empty and disabled, before the first snapshot, which then fills it in and adds the mixer', () => {
    const { store } = renderMixer(<App />, []);
    const titleRow = () => screen.getAllByRole('button').map((button) => button.textContent);
    const before = titleRow();
    expect(before).toEqual(expect.arrayContaining(['All devices', 'Recently heard', 'Profiles', 'Events']));
    expect(screen.getByRole('switch', { name: 'Show recording sessions' })).toBeTruthy();
    expect(screen.getByText('Connecting to SndMix…')).toBeTruthy();
    const picker = () => screen.getByRole<HTMLSelectElement>('combobox', { name: 'Playback device' });
    expect(picker().disabled).toBe(true);
    expect(picker().options).toHaveLength(0);

    act(() => store.getState().applyMessage(snapshot()));
    expect(picker().disabled).toBe(false);
    expect(picker().options.length).toBeGreaterThan(0);
    expect(screen.getByTestId('device-strip')).toBeTruthy();
    expect(titleRow().slice(0, before.length)).toEqual(before);
  });

  it('says so when there is no playback device', () => {
    renderMixer(<App />, [snapshot({ devices: [device(MICROPHONE, { flow: 'capture' })], sessions: [] })]);
    expect(screen.getByText('No playback device is available.')).toBeTruthy();
  });

  it('names every control', () => {
    const { container } = renderMixer(<App />, [snapshot()]);
    fireEvent.click(screen.getByRole('switch', { name: 'Show recording sessions' }));
    const controls = container.querySelectorAll('button, input, select');
    expect(controls.length).toBeGreaterThan(8);
    for (const control of controls) {
      const named = control.getAttribute('aria-label') ?? control.closest('label')?.textContent ?? control.textContent;
      expect(named?.trim(), control.outerHTML).toBeTruthy();
    }
  });
});
