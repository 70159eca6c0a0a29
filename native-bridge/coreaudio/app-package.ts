// A packaged (Store / MSIX) app's name and logo, as Start and Sndvol show them: from its
// package's AppxManifest.xml. The manifest names the app in <uap:VisualElements
// DisplayName> of its <Application> (else <Properties><DisplayName>), often as an
// "ms-resource:" string that only the package's resources.pri resolves (SHLoadIndirectString
// with "@{<package full name>?ms-resource://...}"); the logo is a file name that exists on
// disk only with scale / target-size qualifiers (Square44x44Logo.scale-200.png,
// Square44x44Logo.targetsize-32.png...). Pure logic over the I/O it is given.
import { DOMParser, type Element } from '@xmldom/xmldom';
import { pngDataUrl } from './png';

/** What the package lookups read: files of the package and the OS's indirect-string resolver. */
export interface PackageReader {
  readFile(path: string): Buffer | null;
  listDirectory(path: string): string[];
  /** SHLoadIndirectString; null when the string does not resolve. */
  resolveIndirectString(text: string): string | null;
}

export interface AppxManifest {
  identityName: string;
  /** <Properties><DisplayName>, <Properties><Logo>. */
  displayName: string;
  logo: string;
  applications: { id: string; displayName: string; logo: string }[];
}

export interface PackageLook {
  displayName: string | null;
  /** A PNG data URL. */
  logo: string | null;
}

