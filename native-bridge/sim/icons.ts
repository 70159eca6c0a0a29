// Small hand-made SVG icons, as data URLs: the System Sounds session's own (R19) and
// the demo apps'.

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

const frame = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">${body}</svg>`;

/** A speaker with a bell: the system's notification sounds. */
export const SYSTEM_SOUNDS_ICON = svgDataUrl(
  frame(
    '<path d="M4 12h5l7-6v20l-7-6H4z" fill="#4a5568"/>' +
      '<path d="M24 9a5 5 0 0 0-5 5v4l-2 3h14l-2-3v-4a5 5 0 0 0-5-5z" fill="#f6c343" stroke="#b7791f" stroke-width="1"/>' +
      '<circle cx="24" cy="23" r="1.8" fill="#b7791f"/>',
  ),
);

/** Melodia, the demo's music player: a note on a violet disc. */
export const MEDIA_PLAYER_ICON = svgDataUrl(
  frame(
    '<circle cx="16" cy="16" r="15" fill="#7c3aed"/>' +
      '<path d="M13 8v11.2a3.5 3.5 0 1 0 2 3.1V12l7-2v7.2a3.5 3.5 0 1 0 2 3.1V6z" fill="#fff"/>',
  ),
);

/** Corvid, the demo's browser: a globe. */
export const BROWSER_ICON = svgDataUrl(
  frame(
    '<circle cx="16" cy="16" r="14" fill="#0ea5e9" stroke="#0369a1" stroke-width="2"/>' +
      '<path d="M2 16h28M16 2c-5 4-5 24 0 28M16 2c5 4 5 24 0 28M5 8h22M5 24h22" fill="none" stroke="#e0f2fe" stroke-width="1.5"/>',
  ),
);

/** Starfall Odyssey, the demo's game: a star over a night sky. */
export const GAME_ICON = svgDataUrl(
  frame(
    '<rect x="1" y="1" width="30" height="30" rx="6" fill="#1e1b4b"/>' +
      '<path d="M16 5l3.2 7 7.6.7-5.8 5 1.8 7.5L16 21.3 9.2 25.2 11 17.7l-5.8-5 7.6-.7z" fill="#facc15"/>',
  ),
);

/** Parley, the demo's voice chat: a speech bubble with a sound wave. */
export const VOICE_CHAT_ICON = svgDataUrl(
  frame(
    '<path d="M4 5h24a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H13l-7 6v-6H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z" fill="#16a34a"/>' +
      '<path d="M10 14v0M13 11v6M16 9v10M19 11v6M22 14v0" stroke="#fff" stroke-width="2" stroke-linecap="round"/>',
  ),
);
