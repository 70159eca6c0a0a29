// The mixer window's size: what it opens at, and the least it may be made. The renderer's
// title row keeps to one line from the least width up, which e2e/title-row.web.spec.ts
// checks at this very number. Plain data: no Electron here, so tests may import it.
export const MIXER_WINDOW_SIZE = { width: 980, height: 560 } as const;
export const MIXER_WINDOW_MIN_SIZE = { width: 420, height: 420 } as const;
