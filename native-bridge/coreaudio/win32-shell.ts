// Win32 lookups behind session names and icons: a process's executable and main window
// title, an executable's FileDescription, indirect strings, and icons rendered to PNG.
// Out-parameters are Node Buffers: ffi-rs passes a Buffer by the address of its bytes,
// so the callee writes straight into it.
import { DataType, load, open } from 'ffi-rs';
import { parseIconPath } from './icon-path';
import { encodePng, iconPixelsToRgba, pngDataUrl } from './png';

export interface Win32Shell {
  executablePath(pid: number): string | null;
  mainWindowTitles(pids: readonly number[]): Map<number, string>;
  fileDescription(executablePath: string): string | null;
  resolveIndirectString(text: string): string | null;
  renderIcon(iconPath: string): string | null;
}

const LIBRARIES = ['kernel32', 'user32', 'version', 'shell32', 'gdi32', 'shlwapi', 'msvcrt'] as const;
type Library = (typeof LIBRARIES)[number];

const { BigInt: Ptr, I32, U8Array } = DataType;

function call<R>(library: Library, funcName: string, retType: DataType, paramsType: DataType[], paramsValue: unknown[]): R {
  return load({ library, funcName, retType, paramsType, paramsValue }) as R;
}

function wide(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf16le');
}

function readWide(buffer: Buffer, characters?: number): string {
  const text = buffer.toString('utf16le', 0, characters === undefined ? buffer.length : characters * 2);
  const end = text.indexOf('\0');
  return end < 0 ? text : text.slice(0, end);
}

const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const GW_OWNER = 4;
const DIB_RGB_COLORS = 0;
const MAX_WINDOWS = 10_000;

let opened = false;

export function createWin32Shell(): Win32Shell {
  if (!opened) {
    for (const library of LIBRARIES) open({ library, path: `${library}.dll` });
    opened = true;
  }
  return { executablePath, mainWindowTitles, fileDescription, resolveIndirectString, renderIcon };
}

function executablePath(pid: number): string | null {
  if (pid <= 0) return null;
  const handle = call<bigint>('kernel32', 'OpenProcess', Ptr, [I32, I32, I32], [PROCESS_QUERY_LIMITED_INFORMATION, 0, pid]);
  if (handle === 0n) return null;
  try {
    const path = Buffer.alloc(2 * 1024);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(path.length / 2);
    const ok = call<number>('kernel32', 'QueryFullProcessImageNameW', I32, [Ptr, I32, U8Array, U8Array], [handle, 0, path, size]);
    return ok ? readWide(path, size.readUInt32LE()) : null;
  } finally {
    call<number>('kernel32', 'CloseHandle', I32, [Ptr], [handle]);
  }
}

/** Like .NET's Process.MainWindowTitle: the first visible, unowned top-level window with a title. */
function mainWindowTitles(pids: readonly number[]): Map<number, string> {
  const wanted = new Set(pids.filter((pid) => pid > 0));
  const titles = new Map<number, string>();
  const owner = Buffer.alloc(4);
  let window = 0n;
  for (let walked = 0; walked < MAX_WINDOWS && titles.size < wanted.size; walked++) {
    window = call<bigint>('user32', 'FindWindowExW', Ptr, [Ptr, Ptr, Ptr, Ptr], [0n, window, 0n, 0n]);
    if (window === 0n) break;
    call<number>('user32', 'GetWindowThreadProcessId', I32, [Ptr, U8Array], [window, owner]);
    const pid = owner.readUInt32LE();
    if (!wanted.has(pid) || titles.has(pid)) continue;
    if (!call<number>('user32', 'IsWindowVisible', I32, [Ptr], [window])) continue;
    if (call<bigint>('user32', 'GetWindow', Ptr, [Ptr, I32], [window, GW_OWNER]) !== 0n) continue;
    const length = call<number>('user32', 'GetWindowTextLengthW', I32, [Ptr], [window]);
    if (length <= 0) continue;
    const text = Buffer.alloc((length + 1) * 2);
    const copied = call<number>('user32', 'GetWindowTextW', I32, [Ptr, U8Array, I32], [window, text, length + 1]);
    const title = readWide(text, copied).trim();
    if (title) titles.set(pid, title);
  }
  return titles;
}

function fileDescription(path: string): string | null {
  const file = wide(path);
  const size = call<number>('version', 'GetFileVersionInfoSizeW', I32, [U8Array, U8Array], [file, Buffer.alloc(4)]);
  if (size <= 0) return null;
  const block = Buffer.alloc(size);
  if (!call<number>('version', 'GetFileVersionInfoW', I32, [U8Array, I32, I32, U8Array], [file, 0, size, block])) return null;
  // VerQueryValueW points into the block we passed: its address (memcpy(p, p, 0) returns p)
  // turns those pointers into offsets.
  const blockAddress = call<bigint>('msvcrt', 'memcpy', Ptr, [U8Array, U8Array, Ptr], [block, block, 0n]);
  const query = (subBlock: string): Buffer | null => {
    const pointer = Buffer.alloc(8);
    const length = Buffer.alloc(4);
    const ok = call<number>(
      'version',
      'VerQueryValueW',
      I32,
      [U8Array, U8Array, U8Array, U8Array],
      [block, wide(subBlock), pointer, length],
    );
    if (!ok) return null;
    const offset = Number(pointer.readBigUInt64LE() - blockAddress);
    if (offset < 0 || offset >= size) return null;
    return block.subarray(offset, Math.min(size, offset + length.readUInt32LE() * 2));
  };
  const translations = query('\\VarFileInfo\\Translation');
  const languages: string[] = [];
  for (let offset = 0; translations && offset + 4 <= translations.length; offset += 4) {
    const hex = (value: number) => value.toString(16).padStart(4, '0');
    languages.push(`${hex(translations.readUInt16LE(offset))}${hex(translations.readUInt16LE(offset + 2))}`);
  }
  for (const language of [...languages, '040904b0', '040904e4']) {
    const value = query(`\\StringFileInfo\\${language}\\FileDescription`);
    const text = value ? readWide(Buffer.from(value)).trim() : '';
    if (text) return text;
  }
  return null;
}

