import type { Lang } from '../../platform/i18n.ts';
import { toLocalInput } from '../newsroom/model.ts';

/**
 * Texts of the distribution e-mails (press releases to media contacts, the subscription
 * confirmation), fi/sv/en. They live with the module because the compiled server does not
 * include src/web.
 */

/** "1.12.2026" and "09.00" in Helsinki time, as Finnish newsrooms write them. */
export function helsinkiParts(iso: string): { date: string; time: string } {
  const [date, time] = toLocalInput(iso).split('T');
  const [y, m, d] = date.split('-');
  return { date: `${Number(d)}.${Number(m)}.${y}`, time: time.replace(':', '.') };
}

export const MAIL_TEXT = {
  fi: {
    embargoSubject: 'EMBARGO {date} klo {time} asti (Suomen aikaa) – {title}',
    embargoBanner: 'EMBARGO – EI JULKAISTAVAKSI ENNEN {date} klo {time} (Suomen aikaa).',
    embargoNote: 'Tiedote on lähetetty sinulle luottamuksellisesti etukäteen. Sitä ei saa julkaista eikä sen sisältöä kertoa ennen embargon päättymistä.',
    embargoLink: 'Tiedote on verkossa embargon päätyttyä osoitteessa:',
    releaseSubject: 'Tiedote: {title}',
    releaseLink: 'Tiedote verkossa:',
    footer: 'Saat tämän viestin, koska olet {org}n median jakelulistalla. Peru tilaus: {link}',
    confirmSubject: 'Vahvista tiedotteiden tilaus – {org}',
    confirmText: 'Hei {name},\n\nvahvista {org}n tiedotteiden tilaus avaamalla alla oleva linkki ja painamalla Vahvista. Jos et tilannut tiedotteita, voit jättää tämän viestin huomiotta.\n\n{link}\n',
  },
  sv: {
    embargoSubject: 'EMBARGO till {date} kl. {time} (finsk tid) – {title}',
    embargoBanner: 'EMBARGO – FÅR INTE PUBLICERAS FÖRE {date} kl. {time} (finsk tid).',
    embargoNote: 'Pressmeddelandet har skickats till dig i förtroende på förhand. Det får inte publiceras och innehållet får inte återges innan embargot upphör.',
    embargoLink: 'Pressmeddelandet finns på webben efter embargot på adressen:',
    releaseSubject: 'Pressmeddelande: {title}',
    releaseLink: 'Pressmeddelandet på webben:',
    footer: 'Du får detta meddelande eftersom du finns på mediesändlistan hos {org}. Avsluta prenumerationen: {link}',
    confirmSubject: 'Bekräfta prenumerationen på pressmeddelanden – {org}',
    confirmText: 'Hej {name},\n\nbekräfta prenumerationen på pressmeddelanden från {org} genom att öppna länken nedan och trycka på Bekräfta. Om du inte prenumererade kan du lämna detta meddelande utan åtgärd.\n\n{link}\n',
  },
  en: {
    embargoSubject: 'EMBARGOED until {date} at {time} Helsinki time – {title}',
    embargoBanner: 'EMBARGOED – NOT FOR PUBLICATION BEFORE {date} at {time} (Helsinki time).',
    embargoNote: 'This release is sent to you in confidence in advance. It must not be published, nor its contents reported, before the embargo lapses.',
    embargoLink: 'After the embargo the release is online at:',
    releaseSubject: 'Press release: {title}',
    releaseLink: 'The release online:',
    footer: 'You receive this because you are on the media distribution list of {org}. Unsubscribe: {link}',
    confirmSubject: 'Confirm your press release subscription – {org}',
    confirmText: 'Hello {name},\n\nplease confirm your subscription to press releases from {org} by opening the link below and pressing Confirm. If you did not subscribe, you can ignore this message.\n\n{link}\n',
  },
} satisfies Record<Lang, Record<string, string>>;

export type MailTextKey = keyof (typeof MAIL_TEXT)['fi'];

export function mailText(lang: Lang, key: MailTextKey, vars: Record<string, string> = {}): string {
  return MAIL_TEXT[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
}

/**
 * Text of sanitized HTML for a mail's plain-text part. Unlike the search index's
 * htmlToText (catalog/search-documents.ts), which folds everything onto one line, a reader
 * needs the paragraphs and list items kept.
 */
export function htmlToMailText(html: string): string {
  return html
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|blockquote)>/gi, '\n\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
