// Which shipped language a user gets: the first of their preferred languages (BCP 47 tags,
// most wanted first) that is shipped, by its primary subtag ("de-AT" counts as German).
// One rule for the window (renderer/i18n) and the tray (electron/desktop/tray-text).
export function pickLanguage<Language extends string>(preferred: readonly string[], shipped: readonly Language[], fallback: Language): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    const match = shipped.find((language) => language === primary);
    if (match) return match;
  }
  return fallback;
}
