import type { Lang } from '../../platform/i18n.ts';

/** A moment as residents read it on My conversations: date and time in Finnish time, in the page language. */
export const residentDateTime = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : `${lang}-FI`, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Helsinki' }).format(new Date(iso));
