// Components rendered alone (without MixerProvider) get their strings from this wrapper.
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Language } from '../i18n/i18n';
import { createI18n } from '../i18n/i18n';

export function withStrings(language: Language = 'en') {
  const i18n = createI18n(language);
  return function StringsWrapper({ children }: { children: ReactNode }) {
    return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
  };
}
