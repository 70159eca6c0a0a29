// Win32 lookups behind session names and icons: a process's executable and main window
// title, an executable's FileDescription, indirect strings, and icons rendered to PNG.
// Out-parameters are Node Buffers: ffi-rs passes a Buffer by the address of its bytes,
// so the callee writes straight into it.
import { DataType, load, open } from '../com/ffi';
import { parseIconPath } from './icon-path';
import { encodePng, iconPixelsToRgba, pngDataUrl } from './png';

/** What opening a process tells: its image path and, for a packaged app, its package. */
export interface OpenedProcess {
  executablePath: string | null;
  packageFullName: string | null;
  appUserModelId: string | null;
}

export interface Win32Shell {
  /** OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION) and what the handle tells; null when it cannot be opened (access denied, gone). */
  openProcess(pid: number): OpenedProcess | null;
  /** The image path without opening the process (NtQuerySystemInformation); see systemImagePath. */
  systemImagePath(pid: number): string | null;
  packageInstallPath(packageFullName: string): string | null;
  win32Path(nativePath: string): string | null;
  mainWindowTitles(pids: readonly number[]): Map<number, string>;
  fileDescription(executablePath: string): string | null;
  resolveIndirectString(text: string): string | null;
  renderIcon(iconPath: string): string | null;
}

const LIBRARIES = ['kernel32', 'ntdll', 'user32', 'version', 'shell32', 'gdi32', 'shlwapi', 'msvcrt'] as const;
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
/** PACKAGE_FULL_NAME_MAX_LENGTH and APPLICATION_USER_MODEL_ID_MAX_LENGTH are 127 and 130 characters. */
const APPMODEL_MAX_LENGTH = 260;
const SystemProcessInformation = 5;
const SystemProcessIdInformation = 88;
const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004 | 0;
const GW_OWNER = 4;
const DIB_RGB_COLORS = 0;
const MAX_WINDOWS = 10_000;

let opened = false;

export function createWin32Shell(): Win32Shell {
  if (!opened) {
    for (const library of LIBRARIES) open({ library, path: `${library}.dll` });
    opened = true;
  }
  return {
    openProcess,
    systemImagePath,
    packageInstallPath,
    win32Path,
    mainWindowTitles,
    fileDescription,
    resolveIndirectString,
    renderIcon,
  };
}

function openProcess(pid: number): OpenedProcess | null {
  if (pid <= 0) return null;
  const handle = call<bigint>('kernel32', 'OpenProcess', Ptr, [I32, I32, I32], [PROCESS_QUERY_LIMITED_INFORMATION, 0, pid]);
  if (handle === 0n) return null;
  try {
    const path = Buffer.alloc(2 * 1024);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(path.length / 2);
    const ok = call<number>('kernel32', 'QueryFullProcessImageNameW', I32, [Ptr, I32, U8Array, U8Array], [handle, 0, path, size]);
    return {
      executablePath: ok ? readWide(path, size.readUInt32LE()) : null,
      packageFullName: packageString('GetPackageFullName', handle),
      appUserModelId: packageString('GetApplicationUserModelId', handle),
    };
  } finally {
    call<number>('kernel32', 'CloseHandle', I32, [Ptr], [handle]);
  }
}

/**
 * GetPackageFullName / GetApplicationUserModelId of a process handle: ERROR_SUCCESS, or
 * APPMODEL_ERROR_NO_PACKAGE for a process that is not packaged (null). An export the system
 * lacks (Wine 8 has no GetApplicationUserModelId) is null as well.
 */
function packageString(funcName: 'GetPackageFullName' | 'GetApplicationUserModelId', handle: bigint): string | null {
  const text = Buffer.alloc(2 * APPMODEL_MAX_LENGTH);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(APPMODEL_MAX_LENGTH);
  let status: number;
  try {
    status = call<number>('kernel32', funcName, I32, [Ptr, U8Array, U8Array], [handle, length, text]);
  } catch {
    return null;
  }
  return status === 0 ? readWide(text, length.readUInt32LE()) || null : null;
}

function packageInstallPath(packageFullName: string): string | null {
  const path = Buffer.alloc(2 * 2048);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(path.length / 2);
  try {
    const status = call<number>('kernel32', 'GetPackagePathByFullName', I32, [U8Array, U8Array, U8Array], [wide(packageFullName), length, path]);
    return status === 0 ? readWide(path, length.readUInt32LE()) || null : null;
  } catch {
    // Wine 8's kernel32 has no GetPackagePathByFullName.
    return null;
  }
}