function resolveIndirectString(text: string): string | null {
  const output = Buffer.alloc(2 * 1024);
  // Expanded first: Wine's SHLoadIndirectString does not expand "%SystemRoot%" itself.
  const source = wide(expandEnvironment(text));
  const hr = call<number>(
    'shlwapi',
    'SHLoadIndirectString',
    I32,
    [U8Array, U8Array, I32, Ptr],
    [source, output, output.length / 2, 0n],
  );
  return hr === 0 ? readWide(output) : null;
}

function expandEnvironment(text: string): string {
  const output = Buffer.alloc(2 * 2048);
  const length = call<number>(
    'kernel32',
    'ExpandEnvironmentStringsW',
    I32,
    [U8Array, U8Array, I32],
    [wide(text), output, output.length / 2],
  );
  return length > 0 && length <= output.length / 2 ? readWide(output) : text;
}

/** Renders an icon location to a PNG data URL (32x32, the shell's large icon). */
function renderIcon(iconPath: string): string | null {
  const location = parseIconPath(iconPath);
  if (!location) return null;
  const file = wide(expandEnvironment(location.file));
  // ExtractIconExW takes an index, or minus a resource id; .ico files have index 0.
  const index = location.kind === 'resource-id' ? -location.id : location.kind === 'index' ? location.index : 0;
  const large = Buffer.alloc(8);
  const extracted = call<number>(
    'shell32',
    'ExtractIconExW',
    I32,
    [U8Array, I32, U8Array, Ptr, I32],
    [file, index, large, 0n, 1],
  );
  const icon = large.readBigUInt64LE();
  if (extracted <= 0 || icon === 0n) return null;
  try {
    return iconToPng(icon);
  } finally {
    call<number>('user32', 'DestroyIcon', I32, [Ptr], [icon]);
  }
}

function iconToPng(icon: bigint): string | null {
  // ICONINFO on x64: fIcon, xHotspot, yHotspot (12 bytes, padded to 16), hbmMask, hbmColor.
  const info = Buffer.alloc(32);
  if (!call<number>('user32', 'GetIconInfo', I32, [Ptr, U8Array], [icon, info])) return null;
  const mask = info.readBigUInt64LE(16);
  const color = info.readBigUInt64LE(24);
  const dc = call<bigint>('gdi32', 'CreateCompatibleDC', Ptr, [Ptr], [0n]);
  try {
    // Monochrome icons (no colour bitmap) are not rendered.
    if (color === 0n || dc === 0n) return null;
    // BITMAP: bmType, bmWidth, bmHeight, ... (32 bytes on x64).
    const bitmap = Buffer.alloc(32);
    if (!call<number>('gdi32', 'GetObjectW', I32, [Ptr, I32, U8Array], [color, bitmap.length, bitmap])) return null;
    const width = bitmap.readInt32LE(4);
    const height = bitmap.readInt32LE(8);
    if (width <= 0 || height <= 0 || width > 256 || height > 256) return null;
    const pixels = Buffer.alloc(width * height * 4);
    if (!dibits(dc, color, width, height, 32, pixels)) return null;
    const maskStride = Math.ceil(width / 32) * 4;
    const maskBits = Buffer.alloc(maskStride * height);
    const haveMask = mask !== 0n && dibits(dc, mask, width, height, 1, maskBits);
    return pngDataUrl(encodePng(width, height, iconPixelsToRgba(width, height, pixels, haveMask ? maskBits : null)));
  } finally {
    if (dc !== 0n) call<number>('gdi32', 'DeleteDC', I32, [Ptr], [dc]);
    for (const handle of [mask, color]) if (handle !== 0n) call<number>('gdi32', 'DeleteObject', I32, [Ptr], [handle]);
  }
}

/** GetDIBits into `target`, top-down rows; a 1-bit read carries a 2-entry colour table. */
function dibits(dc: bigint, bitmap: bigint, width: number, height: number, bitCount: 1 | 32, target: Buffer): boolean {
  const header = Buffer.alloc(40 + 2 * 4);
  header.writeUInt32LE(40, 0); // biSize
  header.writeInt32LE(width, 4);
  header.writeInt32LE(-height, 8); // negative: top-down
  header.writeUInt16LE(1, 12); // biPlanes
  header.writeUInt16LE(bitCount, 14);
  const lines = call<number>(
    'gdi32',
    'GetDIBits',
    I32,
    [Ptr, Ptr, I32, I32, U8Array, U8Array, I32],
    [dc, bitmap, 0, height, target, header, DIB_RGB_COLORS],
  );
  return lines === height;
}
