import { describe, expect, it, vi } from 'vitest';
import { device } from '../core/testing/fake-backend';
import type { TrayActions } from './tray';
import { trayMenuTemplate } from './tray';
import { trayText } from './desktop/tray-text';

const english = trayText(['en']);

// The real 'electron' module is a binary path outside Electron: the menu's template needs none of it.
vi.mock('electron', () => ({}));

function actions(): TrayActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    toggleFlyout: () => calls.push('flyout'),
    openMixer: (deviceId) => calls.push(`mixer:${deviceId}`),
    openSettings: () => calls.push('settings'),
    toggleDefaultMute: () => calls.push('mute'),
    quit: () => calls.push('quit'),
    volumeScale: () => 'percent',
  };
}

describe('the tray menu', () => {
  it('offers open mixer, the playback devices (default marked), settings and quit', () => {
    const speakers = device({ id: 'spk', name: 'Speakers', flow: 'render', defaultFor: ['console'] });
    const headset = device({ id: 'hs', name: 'Headset', flow: 'render', defaultFor: [] });
    const mic = device({ id: 'mic', name: 'Mic', flow: 'capture', defaultFor: ['console'] });
    const handlers = actions();
    const menu = trayMenuTemplate([speakers, headset, mic], handlers, english);
    expect(menu.map((item) => item.label ?? item.type)).toEqual(['Open mixer', 'Playback device', 'Settings', 'separator', 'Quit SndMix']);
    const devices = menu[1]?.submenu as { label: string; checked: boolean; click(): void }[];
    expect(devices.map((item) => [item.label, item.checked])).toEqual([
      ['Speakers (default)', true],
      ['Headset', false],
    ]);
    devices[1]?.click();
    (menu[4] as { click(): void }).click();
    expect(handlers.calls).toEqual(['mixer:hs', 'quit']);
  });

  it('says so when there is no playback device', () => {
    const menu = trayMenuTemplate([], actions(), english);
    expect(menu[1]?.submenu).toEqual([{ label: 'No playback device', enabled: false }]);
  });

  it('is worded in German where the OS asks for it', () => {
    const speakers = device({ id: 'spk', name: 'Lautsprecher', flow: 'render', defaultFor: ['console'] });
    const menu = trayMenuTemplate([speakers], actions(), trayText(['de-AT', 'en']));
    expect(menu.map((item) => item.label ?? item.type)).toEqual(['Mixer öffnen', 'Wiedergabegerät', 'Einstellungen', 'separator', 'SndMix beenden']);
    expect((menu[1]?.submenu as { label: string }[]).map((item) => item.label)).toEqual(['Lautsprecher (Standard)']);
  });
});
