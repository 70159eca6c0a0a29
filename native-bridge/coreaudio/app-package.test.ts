import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applicationIdOf, indirectReference, logoFiles, lookAtPackage, packageInPath, parseAppxManifest, type PackageReader } from './app-package';
import { encodePng } from './png';

const FULL_NAME = 'Microsoft.ZuneMusic_11.2305.4.0_x64__8wekyb3d8bbwe';

/** A manifest as Store packages ship it: names as ms-resource strings, logos without their qualifiers. */
const MANIFEST = `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"
  xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10">
  <Identity Name="Microsoft.ZuneMusic" Publisher="CN=Microsoft Corporation" Version="11.2305.4.0" ProcessorArchitecture="x64" />
  <Properties>
    <DisplayName>ms-resource:PackageName</DisplayName>
    <Logo>Assets\\StoreLogo.png</Logo>
  </Properties>
  <Applications>
    <Application Id="Microsoft.ZuneMusic" Executable="Microsoft.Media.Player.exe">
      <uap:VisualElements DisplayName="ms-resource:AppName" Square44x44Logo="Assets\\Square44x44Logo.png" Square150x150Logo="Assets\\Tile.png" />
    </Application>
    <Application Id="Second"><uap:VisualElements DisplayName="Second App" Square44x44Logo="Assets\\Second.png" /></Application>
  </Applications>
</Package>`;

const png = (shade: number) => encodePng(1, 1, Uint8Array.of(shade, shade, shade, 255));

let folder: string | null = null;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = null;
});

function installedPackage(files: Record<string, Buffer | string>): { installPath: string; reader: (strings: Record<string, string>) => PackageReader } {
  folder = mkdtempSync(join(tmpdir(), 'sndmix-package-'));
  const installPath = join(folder, 'WindowsApps', FULL_NAME);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(installPath, name, '..'), { recursive: true });
    writeFileSync(join(installPath, name), content);
  }
  return {
    installPath,
    reader: (strings) => ({
      readFile: (path) => {
        try {
          return readFileSync(path);
        } catch {
          return null;
        }
      },
      listDirectory: (path) => readdirSync(path),
      resolveIndirectString: (text) => strings[text] ?? null,
    }),
  };
}