/** The logo size the mixer draws (the shell's large icon, as for executables). */
const LOGO_PIXELS = 32;
const MAX_LOGO_BYTES = 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * "<name>_<version>_<architecture>_<resource id>_<publisher id>" as a folder under
 * WindowsApps, where Windows installs packages: the package full name, from any path inside it
 * (a process's image path, or the one in its session identifier).
 */
const PACKAGE_FOLDER = /^(.*?[\\/]WindowsApps[\\/]([^\\/_]+_[^\\/_]+_[^\\/_]*_[^\\/_]*_[a-z0-9]{13}))(?:[\\/]|$)/i;

export function packageInPath(path: string): { fullName: string; installPath: string } | null {
  const match = PACKAGE_FOLDER.exec(path);
  return match?.[1] && match[2] ? { installPath: match[1], fullName: match[2] } : null;
}

/** "PackageFamilyName!ApplicationId" -> "ApplicationId". */
export function applicationIdOf(appUserModelId: string | null): string | null {
  const bang = appUserModelId?.lastIndexOf('!') ?? -1;
  return appUserModelId && bang >= 0 ? appUserModelId.slice(bang + 1) : null;
}

export function parseAppxManifest(xml: string): AppxManifest | null {
  let root: Element | null;
  try {
    root = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml').documentElement;
  } catch {
    return null;
  }
  if (!root || root.localName !== 'Package') return null;
  const children = (parent: Element, name: string) =>
    Array.from(parent.childNodes).filter((node): node is Element => node.nodeType === 1 && (node as Element).localName === name);
  const child = (parent: Element | undefined, name: string) => (parent ? children(parent, name)[0] : undefined);
  const text = (element: Element | undefined) => element?.textContent?.trim() ?? '';
  const properties = child(root, 'Properties');
  const applications = child(root, 'Applications');
  return {
    identityName: child(root, 'Identity')?.getAttribute('Name')?.trim() ?? '',
    displayName: text(child(properties, 'DisplayName')),
    logo: text(child(properties, 'Logo')),
    applications: (applications ? children(applications, 'Application') : []).map((application) => {
      const visual = child(application, 'VisualElements');
      return {
        id: application.getAttribute('Id') ?? '',
        displayName: visual?.getAttribute('DisplayName')?.trim() ?? '',
        logo: (visual?.getAttribute('Square44x44Logo') || visual?.getAttribute('Square150x150Logo') || '').trim(),
      };
    }),
  };
}

/** A manifest string as SHLoadIndirectString takes it: ms-resource references qualified by the package. */
export function indirectReference(value: string, fullName: string, identityName: string): string | null {
  if (!/^ms-resource:/i.test(value)) return null;
  const key = value.slice('ms-resource:'.length);
  const uri = key.startsWith('//')
    ? `ms-resource:${key}`
    : key.startsWith('/')
      ? `ms-resource://${identityName}${key}`
      : `ms-resource://${identityName}/${key.includes('/') ? key : `Resources/${key}`}`;
  return `@{${fullName}?${uri}}`;
}

/**
 * The qualified files of a logo ("Assets\Square44x44Logo.png" -> Square44x44Logo.scale-200.png,
 * .targetsize-32_altform-unplated.png...) in `files`, best first: the smallest at least
 * LOGO_PIXELS, else the largest; high-contrast and light-theme variants never.
 */
export function logoFiles(logoName: string, files: readonly string[]): string[] {
  const dot = logoName.lastIndexOf('.');
  const stem = (dot > 0 ? logoName.slice(0, dot) : logoName).toLowerCase();
  const extension = (dot > 0 ? logoName.slice(dot) : '').toLowerCase();
  const basePixels = Number(/(\d+)x\d+/i.exec(stem)?.[1] ?? 50);
  const ranked: { file: string; pixels: number; plated: boolean }[] = [];
  for (const file of files) {
    const lower = file.toLowerCase();
    if (lower === stem + extension) {
      ranked.push({ file, pixels: basePixels, plated: true });
      continue;
    }
    if (!lower.startsWith(`${stem}.`) || !lower.endsWith(extension)) continue;
    const qualifiers = lower.slice(stem.length + 1, lower.length - extension.length).split(/[._]/);
    if (qualifiers.some((qualifier) => qualifier.startsWith('contrast-') || qualifier.includes('light'))) continue;
    const scale = qualifiers.find((qualifier) => qualifier.startsWith('scale-'));
    const target = qualifiers.find((qualifier) => qualifier.startsWith('targetsize-'));
    const pixels = target ? Number(target.slice('targetsize-'.length)) : scale ? (basePixels * Number(scale.slice('scale-'.length))) / 100 : basePixels;
    if (!Number.isFinite(pixels) || pixels <= 0) continue;
    ranked.push({ file, pixels, plated: !qualifiers.includes('altform-unplated') });
  }
  const fits = (entry: { pixels: number }) => entry.pixels >= LOGO_PIXELS;
  return ranked
    .sort((a, b) => {
      if (fits(a) !== fits(b)) return fits(a) ? -1 : 1;
      if (a.pixels !== b.pixels) return fits(a) ? a.pixels - b.pixels : b.pixels - a.pixels;
      // Unplated: the logo on a transparent background, as the taskbar draws it.
      return Number(a.plated) - Number(b.plated);
    })
    .map((entry) => entry.file);
}

/** Joins a manifest's relative path ("Assets\Logo.png") to a folder, in the folder's own separator. */
function joinPath(folder: string, relative: string): string {
  const separator = folder.includes('\\') ? '\\' : '/';
  return [folder.replace(/[\\/]+$/, ''), ...relative.split(/[\\/]+/).filter(Boolean)].join(separator);
}

function splitPath(path: string): { folder: string; name: string } {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return { folder: path.slice(0, cut), name: path.slice(cut + 1) };
}

/** The app's display name and logo from its installed package; nulls where the package does not tell. */
export function lookAtPackage(
  pkg: { fullName: string; installPath: string; applicationId: string | null },
  reader: PackageReader,
): PackageLook {
  const xml = reader.readFile(joinPath(pkg.installPath, 'AppxManifest.xml'));
  const manifest = xml ? parseAppxManifest(xml.toString('utf8')) : null;
  if (!manifest) return { displayName: null, logo: null };
  const application = manifest.applications.find((candidate) => candidate.id === pkg.applicationId) ?? manifest.applications[0];
  const resolve = (value: string): string | null => {
    if (!value) return null;
    const reference = indirectReference(value, pkg.fullName, manifest.identityName);
    const resolved = reference ? reader.resolveIndirectString(reference) : value;
    return resolved?.trim() || null;
  };
  const displayName = resolve(application?.displayName ?? '') ?? resolve(manifest.displayName) ?? (manifest.identityName || null);
  let logo: string | null = null;
  for (const relative of [application?.logo ?? '', manifest.logo]) {
    if (!relative || logo) continue;
    const { folder, name } = splitPath(joinPath(pkg.installPath, relative));
    for (const file of logoFiles(name, reader.listDirectory(folder))) {
      const png = reader.readFile(joinPath(folder, file));
      if (png && png.length <= MAX_LOGO_BYTES && png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
        logo = pngDataUrl(png);
        break;
      }
    }
  }
  return { displayName, logo };
}
