// Where the Electron binary is, if this machine has one: the electron package names it,
// and its download (scripts/install-electron.mjs) may not have happened.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };

/** The binary the `electron` package points at, if it was downloaded. */
export function findElectronBinary(): ElectronBinary {
  let binary: unknown;
  try {
    // In plain Node the package exports the path of its binary (and throws when it never got one).
    binary = require('electron');
  } catch (error) {
    return { available: false, reason: missingReason(error instanceof Error ? error.message : String(error)) };
  }
  if (typeof binary !== 'string') return { available: false, reason: missingReason('the electron package named no binary') };
  if (!existsSync(binary)) return { available: false, reason: missingReason(`${binary} does not exist`) };
  return { available: true, path: binary };
}

function missingReason(detail: string): string {
  // The electron package's own words for "never downloaded" tell a user to reinstall, which would not help here.
  const why = detail.includes('failed to install correctly') ? 'its download was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD) or failed' : detail;
  return `no Electron binary here (${why}; \`npm run install:electron\` tries again); the electron target runs where npm could download it`;
}
