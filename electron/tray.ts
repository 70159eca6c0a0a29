// The tray icon: the default playback device's volume state (icon and tooltip); left
// click toggles the flyout, middle click (Windows) mutes the device, right click opens
// the menu (open mixer, playback devices, settings, quit). Electron's Tray delivers no
// mouse-wheel events on any platform, so scrolling on the icon is not supported.
import type { MenuItemConstructorOptions, Rectangle } from 'electron';
import { Menu, Tray, nativeImage, screen } from 'electron';
import { defaultDevice } from '../core/mixer-view';
import type { VolumeScale } from '../core/settings';
import type { DeviceRecord } from '../native-bridge/types';
import type { MixerMirror } from './desktop/mixer-mirror';
import type { TrayLevel } from './desktop/tray-state';
import type { TrayText } from './desktop/tray-text';
import { trayIconBitmap, trayLevel, trayTooltip } from './desktop/tray-state';

export interface TrayActions {
  toggleFlyout(anchor: Rectangle): void;
  openMixer(deviceId: string | null): void;
  openSettings(): void;
  toggleDefaultMute(): void;
  quit(): void;
  /** The settings' volume scale, for the tooltip. */
  volumeScale(): VolumeScale;
}

function icon(level: TrayLevel) {
  const image = nativeImage.createFromBitmap(trayIconBitmap(level, 16), { width: 16, height: 16, scaleFactor: 1 });
  image.addRepresentation({ scaleFactor: 2, width: 32, height: 32, buffer: trayIconBitmap(level, 32) });
  return image;
}

export function trayMenuTemplate(devices: Iterable<DeviceRecord>, actions: TrayActions, text: TrayText): MenuItemConstructorOptions[] {
  const playback = [...devices].filter((device) => device.flow === 'render' && device.state === 'active');
  const current = defaultDevice(playback, 'render');
  return [
    { label: text('openMixer'), click: () => actions.openMixer(null) },
    {
      label: text('playbackDevice'),
      // Which device the mixer shows; the system default is marked (changing it is not a backend command).
      submenu:
        playback.length === 0
          ? [{ label: text('noPlaybackDevice'), enabled: false }]
          : playback.map((device) => ({
              label: device.id === current?.id ? text('defaultDevice', { name: device.name }) : device.name,
              type: 'radio' as const,
              checked: device.id === current?.id,
              click: () => actions.openMixer(device.id),
            })),
    },
    { label: text('settings'), click: () => actions.openSettings() },
    { type: 'separator' },
    { label: text('quit'), click: () => actions.quit() },
  ];
}

export class DesktopTray {
  private readonly tray: Tray;
  private level: TrayLevel | null = null;
  /** What the icon says now (the tooltip), for the e2e door. */
  tooltip = '';

  constructor(
    private readonly mirror: MixerMirror,
    private readonly actions: TrayActions,
    private readonly text: TrayText,
  ) {
    this.tray = new Tray(icon('none'));
    this.tray.on('click', (_event, bounds) => actions.toggleFlyout(this.anchor(bounds)));
    this.tray.on('middle-click', () => actions.toggleDefaultMute());
    mirror.onChange(() => this.update());
    this.update();
  }

  /** Where the icon is; Linux trays do not say, so the cursor stands for it. */
  private anchor(bounds: Rectangle): Rectangle {
    if (bounds.width > 0 && bounds.height > 0) return bounds;
    const cursor = screen.getCursorScreenPoint();
    return { x: cursor.x, y: cursor.y, width: 0, height: 0 };
  }

  update(): void {
    const device = defaultDevice(this.mirror.devices.values(), 'render');
    const level = trayLevel(device);
    if (level !== this.level) this.tray.setImage(icon(level));
    this.level = level;
    this.tooltip = trayTooltip(device, this.actions.volumeScale(), this.text);
    this.tray.setToolTip(this.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(this.mirror.devices.values(), this.actions, this.text)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
