// Resolves a freedesktop icon name (a stream's application.icon_name) to a data URL the
// UI can show, the way desktop environments look icons up: the user's icon theme and the
// themes it inherits, then Adwaita (GTK's default), then hicolor (where applications
// install their icons), then the legacy pixmaps folders. Every context of a theme is
// searched (apps give names from apps, mimetypes, devices...); only PNG and SVG are
// returned (the renderer cannot show XPM). An icon that cannot be found is null: the UI
// shows its generic icon.
//
// An application's icon falls back as desktops do (resolveApp): the name it asked for,
// else its binary's name, else the Icon of its .desktop file (found by file name,
// StartupWMClass, Exec or Name). Chromium asks for "chromium-browser" where only
// "chromium" is installed; the binary's name finds it.
//
// .desktop files are read here rather than with an INI library: the ones on npm treat
// ";" as a comment, which desktop entries use as their list separator.
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, extname, isAbsolute, join } from 'node:path';
import type { IconQuery } from './session-model';

export interface IconResolverOptions {
  /** XDG data dirs, most important first (default: $XDG_DATA_HOME, then $XDG_DATA_DIRS). */
  dataDirs?: readonly string[];
  /** Themes to search before Adwaita and hicolor (default: the GTK icon theme from the user's settings, if any). */
  themes?: readonly string[];
  /** Larger files are not inlined as data URLs. */
  maxBytes?: number;
}

const MIME: Record<string, string> = { '.png': 'image/png', '.svg': 'image/svg+xml' };
const PREFERRED_SIZE = 48;
/** GTK's fallback theme, searched after the configured ones as GTK does. */
const FALLBACK_THEME = 'Adwaita';
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

interface ThemeDir {
  dir: string;
  size: string;
  context: string;
}

/** What an application's .desktop file says, lower-cased for matching. */
interface DesktopEntry {
  /** The file name without ".desktop" (its desktop file id). */
  id: string;
  name: string | null;
  startupWmClass: string | null;
  /** The basename of Exec's program. */
  program: string | null;
  /** Icon as written (a name or an absolute path). */
  icon: string | null;
}

/** The keys SndMix needs from the [Desktop Entry] group (untranslated values; escapes are irrelevant to them). */
export function parseDesktopEntry(fileName: string, text: string): DesktopEntry {
  const values = new Map<string, string>();
  let inMainGroup = false;
  for (const line of text.split(/\r?\n/)) {
    const group = /^\s*\[(.+)\]\s*$/.exec(line);
    if (group) {
      inMainGroup = group[1] === 'Desktop Entry';
      continue;
    }
    const pair = inMainGroup ? /^\s*([A-Za-z0-9-]+)\s*=\s*(.*?)\s*$/.exec(line) : null;
    if (pair?.[1] && pair[2] !== undefined && !values.has(pair[1])) values.set(pair[1], pair[2]);
  }
  const lower = (key: string) => values.get(key)?.toLowerCase() || null;
  const exec = values.get('Exec')?.trim().split(/\s+/)[0]?.replace(/^"|"$/g, '');
  return {
    id: fileName.replace(/\.desktop$/, '').toLowerCase(),
    name: lower('Name'),
    startupWmClass: lower('StartupWMClass'),
    program: exec ? basename(exec).toLowerCase() : null,
    icon: values.get('Icon') || null,
  };
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
  private desktopEntries: Promise<DesktopEntry[]> | null = null;

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

  /** An application's icon: its icon name, else its binary's name, else its .desktop file's Icon. Never throws. */
  async resolveApp(query: IconQuery): Promise<string | null> {
    const names = [query.iconName, query.binary].filter((name): name is string => name !== null);
    for (const name of names) {
      const found = await this.resolve(name);
      if (found) return found;
    }
    const entry = await this.desktopEntryFor(query).catch(() => null);
    return entry?.icon ? this.resolve(entry.icon) : null;
  }

  private async desktopEntryFor(query: IconQuery): Promise<DesktopEntry | null> {
    const entries = await (this.desktopEntries ??= this.readDesktopEntries());
    const binary = query.binary?.toLowerCase() ?? null;
    const appName = query.appName?.toLowerCase() ?? null;
    const matchers: ((entry: DesktopEntry) => boolean)[] = [
      (entry) => binary !== null && entry.id === binary,
      (entry) => binary !== null && entry.startupWmClass === binary,
      (entry) => binary !== null && entry.program === binary,
      (entry) => appName !== null && (entry.name === appName || entry.id === appName),
    ];
    for (const matches of matchers) {
      const found = entries.find((entry) => entry.icon !== null && matches(entry));
      if (found) return found;
    }
    return null;
  }

  /** The [Desktop Entry] groups of <data dir>/applications/*.desktop, earlier data dirs first. */
  private async readDesktopEntries(): Promise<DesktopEntry[]> {
    const entries: DesktopEntry[] = [];
    for (const dir of this.dataDirs) {
      const folder = join(dir, 'applications');
      const files = (await readdir(folder).catch(() => [] as string[])).filter((file) => file.endsWith('.desktop')).sort();
      for (const file of files) {
        const text = await readFile(join(folder, file), 'utf8').catch(() => null);
        if (text !== null) entries.push(parseDesktopEntry(file, text));
      }
    }
    return entries;
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

  /** Configured themes, then what they inherit (index.theme "Inherits="), then Adwaita, hicolor last. */
  private themeOrder(): Promise<string[]> {
    this.themeChain ??= (async () => {
      const order: string[] = [];
      const visit = async (theme: string): Promise<void> => {
        if (order.includes(theme) || theme === 'hicolor' || !ICON_NAME.test(theme)) return;
        order.push(theme);
        for (const parent of await this.inheritedThemes(theme)) await visit(parent);
      };
      for (const theme of this.themes) await visit(theme);
      await visit(FALLBACK_THEME);
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

  /**
   * Looks in <theme>/<size>/<context>/ and <theme>/<context>/<size>/ (both layouts are in
   * use) and keeps the best size; the apps context wins a tie.
   */
  private async findInTheme(theme: string, iconName: string): Promise<string | null> {
    const candidates: Candidate[] = [];
    for (const base of this.iconBases()) {
      for (const { dir, size, context } of await this.themeDirs(join(base, theme))) {
        for (const extension of ['.png', '.svg']) {
          const path = join(dir, iconName + extension);
          if (await isFile(path)) candidates.push({ path, score: sizeScore(size, extension) + (context === 'apps' ? 0 : 0.01) });
        }
      }
    }
    candidates.sort((a, b) => a.score - b.score);
    return candidates[0]?.path ?? null;
  }

  /** A theme folder's icon directories. */
  private async themeDirs(themeDir: string): Promise<ThemeDir[]> {
    const dirs: ThemeDir[] = [];
    for (const outer of await subdirectories(themeDir)) {
      for (const inner of await subdirectories(join(themeDir, outer))) {
        // <size>/<context> when the outer name is a size, else <context>/<size>.
        const sizeFirst = /^\d|^scalable$/.test(outer);
        dirs.push({ dir: join(themeDir, outer, inner), size: sizeFirst ? outer : inner, context: sizeFirst ? inner : outer });
      }
    }
    return dirs;
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

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory() || entry.isSymbolicLink()).map((entry) => entry.name);
}

async function isFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() === true;
}
