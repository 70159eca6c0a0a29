// Resolves a freedesktop icon name (a stream's application.icon_name) to a data URL the
// UI can show, the way desktop environments look icons up: the user's icon theme and the
// themes it inherits, then hicolor (where applications install their icons), then the
// legacy pixmaps folders. Only the "apps" context is searched and only PNG and SVG are
// returned (the renderer cannot show XPM). An icon that cannot be found is null: the UI
// shows its generic icon.
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';

export interface IconResolverOptions {
  /** XDG data dirs, most important first (default: $XDG_DATA_HOME, then $XDG_DATA_DIRS). */
  dataDirs?: readonly string[];
  /** Themes to search before hicolor (default: the GTK icon theme from the user's settings, if any). */
  themes?: readonly string[];
  /** Larger files are not inlined as data URLs. */
  maxBytes?: number;
}

const MIME: Record<string, string> = { '.png': 'image/png', '.svg': 'image/svg+xml' };
const PREFERRED_SIZE = 48;
const DEFAULT_MAX_BYTES = 512 * 1024;
/** Icon names are file names without extension; anything else (paths, "..") is refused. */
const ICON_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]{0,254}$/;

export function defaultIconDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [dataHome, ...dataDirs];
}

/** The icon theme GTK is configured with (gtk-3.0 or gtk-4.0 settings.ini), if any. */
export function configuredIconThemes(env: NodeJS.ProcessEnv = process.env): string[] {
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  const themes: string[] = [];
  for (const file of [join(configHome, 'gtk-4.0', 'settings.ini'), join(configHome, 'gtk-3.0', 'settings.ini')]) {
    if (!existsSync(file)) continue;
    const match = /^\s*gtk-icon-theme-name\s*=\s*"?([^"\n]+?)"?\s*$/m.exec(readFileSync(file, 'utf8'));
    if (match?.[1] && !themes.includes(match[1])) themes.push(match[1]);
  }
  return themes;
}

interface Candidate {
  path: string;
  score: number;
}

export class IconResolver {
  private readonly dataDirs: readonly string[];
  private readonly themes: readonly string[];
  private readonly maxBytes: number;
  private readonly cache = new Map<string, Promise<string | null>>();
  private themeChain: Promise<string[]> | null = null;

  constructor(options: IconResolverOptions = {}) {
    this.dataDirs = options.dataDirs ?? defaultIconDataDirs();
    this.themes = options.themes ?? configuredIconThemes();
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /** The icon as a data URL, or null; never throws. Results are cached per name. */
  resolve(iconName: string): Promise<string | null> {
    let pending = this.cache.get(iconName);
    if (!pending) {
      pending = this.lookUp(iconName).catch(() => null);
      this.cache.set(iconName, pending);
    }
    return pending;
  }

  private async lookUp(iconName: string): Promise<string | null> {
    if (isAbsolute(iconName)) return this.dataUrl(iconName);
    if (!ICON_NAME.test(iconName)) return null;
    for (const theme of await this.themeOrder()) {
      const found = await this.findInTheme(theme, iconName);
      if (found) return this.dataUrl(found);
    }
    for (const dir of this.dataDirs) {
      for (const extension of ['.png', '.svg']) {
        const path = join(dir, 'pixmaps', iconName + extension);
        if (await isFile(path)) return this.dataUrl(path);
      }
    }
    return null;
  }

  private iconBases(): string[] {
    return [join(homedir(), '.icons'), ...this.dataDirs.map((dir) => join(dir, 'icons'))];
  }

  /** Configured themes, then what they inherit (index.theme "Inherits="), hicolor last. */
  private themeOrder(): Promise<string[]> {
    this.themeChain ??= (async () => {
      const order: string[] = [];
      const visit = async (theme: string): Promise<void> => {
        if (order.includes(theme) || theme === 'hicolor' || !ICON_NAME.test(theme)) return;
        order.push(theme);
        for (const parent of await this.inheritedThemes(theme)) await visit(parent);
      };
      for (const theme of this.themes) await visit(theme);
      order.push('hicolor');
      return order;
    })();
    return this.themeChain;
  }

  private async inheritedThemes(theme: string): Promise<string[]> {
    for (const base of this.iconBases()) {
      const index = await readFile(join(base, theme, 'index.theme'), 'utf8').catch(() => null);
      if (index === null) continue;
      const match = /^\s*Inherits\s*=\s*(.+)$/m.exec(index);
      return match?.[1] ? match[1].split(',').map((name) => name.trim()).filter(Boolean) : [];
    }
    return [];
  }

  /** Looks in <theme>/<size>/apps/ and <theme>/apps/<size>/ and keeps the best size. */
  private async findInTheme(theme: string, iconName: string): Promise<string | null> {
    const candidates: Candidate[] = [];
    for (const base of this.iconBases()) {
      const themeDir = join(base, theme);
      const entries = await readdir(themeDir).catch(() => [] as string[]);
      const sizeDirs = entries.filter((entry) => entry !== 'apps');
      const appDirs = [
        ...sizeDirs.map((size) => ({ dir: join(themeDir, size, 'apps'), size })),
        ...(entries.includes('apps')
          ? (await readdir(join(themeDir, 'apps')).catch(() => [] as string[])).map((size) => ({ dir: join(themeDir, 'apps', size), size }))
          : []),
      ];
      for (const { dir, size } of appDirs) {
        for (const extension of ['.png', '.svg']) {
          const path = join(dir, iconName + extension);
          if (await isFile(path)) candidates.push({ path, score: sizeScore(size, extension) });
        }
      }
    }
    candidates.sort((a, b) => a.score - b.score);
    return candidates[0]?.path ?? null;
  }

  private async dataUrl(path: string): Promise<string | null> {
    const mime = MIME[extname(path).toLowerCase()];
    if (!mime) return null;
    const info = await stat(path).catch(() => null);
    if (!info?.isFile() || info.size === 0 || info.size > this.maxBytes) return null;
    const bytes = await readFile(path);
    return `data:${mime};base64,${bytes.toString('base64')}`;
  }
}

/** Lower is better: a bitmap at 48 px, then a scalable icon, then bitmaps further from 48 px. */
function sizeScore(sizeDir: string, extension: string): number {
  if (extension === '.svg') return 0.5;
  const pixels = Number(/^(\d+)/.exec(sizeDir)?.[1]);
  if (!Number.isFinite(pixels) || pixels <= 0) return 10;
  return Math.abs(Math.log2(pixels / PREFERRED_SIZE)) + (pixels < PREFERRED_SIZE ? 0.25 : 0);
}

async function isFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() === true;
}
