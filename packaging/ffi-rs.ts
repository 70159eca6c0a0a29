// ffi-rs's native binding for each installer's target. npm installs only this machine's
// (the others are optional dependencies for other platforms), so a Windows installer built
// on Linux fetches @yuuang/ffi-rs-win32-x64-msvc, at ffi-rs's own version, with `npm pack`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DistTarget } from './electron-builder';
import { DIST_CACHE, FFI_RS_TRIPLES } from './electron-builder';

const require = createRequire(import.meta.url);

export function ffiRsVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('ffi-rs/package.json'), 'utf8')) as { version: string }).version;
}

/** Puts ffi-rs.<triple>.node for the target into the cache; returns where it came from. */
export function stageFfiRsBinding(root: string, target: DistTarget): string {
  const triple = FFI_RS_TRIPLES[target];
  const file = `ffi-rs.${triple}.node`;
  const stage = path.join(root, DIST_CACHE, 'ffi-rs', triple);
  mkdirSync(stage, { recursive: true });
  const installed = path.join(root, 'node_modules', '@yuuang', `ffi-rs-${triple}`, file);
  if (existsSync(installed)) {
    copyFileSync(installed, path.join(stage, file));
    return `${installed} (installed)`;
  }
  const version = ffiRsVersion();
  const spec = `@yuuang/ffi-rs-${triple}@${version}`;
  const download = path.join(root, DIST_CACHE, 'downloads');
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  const tarball = execFileSync('npm', ['pack', spec, '--pack-destination', download, '--silent'], { encoding: 'utf8', shell: process.platform === 'win32' }).trim().split('\n').at(-1);
  if (!tarball) throw new Error(`npm pack ${spec} named no tarball`);
  execFileSync('tar', ['-xzf', path.join(download, tarball), '-C', download]);
  const packed = path.join(download, 'package', file);
  if (!existsSync(packed)) throw new Error(`${spec} has no ${file}`);
  copyFileSync(packed, path.join(stage, file));
  return `${spec} (npm pack)`;
}
