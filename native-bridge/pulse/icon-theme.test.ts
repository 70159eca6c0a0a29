import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IconResolver, configuredIconThemes, defaultIconDataDirs } from './icon-theme';

let root: string;

function put(relative: string, content: string | Buffer): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const dataUrl = (mime: string, content: string) => `data:${mime};base64,${Buffer.from(content).toString('base64')}`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sndmix-icons-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('freedesktop icon lookup', () => {
  it('finds an app icon in hicolor and inlines it as a PNG data URL', async () => {
    put('share/icons/hicolor/48x48/apps/player.png', 'png-48');
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [] });
    expect(await resolver.resolve('player')).toBe(dataUrl('image/png', 'png-48'));
  });

  it('prefers a 48 px bitmap, then scalable SVG, over far-off sizes', async () => {
    put('share/icons/hicolor/16x16/apps/player.png', 'png-16');
    put('share/icons/hicolor/scalable/apps/player.svg', '<svg/>');
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [] });
    expect(await resolver.resolve('player')).toBe(dataUrl('image/svg+xml', '<svg/>'));
    put('share/icons/hicolor/48x48/apps/other.png', 'png-48');
    put('share/icons/hicolor/256x256/apps/other.png', 'png-256');
    expect(await resolver.resolve('other')).toBe(dataUrl('image/png', 'png-48'));
  });

  it('searches the configured theme and what it inherits before hicolor', async () => {
    put('share/icons/hicolor/48x48/apps/player.png', 'hicolor');
    put('share/icons/Base/index.theme', '[Icon Theme]\nName=Base\n');
    put('share/icons/Base/apps/48/player.svg', '<svg id="base"/>');
    put('share/icons/Fancy/index.theme', '[Icon Theme]\nName=Fancy\nInherits=Base,hicolor\n');
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: ['Fancy'] });
    expect(await resolver.resolve('player')).toBe(dataUrl('image/svg+xml', '<svg id="base"/>'));
  });

  it('falls back to pixmaps, and to null when the icon is nowhere', async () => {
    put('share/pixmaps/legacy.png', 'legacy');
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [] });
    expect(await resolver.resolve('legacy')).toBe(dataUrl('image/png', 'legacy'));
    expect(await resolver.resolve('missing-icon')).toBeNull();
  });

  it('accepts an absolute PNG/SVG path but refuses names that climb out of the icon dirs', async () => {
    const absolute = put('elsewhere/app.svg', '<svg/>');
    put('share/icons/secret.png', 'not an app icon');
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [] });
    expect(await resolver.resolve(absolute)).toBe(dataUrl('image/svg+xml', '<svg/>'));
    expect(await resolver.resolve('../../secret')).toBeNull();
    expect(await resolver.resolve(put('elsewhere/notes.txt', 'text'))).toBeNull();
  });

  it('does not inline icons over the size limit', async () => {
    put('share/icons/hicolor/48x48/apps/huge.png', Buffer.alloc(2048));
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [], maxBytes: 1024 });
    expect(await resolver.resolve('huge')).toBeNull();
  });

  it('reads XDG data dirs and the GTK icon theme from the environment', () => {
    expect(defaultIconDataDirs({ XDG_DATA_HOME: '/home/u/.local/share', XDG_DATA_DIRS: '/a:/b' })).toEqual([
      '/home/u/.local/share',
      '/a',
      '/b',
    ]);
    expect(defaultIconDataDirs({ XDG_DATA_HOME: '/h' })).toEqual(['/h', '/usr/local/share', '/usr/share']);
    put('config/gtk-3.0/settings.ini', '[Settings]\ngtk-icon-theme-name = Papirus\n');
    expect(configuredIconThemes({ XDG_CONFIG_HOME: join(root, 'config') })).toEqual(['Papirus']);
    expect(configuredIconThemes({ XDG_CONFIG_HOME: join(root, 'nowhere') })).toEqual([]);
  });
});

describe('an application icon falls back as desktops do', () => {
  it('uses the binary name when the asked-for icon is missing (Chromium asks for chromium-browser)', async () => {
    put('share/icons/hicolor/48x48/apps/chromium.png', 'chromium');
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [] });
    expect(await resolver.resolveApp({ iconName: 'chromium-browser', binary: 'chromium', appName: 'Chromium' })).toBe(
      dataUrl('image/png', 'chromium'),
    );
  });

  it("then the Icon of the app's .desktop file, found by file name, StartupWMClass, Exec or Name", async () => {
    put('share/icons/hicolor/scalable/apps/org.example.Player.svg', '<svg id="player"/>');
    put(
      'share/applications/org.example.Player.desktop',
      '[Desktop Entry]\nName=Example Player\nExec=/opt/player/bin/xplayer --new %U\nIcon=org.example.Player\nCategories=Audio;Video;\n' +
        '[Desktop Action new]\nIcon=other\n',
    );
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [] });
    const found = dataUrl('image/svg+xml', '<svg id="player"/>');
    expect(await resolver.resolveApp({ iconName: 'xplayer-icon', binary: 'xplayer', appName: null })).toBe(found);
    expect(await resolver.resolveApp({ iconName: null, binary: null, appName: 'Example Player' })).toBe(found);
    expect(await resolver.resolveApp({ iconName: null, binary: 'unknown', appName: 'Unknown' })).toBeNull();
  });

  it('searches Adwaita after the configured themes, in every context, and the pixmaps', async () => {
    put('share/icons/Adwaita/48x48/mimetypes/audio-x-generic.png', 'adwaita');
    put('share/pixmaps/espeak.png', 'pixmap');
    const resolver = new IconResolver({ dataDirs: [join(root, 'share')], themes: [] });
    expect(await resolver.resolveApp({ iconName: 'audio-x-generic', binary: null, appName: null })).toBe(dataUrl('image/png', 'adwaita'));
    expect(await resolver.resolveApp({ iconName: null, binary: 'espeak', appName: null })).toBe(dataUrl('image/png', 'pixmap'));
  });
});
