import type { Queryable } from '../../platform/db.ts';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { itemPath, type NewsItem, type NewsKind, type NewsMedia, type NewsTopic } from './model.ts';

/**
 * What the public pages hand the browser of an item: the texts of one language (the
 * one the item is shown in) and nothing of the workflow (states, authors, embargo
 * moments, tags, audience). Loaders map items through these, so hydration data carries
 * exactly what the page shows.
 */

/** The syndication feeds (served by feeds.ts; pages link to them). */
export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
export type FeedScope = 'news' | 'press';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

/** The feed's path on the tenant's site (relative). */
export function feedPath(lang: Lang, scope: FeedScope, format: FeedFormat, filter: { topic?: string; kind?: NewsKind } = {}): string {
  const p = new URLSearchParams();
  if (filter.topic) p.set('topic', filter.topic);
  if (filter.kind) p.set('kind', filter.kind);
  const q = p.toString();
  return `/feeds/${lang}/${scope}.${format}${q ? `?${q}` : ''}`;
}

export const PUBLIC_KINDS: NewsKind[] = ['news', 'press_release', 'event'];
export const NEWS_PAGE_SIZE = 10;
export const PRESS_PAGE_SIZE = 15;

export interface PickedText {
  text: string;
  lang: Lang;
}

export interface NewsCard {
  id: string;
  kind: NewsKind;
  path: string;
  /** The language the texts are in (the archive may list releases of another language). */
  lang: Lang;
  title: string;
  lead: string;
  publishedAt: string;
  topics: { slug: string; name: PickedText }[];
  image: { url: string; alt: PickedText } | null;
}

export interface PublicImage {
  id: string;
  url: string;
  filename: string;
  contentType: string;
  size: number;
  alt: PickedText;
  caption: PickedText;
  credit: string | null;
  license: string | null;
}

export interface NewsPage extends NewsCard {
  slug: string;
  /** Sanitized HTML from the core (sanitizeRichText at save). */
  body: string;
  updatedAt: string;
  languages: Lang[];
  eventStartsAt: string | null;
  eventEndsAt: string | null;
  eventLocation: string;
  images: PublicImage[];
  attachments: PublicImage[];
  services: { id: string; name: PickedText }[];
}

export function topicNames(topics: NewsTopic[], slugs: string[], lang: Lang, fallback: Lang) {
  return slugs.flatMap((slug) => {
    const t = topics.find((x) => x.slug === slug);
    return t ? [{ slug, name: pick(t.names, lang, [fallback]) }] : [];
  });
}

export function publicImage(m: NewsMedia, lang: Lang, fallback: Lang): PublicImage {
  return {
    id: m.id,
    url: m.url,
    filename: m.filename,
    contentType: m.contentType,
    size: m.size,
    alt: pick(m.alt, lang, [fallback]),
    caption: pick(m.caption, lang, [fallback]),
    credit: m.credit,
    license: m.license,
  };
}

/** An item in the language it is listed in (its title exists there: publicList checks). */
export function toCard(item: NewsItem, lang: Lang, pageLang: Lang, fallback: Lang, topics: NewsTopic[]): NewsCard {
  const img = item.images[0];
  return {
    id: item.id,
    kind: item.kind,
    path: itemPath(pageLang, item),
    lang,
    title: item.title[lang] ?? '',
    lead: item.lead[lang] ?? '',
    publishedAt: item.publishedAt ?? item.updatedAt,
    topics: topicNames(topics, item.topics, pageLang, fallback),
    image: img ? { url: img.url, alt: pick(img.alt, lang, [fallback, pageLang]) } : null,
  };
}

export async function toPage(db: Queryable, tenantId: string, item: NewsItem, lang: Lang, fallback: Lang, topics: NewsTopic[]): Promise<NewsPage> {
  return {
    ...toCard(item, lang, lang, fallback, topics),
    slug: item.slug,
    body: item.body[lang] ?? '',
    updatedAt: item.updatedAt,
    languages: item.languages,
    eventStartsAt: item.eventStartsAt,
    eventEndsAt: item.eventEndsAt,
    eventLocation: item.eventLocation[lang] ?? '',
    images: item.images.map((m) => publicImage(m, lang, fallback)),
    attachments: item.attachments.map((m) => publicImage(m, lang, fallback)),
    services: (await publishedServiceNames(db, tenantId, item.serviceIds)).map((s) => ({ id: s.id, name: pick(s.names, lang, [fallback]) })),
  };
}

/** Names of the item's related services that residents can open (published ones), in the item's order. */
export async function publishedServiceNames(db: Queryable, tenantId: string, ids: string[]): Promise<{ id: string; names: Localized }[]> {
  const valid = ids.filter(isUuid);
  if (!valid.length) return [];
  const r = await db.query<{ id: string; names: Localized }>(
    `select id, names from catalog_services where tenant_id = $1 and id = any($2::uuid[]) and status = 'published'`,
    [tenantId, valid],
  );
  const byId = new Map(r.rows.map((x) => [x.id, x]));
  return valid.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/** A query parameter date YYYY-MM-DD that is a real date; '' when absent, null when invalid. */
export function dateParam(v: string | null): string | null {
  if (!v || !v.trim()) return '';
  const s = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? s : null;
}

export function pageParam(v: string | null): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/** "12.3.2026 klo 9.00–12.00": an event's time range in Helsinki time. */
export function formatEventRange(startIso: string, endIso: string | null, lang: Lang): string {
  const fmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang === 'sv' ? 'sv-FI' : 'fi-FI', {
    timeZone: 'Europe/Helsinki',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  return endIso ? fmt.formatRange(new Date(startIso), new Date(endIso)) : fmt.format(new Date(startIso));
}

/** "1.2 MB" style size. */
export function formatBytes(n: number, lang: Lang): string {
  const nf = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang === 'sv' ? 'sv-FI' : 'fi-FI', { maximumFractionDigits: 1 });
  if (n < 1024) return `${nf.format(n)} B`;
  if (n < 1024 * 1024) return `${nf.format(n / 1024)} kB`;
  return `${nf.format(n / 1024 / 1024)} MB`;
}
