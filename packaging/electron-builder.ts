// Installers with electron-builder (`npm run dist`): NSIS for Windows x64 (per-user, one
// click, Start menu and desktop shortcuts, uninstall keeps settings), AppImage and deb for
// Linux x64. The app is what Forge's Vite configs build into .vite/ (main, backend process,
// preload, renderer); the one runtime module left outside the bundles is ffi-rs, whose
// native binding for each target is added as ffi-rs's own local file (packaging/ffi-rs.ts).
import type { Configuration } from 'app-builder-lib';
import { FUSES } from './fuses';

export type DistTarget = 'win-x64' | 'linux-x64';

/** The napi-rs triple of ffi-rs's binding for a target (its package is @yuuang/ffi-rs-<triple>). */
export const FFI_RS_TRIPLES: Record<DistTarget, string> = {
  'win-x64': 'win32-x64-msvc',
  'linux-x64': 'linux-x64-gnu',
};

export const DIST_OUTPUT = 'out/dist';
/** Where packaging/ffi-rs.ts puts each target's binding, and the drawn icon. */
export const DIST_CACHE = 'packaging/.cache';

const ffiRsFiles = (target: DistTarget) => [
  { from: `${DIST_CACHE}/ffi-rs/${FFI_RS_TRIPLES[target]}`, to: 'node_modules/ffi-rs', filter: ['*.node'] },
];

export function builderConfig(electronVersion: string): Configuration {
  return {
    appId: 'io.github.sndmix.SndMix',
    productName: 'SndMix',
    executableName: 'sndmix',
    copyright: 'SndMix contributors',
    // The version the app is developed and tested with, from the lock file's install: never a newer one.
    electronVersion,
    directories: { output: DIST_OUTPUT, buildResources: 'packaging/resources' },
    files: ['package.json', '.vite/build/**', '.vite/renderer/**', '!**/*.map'],
    extraMetadata: { main: '.vite/build/main.cjs', author: { name: 'SndMix contributors' } },
    asar: true,
    // ffi-rs ships prebuilt bindings (staged per target): nothing to compile against Electron's headers.
    npmRebuild: false,
    // A native binding cannot load from inside the asar.
    asarUnpack: ['node_modules/ffi-rs/**'],
    electronFuses: { ...FUSES },
    icon: `${DIST_CACHE}/icon.png`,
    win: {
      target: [{ target: 'nsis', arch: ['x64'] }],
      files: ffiRsFiles('win-x64'),
    },
    nsis: {
      oneClick: true,
      perMachine: false,
      createDesktopShortcut: true,
      createStartMenuShortcut: true,
      shortcutName: 'SndMix',
      // Settings and the sim's saved sessions live in the user's app data: an uninstall keeps them.
      deleteAppDataOnUninstall: false,
      artifactName: 'SndMix-Setup-${version}-${arch}.${ext}',
    },
    linux: {
      target: [
        { target: 'AppImage', arch: ['x64'] },
        { target: 'deb', arch: ['x64'] },
      ],
      category: 'AudioVideo',
      maintainer: 'SndMix contributors',
      synopsis: 'Per-application volume mixer',
      description: 'A per-application volume mixer: a faithful Sndvol clone, then better.',
      files: ffiRsFiles('linux-x64'),
    },
    deb: {
      // xprop tells the foreground-app hotkeys which window is in front (X11).
      recommends: ['x11-utils', 'pulseaudio-utils'],
    },
    appImage: { artifactName: 'SndMix-${version}-${arch}.${ext}' },
  };
}
