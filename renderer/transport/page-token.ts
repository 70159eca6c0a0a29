// The web mode access token: read once from the address SndMix printed (`?token=…`), then
// kept in this tab's session storage and removed from the address bar and the history
// entry, so it is not shown, bookmarked, synced or left in the browser's history. A
// reload of the tab finds it in session storage; a new tab needs the printed address.

const TOKEN_KEY = 'sndmix.token';

export interface PageTokenEnvironment {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  /** null where storage is disabled: the token then lives only in this page. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export function takePageToken(environment: PageTokenEnvironment): string | null {
  const url = new URL(environment.location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress === null) return read(environment.storage);
  try {
    environment.storage?.setItem(TOKEN_KEY, fromAddress);
  } catch {
    // Storage full or refused: a reload then needs the printed address again.
  }
  url.searchParams.delete('token');
  environment.history.replaceState(environment.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return fromAddress || null;
}

function read(storage: PageTokenEnvironment['storage']): string | null {
  try {
    return storage?.getItem(TOKEN_KEY) || null;
  } catch {
    return null;
  }
}

/** Session storage, or null where the browser refuses it (some privacy modes throw on access). */
export function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