describe('packaged apps (defect 9)', () => {
  it('finds the package full name and install folder in an image path under WindowsApps', () => {
    expect(packageInPath(`C:\\Program Files\\WindowsApps\\${FULL_NAME}\\Microsoft.Media.Player.exe`)).toEqual({
      fullName: FULL_NAME,
      installPath: `C:\\Program Files\\WindowsApps\\${FULL_NAME}`,
    });
    expect(packageInPath('C:\\Program Files\\App\\app.exe')).toBeNull();
    expect(packageInPath('C:\\Program Files\\WindowsApps\\NotAPackage\\app.exe')).toBeNull();
    expect(applicationIdOf('Microsoft.ZuneMusic_8wekyb3d8bbwe!Microsoft.ZuneMusic')).toBe('Microsoft.ZuneMusic');
    expect(applicationIdOf(null)).toBeNull();
  });

  it('reads the identity, properties and each application of a manifest; refuses what is not one', () => {
    expect(parseAppxManifest(MANIFEST)).toEqual({
      identityName: 'Microsoft.ZuneMusic',
      displayName: 'ms-resource:PackageName',
      logo: 'Assets\\StoreLogo.png',
      applications: [
        { id: 'Microsoft.ZuneMusic', displayName: 'ms-resource:AppName', logo: 'Assets\\Square44x44Logo.png' },
        { id: 'Second', displayName: 'Second App', logo: 'Assets\\Second.png' },
      ],
    });
    expect(parseAppxManifest('<NotAPackage/>')).toBeNull();
    expect(parseAppxManifest('not xml <<<')).toBeNull();
  });

  it('qualifies ms-resource strings by the package, as SHLoadIndirectString takes them', () => {
    const name = 'Microsoft.ZuneMusic';
    expect(indirectReference('ms-resource:AppName', FULL_NAME, name)).toBe(`@{${FULL_NAME}?ms-resource://${name}/Resources/AppName}`);
    expect(indirectReference('ms-resource:Strings/AppName', FULL_NAME, name)).toBe(`@{${FULL_NAME}?ms-resource://${name}/Strings/AppName}`);
    expect(indirectReference('ms-resource:/Resources/AppName', FULL_NAME, name)).toBe(`@{${FULL_NAME}?ms-resource://${name}/Resources/AppName}`);
    expect(indirectReference('ms-resource://Other/Resources/X', FULL_NAME, name)).toBe(`@{${FULL_NAME}?ms-resource://Other/Resources/X}`);
    expect(indirectReference('Plain Name', FULL_NAME, name)).toBeNull();
  });

  it('picks the logo file closest above 32 px among its scale and target-size variants, never high contrast', () => {
    const files = [
      'Square44x44Logo.scale-100.png', // 44 px
      'Square44x44Logo.scale-200.png', // 88 px
      'Square44x44Logo.targetsize-16.png',
      'Square44x44Logo.targetsize-32.png',
      'Square44x44Logo.targetsize-32_altform-unplated.png',
      'Square44x44Logo.scale-100_contrast-black.png',
      'Square44x44Logo.targetsize-32_altform-lightunplated.png',
      'StoreLogo.png',
    ];
    expect(logoFiles('Square44x44Logo.png', files)).toEqual([
      'Square44x44Logo.targetsize-32_altform-unplated.png',
      'Square44x44Logo.targetsize-32.png',
      'Square44x44Logo.scale-100.png',
      'Square44x44Logo.scale-200.png',
      'Square44x44Logo.targetsize-16.png',
    ]);
    expect(logoFiles('StoreLogo.png', files)).toEqual(['StoreLogo.png']);
  });

  it("names the app from its application's resolved DisplayName and shows its best logo", () => {
    const logo = png(200);
    const { installPath, reader } = installedPackage({
      'AppxManifest.xml': MANIFEST,
      'Assets/Square44x44Logo.scale-100.png': logo,
      'Assets/Square44x44Logo.scale-400.png': png(10),
      'Assets/StoreLogo.scale-100.png': png(90),
    });
    const strings = { [`@{${FULL_NAME}?ms-resource://Microsoft.ZuneMusic/Resources/AppName}`]: 'Media Player' };
    expect(lookAtPackage({ fullName: FULL_NAME, installPath, applicationId: null }, reader(strings))).toEqual({
      displayName: 'Media Player',
      logo: `data:image/png;base64,${logo.toString('base64')}`,
    });
  });

  it('falls back to the package display name, then its identity name, and to the package logo', () => {
    const storeLogo = png(90);
    const { installPath, reader } = installedPackage({ 'AppxManifest.xml': MANIFEST, 'Assets/StoreLogo.scale-100.png': storeLogo });
    const pkg = { fullName: FULL_NAME, installPath, applicationId: 'Microsoft.ZuneMusic' };
    const packageName = { [`@{${FULL_NAME}?ms-resource://Microsoft.ZuneMusic/Resources/PackageName}`]: 'Zune Music' };
    expect(lookAtPackage(pkg, reader(packageName))).toEqual({ displayName: 'Zune Music', logo: `data:image/png;base64,${storeLogo.toString('base64')}` });
    expect(lookAtPackage(pkg, reader({})).displayName).toBe('Microsoft.ZuneMusic');
    expect(lookAtPackage({ ...pkg, applicationId: 'Second' }, reader({})).displayName).toBe('Second App');
  });

  it('tells nothing for a package without a readable manifest, and never takes a file that is not a PNG as a logo', () => {
    const { installPath, reader } = installedPackage({ 'Assets/Square44x44Logo.png': 'not a png' });
    expect(lookAtPackage({ fullName: FULL_NAME, installPath, applicationId: null }, reader({}))).toEqual({ displayName: null, logo: null });
    writeFileSync(join(installPath, 'AppxManifest.xml'), MANIFEST);
    expect(lookAtPackage({ fullName: FULL_NAME, installPath, applicationId: null }, reader({})).logo).toBeNull();
  });
});
