// shell.openExternal only for links to hosts we name: a compromised or confused page can
// never make SndMix open an arbitrary URL or a local file with the OS's handler.
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'learn.microsoft.com', 'www.electronjs.org'];

export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && hosts.includes(parsed.hostname);
  } catch {
    return false;
  }
}
