import type { FastifyInstance } from 'fastify';
import { bodyEtag, htmlText, sharedFeedRoute, xmlText } from '../feedback/feed-rss.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { sendError } from '../../server/app.ts';
import type { Services } from '../../server/services.ts';
import { itemPath, type NewsItem, type NewsKind, type NewsTopic } from './model.ts';
import { FEED_FORMATS, FEED_TYPES, feedPath, formatEventRange, PUBLIC_KINDS, type FeedFormat, type FeedScope } from './public-view.ts';

/**
 * The newsroom's syndication feeds: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1 of the
 * tenant's published public items, per language and optionally per topic and kind.
 *
 *   /feeds/{lang}/news.rss | news.atom | news.json   news, press releases and event notices
 *   /feeds/{lang}/press.rss | press.atom | press.json  press releases only
 *   ?topic=<slug>  ?kind=news|press_release|event
 *
 * Only what publicList returns is ever in a feed: published, public, written in the
 * language. Drafts, staff bulletins and releases still under embargo (state `scheduled`)
 * are not. Entry ids are urn:uuid of the item id: stable when a title or even the
 * permalink's language changes. Item bodies are sanitized HTML from the core, carried as
 * escaped text (content:encoded, type="html", content_html), never as raw markup.
 *
 * Caching: the ETag is the body's hash (it changes with anything shown: a publish, a
 * correction, a renamed topic), Last-Modified the newest item's change; a reader that
 * polls gets a bodiless 304 while nothing changed. Public and kept five minutes by shared
 * caches; the per-visitor CSRF cookie is dropped (a feed has no forms).
 */


/** How many items a feed carries: readers poll; the archive is on the site. */
export const FEED_ITEMS = 50;

const TEXT: Record<Lang, { news: string; press: string; newsDescription: string; pressDescription: string; event: string; location: string }> = {
  fi: {
    news: 'Uutiset',
    press: 'Tiedotteet',
    newsDescription: 'Ajankohtaiset uutiset, tiedotteet ja tapahtumat',
    pressDescription: 'Lehdistötiedotteet medialle',
    event: 'Aika',
    location: 'Paikka',
  },
  sv: {
    news: 'Nyheter',
    press: 'Pressmeddelanden',
    newsDescription: 'Aktuella nyheter, pressmeddelanden och evenemang',
    pressDescription: 'Pressmeddelanden för medierna',
    event: 'Tid',
    location: 'Plats',
  },
  en: {
    news: 'News',
    press: 'Press releases',
    newsDescription: 'Current news, press releases and events',
    pressDescription: 'Press releases for the media',
    event: 'Time',
    location: 'Location',
  },
};



export interface FeedInput {
  format: FeedFormat;
  scope: FeedScope;
  lang: Lang;
  fallback: Lang;
  origin: string;
  tenantNames: Localized;
  items: NewsItem[];
  topics: NewsTopic[];
  topic?: NewsTopic | null;
  kind?: NewsKind;
}

interface Prepared {
  title: string;
  description: string;
  home: string;
  self: string;
  updated: string | null;
  entries: {
    id: string;
    url: string;
    title: string;
    summary: string;
    html: string;
    published: string;
    updated: string;
    categories: { term: string; label: string }[];
    image: { url: string; type: string; size: number; alt: string } | null;
  }[];
}

/** The newest moment an item changed: published, or corrected after. */
export function itemUpdated(item: Pick<NewsItem, 'publishedAt' | 'updatedAt'>): string {
  const published = item.publishedAt ?? item.updatedAt;
  return item.updatedAt > published ? item.updatedAt : published;
}

