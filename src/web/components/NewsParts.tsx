import type { Lang } from '../../platform/i18n.ts';
import { formatPublicDate } from '../../modules/feedback/public-feed.ts';
import { feedPath, FEED_TYPES, type FeedScope, type NewsCard, type PickedText } from '../../modules/newsroom/public-view.ts';
import { translator } from '../i18n/define.ts';
import { newsPublic, type NewsPublicKey } from '../i18n/news-public.ts';

/** Pieces of the public news pages: item cards, the pager, feed links, dates. */

/** A page URL with only the given, non-empty parameters: links stay short and shareable. */
export function hrefWith(path: string, params: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const q = p.toString();
  return `${path}${q ? `?${q}` : ''}`;
}

/** Text in another language than the page gets its own lang attribute. */
export function Picked({ value, lang }: { value: PickedText; lang: Lang }) {
  return <span lang={value.lang !== lang ? value.lang : undefined}>{value.text}</span>;
}

export function NewsDate({ iso, lang }: { iso: string; lang: Lang }) {
  return <time dateTime={iso}>{formatPublicDate(iso, lang)}</time>;
}

export function kindLabel(kind: string): NewsPublicKey {
  return kind === 'press_release' ? 'kind_press_release' : kind === 'event' ? 'kind_event' : 'kind_news';
}

/** A list of items: title link, kind and date, lead, topics, the first image's thumbnail. */
export function NewsCards({ items, lang, headingLevel = 'h3', labelledBy, topicHref }: { items: NewsCard[]; lang: Lang; headingLevel?: 'h2' | 'h3'; labelledBy?: string; topicHref?: (slug: string) => string }) {
  const t = translator(newsPublic, lang);
  const H = headingLevel;
  return (
    <ol className="news-cards plain" aria-labelledby={labelledBy}>
      {items.map((item) => (
        <li key={item.id} className={item.image ? 'news-card news-card-image' : 'news-card'}>
          <article aria-labelledby={`news-${item.id}`}>
            <H id={`news-${item.id}`} className="news-card-title">
              <a href={item.path} lang={item.lang !== lang ? item.lang : undefined}>
                {item.title}
              </a>
            </H>
            <p className="news-meta">
              <span className={`badge news-kind news-kind-${item.kind}`}>{t(kindLabel(item.kind))}</span> <NewsDate iso={item.publishedAt} lang={lang} />
            </p>
            {item.image && <img className="news-thumb" src={item.image.url} alt={item.image.alt.text} lang={item.image.alt.lang !== lang ? item.image.alt.lang : undefined} loading="lazy" width={240} height={150} />}
            {item.lead && (
              <p className="news-lead" lang={item.lang !== lang ? item.lang : undefined}>
                {item.lead}
              </p>
            )}
            {item.topics.length > 0 && (
              <p className="news-topics">
                <span className="visually-hidden">{t('topics')}: </span>
                {item.topics.map((tp, i) => (
                  <span key={tp.slug}>
                    {i > 0 && ', '}
                    {topicHref ? (
                      <a href={topicHref(tp.slug)}>
                        <Picked value={tp.name} lang={lang} />
                      </a>
                    ) : (
                      <Picked value={tp.name} lang={lang} />
                    )}
                  </span>
                ))}
              </p>
            )}
          </article>
        </li>
      ))}
    </ol>
  );
}

/** The topic choice of a GET filter form ("all topics" first). */
export function TopicSelect({ id, lang, topics, value }: { id: string; lang: Lang; topics: { slug: string; name: PickedText }[]; value: string }) {
  const t = translator(newsPublic, lang);
  return (
    <div className="field">
      <label htmlFor={id}>{t('topic')}</label>
      <select id={id} name="topic" defaultValue={value}>
        <option value="">{t('allTopics')}</option>
        {topics.map((tp) => (
          <option key={tp.slug} value={tp.slug} lang={tp.name.lang !== lang ? tp.name.lang : undefined}>
            {tp.name.text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Previous / "page n of m" / next: links, so it works without JavaScript. */
export function NewsPager({ lang, page, pages, href }: { lang: Lang; page: number; pages: number; href: (page: number) => string }) {
  const t = translator(newsPublic, lang);
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('pages')} className="news-pager">
      <ul>
        {page > 1 && (
          <li>
            <a href={href(Math.min(page - 1, pages))} rel="prev">
              {t('previous')}
            </a>
          </li>
        )}
        <li aria-current="page">{t('pageOf', { n: Math.min(page, pages), total: pages })}</li>
        {page < pages && (
          <li>
            <a href={href(page + 1)} rel="next">
              {t('next')}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** The feeds announced in <head> (React hoists the <link>s) for readers and browsers. */
export function FeedAlternates({ lang, scope, topic }: { lang: Lang; scope: FeedScope; topic?: string }) {
  const t = translator(newsPublic, lang);
  const title = t(scope === 'press' ? 'pressFeedTitle' : 'newsFeedTitle');
  return (
    <>
      <link rel="alternate" type={FEED_TYPES.rss} title={title} href={feedPath(lang, scope, 'rss', { topic })} />
      <link rel="alternate" type={FEED_TYPES.atom} title={title.replace('RSS', 'Atom')} href={feedPath(lang, scope, 'atom', { topic })} />
      <link rel="alternate" type={FEED_TYPES.json} title={title.replace('RSS', 'JSON Feed')} href={feedPath(lang, scope, 'json', { topic })} />
    </>
  );
}

/** Visible links to the three formats of a feed. */
export function FeedLinks({ lang, scope, topic, labelledBy }: { lang: Lang; scope: FeedScope; topic?: string; labelledBy?: string }) {
  const t = translator(newsPublic, lang);
  return (
    <ul className="news-feed-links" aria-labelledby={labelledBy}>
      <li>
        <a href={feedPath(lang, scope, 'rss', { topic })} type={FEED_TYPES.rss}>
          {t('feedRss')}
        </a>
      </li>
      <li>
        <a href={feedPath(lang, scope, 'atom', { topic })} type={FEED_TYPES.atom}>
          {t('feedAtom')}
        </a>
      </li>
      <li>
        <a href={feedPath(lang, scope, 'json', { topic })} type={FEED_TYPES.json}>
          {t('feedJson')}
        </a>
      </li>
    </ul>
  );
}
