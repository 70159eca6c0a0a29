// Icon locations as Core Audio clients give them (IAudioSessionControl::SetIconPath):
// "file,-resourceId", "file,index", an .ico file, or a plain executable/DLL (its first
// icon). A leading "@" (indirect-string style) and surrounding quotes are dropped;
// environment variables (%SystemRoot%) are left for the Windows layer to expand.

export type IconLocation =
  | { kind: 'resource-id'; file: string; id: number }
  | { kind: 'index'; file: string; index: number }
  | { kind: 'ico'; file: string };

export function parseIconPath(text: string): IconLocation | null {
  let path = text.trim();
  if (path.startsWith('@')) path = path.slice(1).trim();
  const match = /^(.*?),\s*(-?\d+)$/.exec(path);
  const file = unquote(match ? (match[1] ?? '') : path);
  if (!file) return null;
  if (match) {
    const number = Number.parseInt(match[2] ?? '', 10);
    if (!Number.isSafeInteger(number)) return null;
    return number < 0 ? { kind: 'resource-id', file, id: -number } : { kind: 'index', file, index: number };
  }
  if (/\.ico$/i.test(file)) return { kind: 'ico', file };
  return { kind: 'index', file, index: 0 };
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
}