function prepare(f: FeedInput): Prepared {
  const t = TEXT[f.lang];
  const tenant = pick(f.tenantNames, f.lang, [f.fallback]).text;
  const topicName = f.topic ? pick(f.topic.names, f.lang, [f.fallback]).text : '';
  const title = `${f.scope === 'press' ? t.press : t.news}${topicName ? `: ${topicName}` : ''} – ${tenant}`;
  const pageQuery = new URLSearchParams();
  if (f.topic) pageQuery.set('topic', f.topic.slug);
  const home = `${f.origin}/${f.lang}/${f.scope === 'press' ? 'press' : 'news'}${pageQuery.size ? `?${pageQuery}` : ''}`;
  const self = `${f.origin}${feedPath(f.lang, f.scope, f.format, { topic: f.topic?.slug, kind: f.kind })}`;
  const names = new Map(f.topics.map((x) => [x.slug, pick(x.names, f.lang, [f.fallback]).text]));
  const entries = f.items.map((item) => {
    const url = `${f.origin}${itemPath(f.lang, item)}`;
    let html = item.body[f.lang] ?? '';
    if (item.kind === 'event' && item.eventStartsAt) {
      // The event's facts lead the text, so a reader that shows only the content still has them.
      const when = formatEventRange(item.eventStartsAt, item.eventEndsAt, f.lang);
      const where = item.eventLocation[f.lang] ?? '';
      html = `<p>${htmlText(`${t.event}: ${when}`)}${where ? `<br>${htmlText(`${t.location}: ${where}`)}` : ''}</p>${html}`;
    }
    const img = item.images[0];
    return {
      id: `urn:uuid:${item.id}`,
      url,
      title: item.title[f.lang] ?? '',
      summary: item.lead[f.lang] ?? '',
      html,
      published: item.publishedAt ?? item.updatedAt,
      updated: itemUpdated(item),
      categories: item.topics.map((slug) => ({ term: slug, label: names.get(slug) ?? slug })),
      image: img ? { url: `${f.origin}${img.url}`, type: img.contentType, size: img.size, alt: pick(img.alt, f.lang, [f.fallback]).text } : null,
    };
  });
  const updated = entries.reduce<string | null>((m, e) => (!m || e.updated > m ? e.updated : m), null);
  return { title, description: `${f.scope === 'press' ? t.pressDescription : t.newsDescription} – ${tenant}`, home, self, updated, entries };
}

/** RFC 822 (RFC 1123 form) date of RSS 2.0. */
const rfc822 = (iso: string) => new Date(iso).toUTCString();
/** RFC 3339 date of Atom, in UTC. */
const rfc3339 = (iso: string) => new Date(iso).toISOString();

