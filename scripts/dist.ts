// `npm run dist`: installers with electron-builder (packaging/electron-builder.ts).
//   npm run dist               this machine's target (Windows: NSIS x64; Linux: AppImage and deb x64)
//   npm run dist -- --win      NSIS for Windows x64 (also from Linux)
//   npm run dist -- --linux    AppImage and deb for Linux x64
//   npm run dist -- --check    only check the configuration and stage what it needs
// Where Electron's binaries cannot be downloaded it says so, after checking the
// configuration against electron-builder's own schema; the exit code says nothing was built.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { build } from 'electron-builder';
import type { DistTarget } from '../packaging/electron-builder';
import { DIST_CACHE, DIST_OUTPUT, builderConfig } from '../packaging/electron-builder';
import { stageFfiRsBinding } from '../packaging/ffi-rs';
import { appIconPng } from '../packaging/icon';

const root = path.resolve(import.meta.dirname, '..');
const say = (line: string) => console.log(`sndmix dist: ${line}`);
const args = process.argv.slice(2);
const unknown = args.filter((arg) => !['--win', '--linux', '--check'].includes(arg));
if (unknown.length > 0) {
  console.error(`sndmix dist: unknown option ${unknown.join(' ')} (expected --win, --linux, --check)`);
  process.exit(2);
}
const targets: DistTarget[] = [];
if (args.includes('--win')) targets.push('win-x64');
if (args.includes('--linux')) targets.push('linux-x64');
if (targets.length === 0) targets.push(process.platform === 'win32' ? 'win-x64' : 'linux-x64');

const electronVersion = (JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const config = builderConfig(electronVersion);
await validateConfiguration(config, new DebugLogger(false));
say(`configuration valid against electron-builder's schema; Electron ${electronVersion} (the installed, pinned one); targets ${targets.join(', ')}`);

mkdirSync(path.join(root, DIST_CACHE), { recursive: true });
writeFileSync(path.join(root, DIST_CACHE, 'icon.png'), appIconPng());
for (const target of targets) say(`ffi-rs binding for ${target}: ${stageFfiRsBinding(root, target)}`);
if (args.includes('--check')) process.exit(0);

execFileSync('npm', ['run', '--silent', 'build:electron'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });

/** Network failures mean Electron's (or NSIS's, or AppImage's) binaries could not be fetched. */
function isDownloadFailure(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as NodeJS.ErrnoException).code ?? ''}` : String(error);
  return /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|unable to download/i.test(text);
}

try {
  const artifacts = await build({
    projectDir: root,
    config,
    publish: 'never',
    ...(targets.includes('win-x64') ? { win: ['nsis'] } : {}),
    ...(targets.includes('linux-x64') ? { linux: ['AppImage', 'deb'] } : {}),
    x64: true,
  });
  say(`built into ${DIST_OUTPUT}/:\n${artifacts.map((file) => `  ${path.relative(root, file)}`).join('\n')}`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (isDownloadFailure(error)) {
    console.error(
      `sndmix dist: cannot package here: Electron ${electronVersion}'s binaries (or electron-builder's tools) could not be downloaded (${message.split('\n')[0]}).\n` +
        'sndmix dist: the configuration was checked and is valid; run `npm run dist` where GitHub is reachable.',
    );
  } else {
    console.error(`sndmix dist: packaging failed: ${message}`);
  }
  process.exit(1);
}
