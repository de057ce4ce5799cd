import { data, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { FEED_PAGE_SIZE, feedPath, filterCategory, filterPage } from '../../modules/feedback/public-feed.ts';
import { catalogPageHeaders, narrowLanguages, VALID_UNTIL_HEADER } from '../catalog-cache.ts';
import { Breadcrumbs } from '../components/Catalog.tsx';
import { FeedItemCard, feedHref, Pager, RssAlternate, ViewSwitch, toFeedItem, type FeedItem, type FeedQuery } from '../components/FeedbackFeed.tsx';
import { FeedMap, mapSettings } from '../components/FeedbackFeedMap.tsx';
import { translator } from '../i18n/define.ts';
import { feedbackFeed } from '../i18n/feedback-feed.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

/**
 * The public feedback page: a way to give feedback, then what staff have published (the
 * moderated description and answer), newest first, by category and page. Two views of the
 * same page of items: a list, and a map that always keeps that same list under it (a map is
 * never the only way). Everything is links and a GET form, so it works without JavaScript.
 */

/**
 * Anonymous renders may be kept (src/server/microcache.ts): publishing bumps the tenant's
 * content version, which drops them at once. A status change of an already published case
 * need not bump it, so a render is also never used for more than a minute.
 */
const FRESH_MS = 60_000;
export const headers = catalogPageHeaders;

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const url = new URL(request.url);
  const tenantId = context.tenant.id;
  const view: FeedQuery['view'] = url.searchParams.get('view') === 'map' ? 'map' : 'list';
  const page = filterPage(url.searchParams.get('page'));
  const categories = (await context.services.feedbackCategories.listActive(tenantId))
    .filter((c) => c.allowPublic)
    .map((c) => ({ code: c.code, names: c.names }));
  // Only a category the filter offers: a stale or typed-in code shows everything rather than a puzzle.
  const wanted = filterCategory(url.searchParams.get('category'));
  const category = categories.some((c) => c.code === wanted) ? wanted : undefined;
  const feed = await context.services.feedback.publicFeed(tenantId, { page, limit: FEED_PAGE_SIZE, categoryCode: category });
  const items: FeedItem[] = feed.items.map(toFeedItem);
  const fallback = context.tenant.defaultLanguage;
  return data(
    {
      lang,
      fallback,
      query: { view, category, page } satisfies FeedQuery,
      categories: narrowLanguages(categories, [lang, fallback]),
      items: narrowLanguages(items, [lang, fallback]),
      total: feed.total,
      pages: Math.max(1, Math.ceil(feed.total / FEED_PAGE_SIZE)),
      map: view === 'map' ? mapSettings(context.services.config) : null,
    },
    { headers: { [VALID_UNTIL_HEADER]: String(Date.now() + FRESH_MS) } },
  );
}

export default function FeedbackFeedPage() {
  const { lang, fallback, query, categories, items, total, pages, map } = useLoaderData<typeof loader>();
  const t = translator(feedbackFeed, lang);
  const selected = categories.find((c) => c.code === query.category);
  const selectedName = selected ? pick(selected.names, lang, [fallback]).text : '';
  const countText = selected
    ? total === 1
      ? t('countFilteredOne', { category: selectedName })
      : t('countFiltered', { n: total, category: selectedName })
    : total === 1
      ? t('countOne')
      : t('count', { n: total });
  return (
    <div className="feedback-feed">
      <title>{query.page > 1 ? `${t('title')} – ${t('page', { n: query.page })}` : t('title')}</title>
      <RssAlternate lang={lang} category={query.category} />
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { node: t('title') }]} />
      <h1>{t('title')}</h1>
      <p className="lead">{t('intro')}</p>
      <p>
        <a className="button button-large" href={`${feedPath(lang)}/new`}>
          {t('give')}
        </a>
      </p>

      <section aria-labelledby="published-title" className="feedback-published">
        <h2 id="published-title">{t('publishedTitle')}</h2>
        <p>{t('publishedNote')}</p>

        <form method="get" action={feedPath(lang)} className="toolbar feedback-filter" aria-label={t('filter')}>
          {query.view === 'map' && <input type="hidden" name="view" value="map" />}
          <div className="field">
            <label htmlFor="feedback-category">{t('category')}</label>
            <select id="feedback-category" name="category" defaultValue={query.category ?? ''}>
              <option value="">{t('allCategories')}</option>
              {categories.map((c) => {
                const n = pick(c.names, lang, [fallback]);
                return (
                  <option key={c.code} value={c.code} lang={n.lang !== lang ? n.lang : undefined}>
                    {n.text}
                  </option>
                );
              })}
            </select>
          </div>
          <button type="submit">{t('show')}</button>
        </form>

        <ViewSwitch lang={lang} query={query} />

        <p className="feedback-count">{countText}</p>

        {query.view === 'map' && items.length > 0 && <FeedMap items={items} lang={lang} fallback={fallback} settings={map} />}

        {items.length > 0 ? (
          <ol className="feedback-list plain" aria-labelledby="published-title">
            {items.map((it) => (
              <FeedItemCard key={it.number} item={it} lang={lang} fallback={fallback} showNoLocation={query.view === 'map'} />
            ))}
          </ol>
        ) : total > 0 ? (
          <p>
            {t('pageEmpty')} <a href={feedHref(lang, { ...query, page: 1 })}>{t('firstPage')}</a>
          </p>
        ) : (
          <p>{selected ? t('noneInCategory') : t('none')}</p>
        )}

        <Pager lang={lang} query={query} total={pages} />
      </section>

      <p className="feedback-rss">
        <a href={`${feedPath(lang)}/rss.xml${query.category ? `?category=${encodeURIComponent(query.category)}` : ''}`} type="application/rss+xml">
          {t('rss')}
        </a>
      </p>
    </div>
  );
}
