// The connection's own messages in English without i18next, for the meter worker's socket
// (the worker bundles no i18n instance; its words go to the console only).
import { en } from '../i18n/en';
import type { Translate } from '../i18n/i18n';

export const connectionText: Translate = (key, values = {}) => {
  const [group, name] = key.split('.') as [keyof typeof en, string];
  const text = (en[group] as Record<string, string> | undefined)?.[name] ?? key;
  return text.replace(/\{\{(\w+)\}\}/g, (_match, slot: string) => String(values[slot] ?? ''));
};
