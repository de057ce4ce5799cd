import type { Lang } from '../../platform/i18n.ts';
import type { CaseStatus } from './model.ts';
import { STATUS_NAMES } from './notify.ts';

/**
 * The public feed's words and paths, shared by the feed page, the case page and RSS:
 * the feed shows only what staff published (the moderated public description and answer).
 */

/** Items per page on the feed page: short enough for a map of one page to stay readable. */
export const FEED_PAGE_SIZE = 20;
/** Items in the RSS feed: feed readers poll; older items are on the page. */
export const RSS_ITEMS = 50;

/**
 * A status in words for the public. STATUS_NAMES speaks to the resident who sent the case
 * ("waiting for more information from you"); on the public page "you" would be the reader,
 * so that one status is said without it.
 */
const PUBLIC_OVERRIDES: Partial<Record<CaseStatus, Record<Lang, string>>> = {
  waiting_for_resident: { fi: 'Odottaa lisätietoja', sv: 'Väntar på mer information', en: 'Waiting for more information' },
};

export function publicStatusName(status: CaseStatus, lang: Lang): string {
  return (PUBLIC_OVERRIDES[status] ?? STATUS_NAMES[status])[lang];
}

export const feedPath = (lang: Lang) => `/${lang}/feedback`;
export const casePath = (lang: Lang, number: number) => `/${lang}/feedback/${number}`;
export const rssPath = (lang: Lang) => `/${lang}/feedback/rss.xml`;

/** A category code as the feed's filter accepts it (the same shape categories are created with). */
export function filterCategory(raw: string | null | undefined): string | undefined {
  const v = (raw ?? '').trim();
  return /^[a-z0-9][a-z0-9_-]{0,62}$/.test(v) ? v : undefined;
}

/** A page number from the query: anything odd is page 1 rather than an error. */
export function filterPage(raw: string | null | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/** The point on openstreetmap.org: a plain link, nothing is fetched from there by us. */
export function osmUrl(lat: number, lon: number): string {
  const la = lat.toFixed(5);
  const lo = lon.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=17/${la}/${lo}`;
}

/** A date in Finnish local time, the way each language writes it ("25.11.2026", "25 Nov 2026"). */
export function formatPublicDate(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang === 'sv' ? 'sv-FI' : 'fi-FI', {
    timeZone: 'Europe/Helsinki',
    day: 'numeric',
    month: lang === 'en' ? 'short' : 'numeric',
    year: 'numeric',
  }).format(d);
}
