import { createHash } from 'node:crypto';
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { isLang, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import type { Services } from '../../server/services.ts';
import type { PublicCase } from './model.ts';
import { casePath, feedPath, filterCategory, publicStatusName, rssPath, RSS_ITEMS } from './public-feed.ts';

/**
 * RSS 2.0 of published feedback and answers: GET /{lang}/feedback/rss.xml[?category=code].
 *
 * Every text in it is plain text that residents and staff wrote. RSS readers treat
 * <description> as HTML, so the text is HTML-escaped first and the result XML-escaped:
 * a "<script>" in a description reaches the reader's screen as the characters "<script>",
 * never as markup. No CDATA (a "]]>" in the text could end it); characters XML 1.0 forbids
 * are dropped so one odd character cannot make the whole feed unreadable.
 */

const TEXT: Record<Lang, { title: string; description: string; answer: string; status: string; address: string; number: string }> = {
  fi: {
    title: 'Palautteet ja vastaukset',
    description: 'Asukkaiden julkaistut palautteet ja niihin annetut vastaukset',
    answer: 'Vastaus',
    status: 'Tila',
    address: 'Sijainti',
    number: 'nro',
  },
  sv: {
    title: 'Respons och svar',
    description: 'Invånarnas publicerade respons och svaren på den',
    answer: 'Svar',
    status: 'Status',
    address: 'Plats',
    number: 'nr',
  },
  en: {
    title: 'Feedback and answers',
    description: 'Published feedback from residents and the answers given',
    answer: 'Answer',
    status: 'Status',
    address: 'Location',
    number: 'no.',
  },
};

// XML 1.0 Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and the astral planes (as
// surrogate pairs); anything else (control characters, lone surrogates, U+FFFE/F) is dropped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Plain text as HTML text (what <description> holds), before XML escaping. */
export function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The first words of a text for an item title, cut at a word boundary. */
export function excerpt(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  const cut = one.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface RssInput {
  lang: Lang;
  fallback: Lang;
  origin: string;
  tenantNames: Localized;
  items: PublicCase[];
  /** The filtered category's names, when the feed is one category's. */
  category?: { code: string; names: Localized } | null;
}

export function feedbackRss({ lang, fallback, origin, tenantNames, items, category }: RssInput): string {
  const t = TEXT[lang];
  const tenant = pick(tenantNames, lang, [fallback]).text;
  const categoryName = category ? pick(category.names, lang, [fallback]).text : '';
  const title = `${t.title}${categoryName ? `: ${categoryName}` : ''} – ${tenant}`;
  const query = category ? `?category=${encodeURIComponent(category.code)}` : '';
  const newest = items.reduce<string | null>((m, c) => (!m || c.publishedAt > m ? c.publishedAt : m), null);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    `<title>${xmlText(title)}</title>`,
    `<link>${xmlText(`${origin}${feedPath(lang)}${query}`)}</link>`,
    `<description>${xmlText(htmlText(`${t.description} – ${tenant}`))}</description>`,
    `<language>${lang}</language>`,
    `<atom:link href="${xmlText(`${origin}${rssPath(lang)}${query}`)}" rel="self" type="application/rss+xml"/>`,
  ];
  if (newest) out.push(`<lastBuildDate>${new Date(newest).toUTCString()}</lastBuildDate>`);
  for (const c of items) {
    const cat = pick(c.categoryNames, lang, [fallback]).text;
    const url = `${origin}${casePath(lang, c.number)}`;
    const status = publicStatusName(c.status, lang);
    const parts = [c.description.trim(), `${t.status}: ${status}`];
    if (c.answer?.trim()) parts.push(`${t.answer}: ${c.answer.trim()}`);
    if (c.address?.trim()) parts.push(`${t.address}: ${c.address.trim()}`);
    out.push(
      '<item>',
      // Readers disagree whether a title is text or HTML: angle brackets are escaped for the
      // HTML readers (a text reader shows "&lt;" only where the text had "<"; rare in moderated text).
      `<title>${xmlText(`${cat} (${t.number} ${c.number}): ${excerpt(c.description) || status}`.replace(/</g, '&lt;').replace(/>/g, '&gt;'))}</title>`,
      `<link>${xmlText(url)}</link>`,
      `<guid isPermaLink="true">${xmlText(url)}</guid>`,
      `<pubDate>${new Date(c.publishedAt).toUTCString()}</pubDate>`,
      `<category>${xmlText(cat)}</category>`,
      `<description>${xmlText(htmlText(parts.join('\n\n')))}</description>`,
      '</item>',
    );
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

/** Route options of a feed every reader gets alike: no per-visitor cookie on it. */
export const sharedFeedRoute: RouteShorthandOptions = {
  // Route-level onSend runs after the app's (the cookie writer's among them).
  onSend: (_req, reply, payload, done) => {
    reply.removeHeader('set-cookie');
    done(null, payload);
  },
};

/** A strong ETag from the body's hash: right whatever changed the body. */
export function bodyEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * The feed is the same for every reader, so it drops the per-visitor CSRF cookie (it has
 * no forms) and may be kept by shared caches for five minutes. The ETag is the body's hash:
 * right whatever changed (a publish, a status change, a renamed category), and a reader
 * that polls gets a bodiless 304 while nothing did.
 */
export function feedbackRssRoutes(app: FastifyInstance, services: Services) {
  app.get<{ Params: { lang: string }; Querystring: { category?: string } }>(
    '/:lang/feedback/rss.xml',
    sharedFeedRoute,
    async (req, reply) => {
      const { tenant, origin } = req.aukio;
      const lang = req.params.lang;
      if (!isLang(lang) || !tenant.languages.includes(lang)) throw new AppError('not_found', 404);
      const code = filterCategory(typeof req.query.category === 'string' ? req.query.category : undefined);
      let category: { code: string; names: Localized } | null = null;
      if (req.query.category !== undefined) {
        const found = code ? await services.feedbackCategories.byCode(tenant.id, code) : null;
        // An unknown or private category has no feed; an empty one would look like silence.
        if (!found || !found.allowPublic) throw new AppError('not_found', 404);
        category = { code: found.code, names: found.names };
      }
      const { items } = await services.feedback.publicFeed(tenant.id, { page: 1, limit: RSS_ITEMS, categoryCode: category?.code });
      const body = feedbackRss({ lang, fallback: tenant.defaultLanguage, origin, tenantNames: tenant.names, items, category });
      const etag = bodyEtag(body);
      reply.header('cache-control', 'public, max-age=300');
      reply.header('etag', etag);
      const inm = req.headers['if-none-match'];
      if (inm && inm.split(',').some((v) => v.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
      return reply.type('application/rss+xml; charset=utf-8').send(body);
    },
  );
}
