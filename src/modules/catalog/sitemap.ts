import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { isLang, LANGUAGES, type Lang } from '../../platform/i18n.ts';
import type { Services } from '../../server/services.ts';
import type { Tenant } from '../tenancy/tenants.ts';
import type { SitemapEntries } from './read.ts';
import { residentPath } from './search-documents.ts';

/**
 * Sitemaps per tenant (the Host decides the tenant, like every request):
 *   GET /sitemap.xml         a sitemap index pointing at one sitemap per language
 *   GET /sitemap-{lang}.xml  every public URL in that language (front page, topics, services,
 *                            units, content pages), each with xhtml:link hreflang alternates
 *   GET /robots.txt          allows everything but the console and the API, names the index
 * Absolute URLs use the origin the crawler asked on (tenants have several host names).
 * Plain Fastify routes: no React rendering for XML. Crawlers may keep an answer for ten minutes.
 */
export function sitemapRoutes(app: FastifyInstance, services: Services) {
  app.get('/sitemap.xml', async (req, reply) => {
    const { tenant, origin } = req.aukio;
    const entries = await services.catalogReader.sitemap(tenant.id);
    const lastmod = latest(entries);
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n` +
      langs(tenant)
        .map((l) => `  <sitemap><loc>${esc(`${origin}/sitemap-${l}.xml`)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</sitemap>\n`)
        .join('') +
      `</sitemapindex>\n`;
    return xml(reply, body);
  });

  app.get<{ Params: { lang: string } }>('/sitemap-:lang.xml', async (req, reply) => {
    const { tenant, origin } = req.aukio;
    const lang = req.params.lang;
    if (!isLang(lang) || !tenant.languages.includes(lang)) throw new AppError('not_found', 404);
    const entries = await services.catalogReader.sitemap(tenant.id);
    return xml(reply, urlset(tenant, origin, lang, entries));
  });

  app.get('/robots.txt', async (req: FastifyRequest, reply) => {
    const { tenant, origin } = req.aukio;
    const lines = ['User-agent: *', 'Disallow: /api/', ...langs(tenant).flatMap((l) => [`Disallow: /${l}/staff`, `Disallow: /${l}/my`, `Disallow: /${l}/sign-in`]), '', `Sitemap: ${origin}/sitemap.xml`, ''];
    // private: the response may set the visitor's CSRF cookie, which no shared cache may hand on.
    reply.header('cache-control', 'private, max-age=600');
    return reply.type('text/plain; charset=utf-8').send(lines.join('\n'));
  });
}

function langs(tenant: Tenant): Lang[] {
  return LANGUAGES.filter((l) => tenant.languages.includes(l));
}

/** One language's URLs; each lists its versions in all of the tenant's languages. */
export function urlset(tenant: Tenant, origin: string, lang: Lang, e: SitemapEntries): string {
  const paths: { path: string; lastmod?: string }[] = [
    { path: '' },
    { path: '/topics' },
    // The public feedback page (published feedback and answers; src/web/routes/$lang._portal.feedback._index.tsx).
    { path: '/feedback' },
    ...e.topics.map((code) => ({ path: `/topics/${encodeURIComponent(code)}` })),
    ...e.services.map((s) => ({ path: residentPath.service(s.id), lastmod: s.updatedAt })),
    ...e.units.map((u) => ({ path: residentPath.unit(u.id), lastmod: u.updatedAt })),
    ...e.pages.map((p) => ({ path: residentPath.page(p.slug), lastmod: p.updatedAt })),
  ];
  const alternates = (path: string) =>
    [...langs(tenant).map((l) => [l, l] as const), ['x-default', tenant.defaultLanguage] as const]
      .map(([hreflang, l]) => `    <xhtml:link rel="alternate" hreflang="${hreflang}" href="${esc(`${origin}/${l}${path}`)}"/>\n`)
      .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n` +
    paths
      .map(
        (p) =>
          `  <url>\n    <loc>${esc(`${origin}/${lang}${p.path}`)}</loc>\n${p.lastmod ? `    <lastmod>${p.lastmod.slice(0, 10)}</lastmod>\n` : ''}${alternates(p.path)}  </url>\n`,
      )
      .join('') +
    `</urlset>\n`
  );
}

function latest(e: SitemapEntries): string | null {
  const all = [...e.services, ...e.units, ...e.pages].map((x) => x.updatedAt).sort();
  return all.length ? all[all.length - 1].slice(0, 10) : null;
}

function esc(s: string) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function xml(reply: FastifyReply, body: string) {
  // private: the response may set the visitor's CSRF cookie, which no shared cache may hand on.
    reply.header('cache-control', 'private, max-age=600');
  return reply.type('application/xml; charset=utf-8').send(body);
}