export function renderRss(f: FeedInput): string {
  const p = prepare(f);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    '<channel>',
    `<title>${xmlText(p.title)}</title>`,
    `<link>${xmlText(p.home)}</link>`,
    `<description>${xmlText(htmlText(p.description))}</description>`,
    `<language>${f.lang}</language>`,
    `<atom:link href="${xmlText(p.self)}" rel="self" type="${FEED_TYPES.rss}"/>`,
  ];
  if (p.updated) out.push(`<lastBuildDate>${rfc822(p.updated)}</lastBuildDate>`);
  for (const e of p.entries) {
    out.push(
      '<item>',
      // Readers disagree whether an RSS title is text or HTML: escaped for the HTML ones.
      `<title>${xmlText(htmlText(e.title))}</title>`,
      `<link>${xmlText(e.url)}</link>`,
      `<guid isPermaLink="false">${e.id}</guid>`,
      `<pubDate>${rfc822(e.published)}</pubDate>`,
      `<description>${xmlText(htmlText(e.summary))}</description>`,
      `<content:encoded>${xmlText(e.html)}</content:encoded>`,
      ...e.categories.map((c) => `<category domain="${xmlText(`${f.origin}/${f.lang}/news?topic=${encodeURIComponent(c.term)}`)}">${xmlText(c.label)}</category>`),
      ...(e.image ? [`<enclosure url="${xmlText(e.image.url)}" length="${e.image.size}" type="${xmlText(e.image.type)}"/>`] : []),
      '</item>',
    );
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

export function renderAtom(f: FeedInput): string {
  const p = prepare(f);
  const tenant = pick(f.tenantNames, f.lang, [f.fallback]).text;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${f.lang}">`,
    // The feed's own address is its permanent identity (RFC 4287 4.2.6 asks only for an IRI that never changes).
    `<id>${xmlText(p.self)}</id>`,
    `<title type="text">${xmlText(p.title)}</title>`,
    `<subtitle type="text">${xmlText(p.description)}</subtitle>`,
    `<updated>${rfc3339(p.updated ?? new Date(0).toISOString())}</updated>`,
    `<link rel="self" type="${FEED_TYPES.atom}" href="${xmlText(p.self)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(p.home)}"/>`,
    // Entries name no author of their own; the feed's covers them all (RFC 4287 4.1.1).
    `<author><name>${xmlText(tenant)}</name><uri>${xmlText(`${f.origin}/${f.lang}`)}</uri></author>`,
  ];
  for (const e of p.entries) {
    out.push(
      '<entry>',
      `<id>${e.id}</id>`,
      `<title type="text">${xmlText(e.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlText(e.url)}"/>`,
      `<published>${rfc3339(e.published)}</published>`,
      `<updated>${rfc3339(e.updated)}</updated>`,
      ...(e.summary ? [`<summary type="text">${xmlText(e.summary)}</summary>`] : []),
      `<content type="html">${xmlText(e.html)}</content>`,
      ...e.categories.map((c) => `<category term="${xmlText(c.term)}" label="${xmlText(c.label)}"/>`),
      ...(e.image ? [`<link rel="enclosure" type="${xmlText(e.image.type)}" length="${e.image.size}" href="${xmlText(e.image.url)}"/>`] : []),
      '</entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}

export function renderJsonFeed(f: FeedInput): string {
  const p = prepare(f);
  const tenant = pick(f.tenantNames, f.lang, [f.fallback]).text;
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: p.title,
    home_page_url: p.home,
    feed_url: p.self,
    description: p.description,
    language: f.lang,
    authors: [{ name: tenant, url: `${f.origin}/${f.lang}` }],
    items: p.entries.map((e) => ({
      id: e.id,
      url: e.url,
      title: e.title,
      content_html: e.html,
      ...(e.summary ? { summary: e.summary } : {}),
      date_published: rfc3339(e.published),
      date_modified: rfc3339(e.updated),
      ...(e.categories.length ? { tags: e.categories.map((c) => c.label) } : {}),
      ...(e.image
        ? { image: e.image.url, attachments: [{ url: e.image.url, mime_type: e.image.type, size_in_bytes: e.image.size, title: e.image.alt || undefined }] }
        : {}),
    })),
  };
  return `${JSON.stringify(feed, null, 1)}\n`;
}

const RENDER: Record<FeedFormat, (f: FeedInput) => string> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

/** The topic and kind filters of a feed request; unknown topic → 404, unknown kind → 400. */
export function feedFilter(scope: FeedScope, query: { topic?: unknown; kind?: unknown }, topics: NewsTopic[]): { topic: NewsTopic | null; kind?: NewsKind } {
  let topic: NewsTopic | null = null;
  if (query.topic !== undefined) {
    topic = typeof query.topic === 'string' ? (topics.find((t) => t.slug === query.topic) ?? null) : null;
    if (!topic) throw new AppError('not_found', 404, { fields: { topic: 'unknown_topic' } });
  }
  let kind: NewsKind | undefined;
  if (query.kind !== undefined) {
    const allowed = scope === 'press' ? ['press_release'] : PUBLIC_KINDS;
    if (typeof query.kind !== 'string' || !allowed.includes(query.kind as NewsKind)) throw new AppError('validation_failed', 400, { fields: { kind: 'invalid' } });
    kind = query.kind as NewsKind;
  }
  return { topic, kind };
}

/** An HTTP date is whole seconds: compare at that precision. */
function notModifiedSince(header: string | undefined, lastModified: string | null): boolean {
  if (!header || !lastModified) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && Math.floor(new Date(lastModified).getTime() / 1000) * 1000 <= since;
}

export function newsFeedRoutes(app: FastifyInstance, services: Services) {
  for (const scope of ['news', 'press'] as const) {
    for (const format of FEED_FORMATS) {
      app.get<{ Params: { lang: string }; Querystring: { topic?: string; kind?: string } }>(
        `/feeds/:lang/${scope}.${format}`,
        sharedFeedRoute,
        async (req, reply) => {
          const { tenant, origin } = req.aukio;
          const lang = req.params.lang;
          // A feed reader is a program: its errors come in the API's JSON shape, not as an HTML page.
          if (!isLang(lang) || !tenant.languages.includes(lang)) return sendError(reply, new AppError('not_found', 404), req.aukio.lang);
          const topics = await services.newsroom.topics(tenant.id);
          let filter: ReturnType<typeof feedFilter>;
          try {
            filter = feedFilter(scope, req.query ?? {}, topics);
          } catch (e) {
            if (e instanceof AppError) return sendError(reply, e, lang);
            throw e;
          }
          const { topic, kind } = filter;
          const kinds = kind ? [kind] : scope === 'press' ? (['press_release'] as NewsKind[]) : PUBLIC_KINDS;
          const { items } = await services.newsroom.publicList(tenant.id, { lang, kinds, topic: topic?.slug, limit: FEED_ITEMS });
          const body = RENDER[format]({ format, scope, lang, fallback: tenant.defaultLanguage, origin, tenantNames: tenant.names, items, topics, topic, kind });
          const etag = bodyEtag(body);
          const lastModified = items.reduce<string | null>((m, i) => (!m || itemUpdated(i) > m ? itemUpdated(i) : m), null);
          reply.header('cache-control', 'public, max-age=300');
          reply.header('etag', etag);
          reply.header('vary', 'accept-encoding');
          if (lastModified) reply.header('last-modified', new Date(lastModified).toUTCString());
          const inm = req.headers['if-none-match'];
          // If-None-Match wins when both come (RFC 9110 13.2.2).
          const fresh = inm ? inm.split(',').some((v) => v.trim().replace(/^W\//, '') === etag || v.trim() === '*') : notModifiedSince(req.headers['if-modified-since'], lastModified);
          if (fresh) return reply.code(304).send();
          return reply.type(`${FEED_TYPES[format]}; charset=utf-8`).send(body);
        },
      );
    }
  }
}