/**
 * The image path of a process that cannot be opened (access denied: a protected process,
 * another user's), as Task Manager gets it: NtQuerySystemInformation(SystemProcessIdInformation)
 * gives the full native path by pid. Where that class is missing (Wine 8 answers
 * STATUS_INVALID_INFO_CLASS), the process list (SystemProcessInformation) gives the file name.
 */
function systemImagePath(pid: number): string | null {
  if (pid <= 0) return null;
  const nativePath = imagePathById(pid);
  if (nativePath !== null) return win32Path(nativePath) ?? nativePath;
  return imageNameFromProcessList(pid);
}

function addressOf(buffer: Buffer): bigint {
  return call<bigint>('msvcrt', 'memcpy', Ptr, [U8Array, U8Array, Ptr], [buffer, buffer, 0n]);
}

function imagePathById(pid: number): string | null {
  // SYSTEM_PROCESS_ID_INFORMATION on x64: ProcessId (HANDLE), ImageName (UNICODE_STRING:
  // Length, MaximumLength, 4 bytes padding, Buffer) that the caller points at its own buffer.
  const name = Buffer.alloc(0xfffe);
  const info = Buffer.alloc(24);
  info.writeBigUInt64LE(BigInt(pid), 0);
  info.writeUInt16LE(0, 8);
  info.writeUInt16LE(name.length, 10);
  info.writeBigUInt64LE(addressOf(name), 16);
  const status = call<number>('ntdll', 'NtQuerySystemInformation', I32, [I32, U8Array, I32, Ptr], [SystemProcessIdInformation, info, info.length, 0n]);
  if (status !== 0) return null;
  return readWide(name, info.readUInt16LE(8) / 2) || null;
}

function imageNameFromProcessList(pid: number): string | null {
  let size = 256 * 1024;
  for (let attempt = 0; attempt < 4; attempt++) {
    const list = Buffer.alloc(size);
    const needed = Buffer.alloc(4);
    const status = call<number>('ntdll', 'NtQuerySystemInformation', I32, [I32, U8Array, I32, U8Array], [SystemProcessInformation, list, size, needed]);
    if (status === STATUS_INFO_LENGTH_MISMATCH) {
      size = Math.max(size * 2, needed.readUInt32LE() + 64 * 1024);
      continue;
    }
    if (status !== 0) return null;
    const base = addressOf(list);
    // SYSTEM_PROCESS_INFORMATION on x64: NextEntryOffset at 0, ImageName (UNICODE_STRING) at 0x38,
    // UniqueProcessId at 0x50; ImageName.Buffer points into the list.
    for (let offset = 0; offset + 0x58 <= list.length; ) {
      if (Number(list.readBigUInt64LE(offset + 0x50)) === pid) {
        const length = list.readUInt16LE(offset + 0x38);
        const at = Number(list.readBigUInt64LE(offset + 0x40) - base);
        if (length === 0 || at < 0 || at + length > list.length) return null;
        return list.toString('utf16le', at, at + length) || null;
      }
      const next = list.readUInt32LE(offset);
      if (next === 0) return null;
      offset += next;
    }
    return null;
  }
  return null;
}

/** "\Device\HarddiskVolume3\x" -> "C:\x" by the drive whose DOS device it is (QueryDosDeviceW). */
function win32Path(nativePath: string): string | null {
  if (/^[a-z]:\\/i.test(nativePath)) return nativePath;
  const prefixed = /^(?:\\\?\?\\|\\\\\?\\)([a-z]:\\.*)$/i.exec(nativePath);
  if (prefixed?.[1]) return prefixed[1];
  const target = Buffer.alloc(2 * 1024);
  for (let letter = 'A'.charCodeAt(0); letter <= 'Z'.charCodeAt(0); letter++) {
    const drive = `${String.fromCharCode(letter)}:`;
    const length = call<number>('kernel32', 'QueryDosDeviceW', I32, [U8Array, U8Array, I32], [wide(drive), target, target.length / 2]);
    if (length <= 0) continue;
    const device = readWide(target);
    if (device && nativePath.toLowerCase().startsWith(`${device.toLowerCase()}\\`)) return `${drive}${nativePath.slice(device.length)}`;
  }
  return null;
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
