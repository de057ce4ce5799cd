import { useLoaderData } from 'react-router';
import { NEWS_PAGE_SIZE, pageParam, PUBLIC_KINDS, toCard } from '../../modules/newsroom/public-view.ts';
import type { Lang } from '../../platform/i18n.ts';
import { catalogPageHeaders } from '../catalog-cache.ts';
import { Breadcrumbs } from '../components/Catalog.tsx';
import { FeedAlternates, FeedLinks, hrefWith, NewsCards, NewsPager, Picked, TopicSelect } from '../components/NewsParts.tsx';
import { translator } from '../i18n/define.ts';
import { newsPublic } from '../i18n/news-public.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { pick } from '../../platform/i18n.ts';

/**
 * The site's news: published public items in the page's language, newest first, by topic
 * (a GET form and links) and page. Anonymous renders are kept by the microcache keyed on
 * the content version, which every publish and archive bumps.
 */
export const headers = catalogPageHeaders;

function newsHref(lang: Lang, q: { topic?: string; page?: number }) {
  return hrefWith(`/${lang}/news`, { topic: q.topic, page: q.page && q.page > 1 ? q.page : undefined });
}

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const url = new URL(request.url);
  const fallback = context.tenant.defaultLanguage;
  const news = context.services.newsroom;
  const topics = await news.topics(context.tenant.id);
  // Only a topic the filter offers: a stale or typed-in slug shows everything rather than a puzzle.
  const wanted = url.searchParams.get('topic') ?? '';
  const topic = topics.some((t) => t.slug === wanted) ? wanted : undefined;
  const page = pageParam(url.searchParams.get('page'));
  const filter = { lang, kinds: PUBLIC_KINDS, topic };
  const list = await news.publicList(context.tenant.id, { ...filter, limit: NEWS_PAGE_SIZE, offset: (page - 1) * NEWS_PAGE_SIZE });
  // Past the last page the window count is empty: count again from the start for "page n of m".
  if (!list.items.length && page > 1) list.total = (await news.publicList(context.tenant.id, { ...filter, limit: 1 })).total;
  return {
    lang,
    topic,
    page,
    total: list.total,
    pages: Math.max(1, Math.ceil(list.total / NEWS_PAGE_SIZE)),
    topics: topics.map((t) => ({ slug: t.slug, name: pick(t.names, lang, [fallback]) })),
    items: list.items.map((i) => toCard(i, lang, lang, fallback, topics)),
  };
}

export default function NewsListPage() {
  const d = useLoaderData<typeof loader>();
  const { lang } = d;
  const t = translator(newsPublic, lang);
  const selected = d.topics.find((x) => x.slug === d.topic);
  const title = selected ? `${t('newsTitle')}: ${selected.name.text}` : t('newsTitle');
  return (
    <div className="news-page">
      <title>{d.page > 1 ? `${title} – ${t('pageOf', { n: d.page, total: d.pages })}` : title}</title>
      <FeedAlternates lang={lang} scope="news" topic={d.topic} />
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { node: t('newsTitle') }]} />
      <h1>
        {t('newsTitle')}
        {selected && (
          <>
            : <Picked value={selected.name} lang={lang} />
          </>
        )}
      </h1>
      <p className="lead">{t('newsIntro')}</p>

      <form method="get" action={`/${lang}/news`} className="toolbar news-filter" aria-label={t('filterLabel')}>
        <TopicSelect id="news-topic" lang={lang} topics={d.topics} value={d.topic ?? ''} />
        <button type="submit">{t('show')}</button>
      </form>

      <p className="news-count">
        {d.total === 1 ? t('countOne') : t('count', { n: d.total })}
      </p>
      {d.items.length > 0 ? (
        <NewsCards items={d.items} lang={lang} headingLevel="h2" topicHref={(slug) => newsHref(lang, { topic: slug })} />
      ) : d.total > 0 ? (
        <p>
          {t('pageEmpty')} <a href={newsHref(lang, { topic: d.topic })}>{t('firstPage')}</a>
        </p>
      ) : (
        <p>{d.topic ? t('noneInTopic') : t('none')}</p>
      )}
      <NewsPager lang={lang} page={d.page} pages={d.pages} href={(n) => newsHref(lang, { topic: d.topic, page: n })} />

      <aside className="news-aside" aria-labelledby="news-more-title">
        <h2 id="news-more-title">{t('feedsTitle')}</h2>
        <p>{t('feedsIntro')}</p>
        <FeedLinks lang={lang} scope="news" topic={d.topic} />
        <p>
          <a href={`/${lang}/press`}>{t('pressRoomLink')}</a>
        </p>
      </aside>
    </div>
  );
}
