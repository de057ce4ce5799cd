import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import type { PublicCase } from '../../modules/feedback/model.ts';
import { casePath, feedPath, formatPublicDate, osmUrl, publicStatusName, rssPath } from '../../modules/feedback/public-feed.ts';
import { translator } from '../i18n/define.ts';
import { feedbackFeed } from '../i18n/feedback-feed.ts';

/** Pieces of the public feedback pages: the feed list (used by both views), the pager, the view switch. */

export type FeedView = 'list' | 'map';

/** What a page shows of a published case: the moderated texts only, never contact details. */
export type FeedItem = Pick<
  PublicCase,
  'number' | 'categoryNames' | 'status' | 'description' | 'answer' | 'address' | 'lat' | 'lon' | 'createdAt' | 'updatedAt' | 'publishedAt'
>;

/**
 * Copies only the public fields, by name: the loaders hand pages exactly these, so nothing
 * else of a case (its id, anything added to PublicCase later) reaches the HTML or hydration data.
 */
export function toFeedItem(c: PublicCase): FeedItem {
  return {
    number: c.number,
    categoryNames: c.categoryNames,
    status: c.status,
    description: c.description,
    answer: c.answer,
    address: c.address,
    lat: c.lat,
    lon: c.lon,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    publishedAt: c.publishedAt,
  };
}

export interface FeedQuery {
  view: FeedView;
  category?: string;
  page: number;
}

/** The feed URL with only the non-default parts in the query, so links stay short and shareable. */
export function feedHref(lang: Lang, q: FeedQuery): string {
  const p = new URLSearchParams();
  if (q.category) p.set('category', q.category);
  if (q.view === 'map') p.set('view', 'map');
  if (q.page > 1) p.set('page', String(q.page));
  const s = p.toString();
  return `${feedPath(lang)}${s ? `?${s}` : ''}`;
}

/** The RSS feed announced in <head> (React hoists the <link>), for feed readers and browsers. */
export function RssAlternate({ lang, category }: { lang: Lang; category?: string }) {
  const t = translator(feedbackFeed, lang);
  const href = `${rssPath(lang)}${category ? `?category=${encodeURIComponent(category)}` : ''}`;
  return <link rel="alternate" type="application/rss+xml" title={t('rssTitle')} href={href} />;
}

/**
 * Plain text as written (moderated by staff): paragraphs at blank lines, single line breaks
 * kept by CSS. React escapes it; nothing is ever interpreted as markup.
 */
export function PlainText({ text, className }: { text: string; className?: string }) {
  const paras = text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <div className={`plain-text${className ? ` ${className}` : ''}`}>
      {paras.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

export function CategoryName({ names, lang, fallback }: { names: Localized; lang: Lang; fallback: Lang }) {
  const n = pick(names, lang, [fallback]);
  return <span lang={n.lang !== lang ? n.lang : undefined}>{n.text}</span>;
}

export function PublicDate({ iso, lang }: { iso: string; lang: Lang }) {
  return <time dateTime={iso}>{formatPublicDate(iso, lang)}</time>;
}

/** One dated row of a case's facts list (sent, published, updated). */
export function DateFact({ label, iso, lang }: { label: string; iso: string; lang: Lang }) {
  return (
    <div className="contents">
      <dt>{label}</dt>
      <dd>
        <PublicDate iso={iso} lang={lang} />
      </dd>
    </div>
  );
}

/** A case's heading text: its category and number (the list item's link and the case page's h1). */
export function CaseTitle({ item, lang, fallback }: { item: Pick<FeedItem, 'number' | 'categoryNames'>; lang: Lang; fallback: Lang }) {
  const t = translator(feedbackFeed, lang);
  return (
    <>
      <CategoryName names={item.categoryNames} lang={lang} fallback={fallback} />
      <span className="feedback-number"> – {t('number', { n: item.number })}</span>
    </>
  );
}

/** One published case in the list: links to its own page, whose heading says the same. */
export function FeedItemCard({ item, lang, fallback, showNoLocation }: { item: FeedItem; lang: Lang; fallback: Lang; showNoLocation: boolean }) {
  const t = translator(feedbackFeed, lang);
  const id = `case-${item.number}`;
  const hasPoint = item.lat !== null && item.lon !== null;
  return (
    <li className="feedback-item" id={id}>
      <article aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>
          <a href={casePath(lang, item.number)}>
            <CaseTitle item={item} lang={lang} fallback={fallback} />
          </a>
        </h3>
        <p className="feedback-status">
          <span className={`badge feedback-status-${item.status}`}>
            {t('status')}: {publicStatusName(item.status, lang)}
          </span>
        </p>
        {showNoLocation && !hasPoint && <p className="feedback-no-point">{t('noLocation')}</p>}
        <PlainText text={item.description} />
        {item.answer?.trim() && (
          <div className="feedback-answer">
            <h4>{t('answer')}</h4>
            <PlainText text={item.answer} />
          </div>
        )}
        <dl className="facts feedback-facts">
          {item.address && (
            <div className="contents">
              <dt>{t('location')}</dt>
              <dd>{item.address}</dd>
            </div>
          )}
          <DateFact label={t('sent')} iso={item.createdAt} lang={lang} />
          <DateFact label={t('published')} iso={item.publishedAt} lang={lang} />
        </dl>
      </article>
    </li>
  );
}

/** List | Map: two links to the two URLs of the page, the current one marked for assistive tech. */
export function ViewSwitch({ lang, query }: { lang: Lang; query: FeedQuery }) {
  const t = translator(feedbackFeed, lang);
  return (
    <nav aria-label={t('view')} className="view-switch">
      <ul>
        {(['list', 'map'] as const).map((v) => (
          <li key={v}>
            <a href={feedHref(lang, { ...query, view: v })} aria-current={query.view === v ? 'page' : undefined}>
              {v === 'list' ? t('listView') : t('mapView')}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Previous, a window of page numbers around the current one (with the first and last), next. */
export function Pager({ lang, query, total }: { lang: Lang; query: FeedQuery; total: number }) {
  const t = translator(feedbackFeed, lang);
  if (total <= 1) return null;
  const nums = new Set<number>([1, total]);
  for (let n = query.page - 2; n <= query.page + 2; n++) if (n >= 1 && n <= total) nums.add(n);
  const list = [...nums].sort((a, b) => a - b);
  return (
    <nav aria-label={t('pages')} className="feedback-pager">
      <p>{t('pageOf', { n: Math.min(query.page, total), total })}</p>
      <ul>
        {query.page > 1 && (
          <li>
            <a href={feedHref(lang, { ...query, page: Math.min(query.page - 1, total) })} rel="prev">
              {t('previous')}
            </a>
          </li>
        )}
        {list.map((n, i) => (
          <li key={n}>
            {i > 0 && list[i - 1] !== n - 1 && (
              <span className="gap" aria-hidden="true">
                …{' '}
              </span>
            )}
            <a href={feedHref(lang, { ...query, page: n })} aria-label={t('page', { n })} aria-current={n === query.page ? 'page' : undefined}>
              {n}
            </a>
          </li>
        ))}
        {query.page < total && (
          <li>
            <a href={feedHref(lang, { ...query, page: query.page + 1 })} rel="next">
              {t('next')}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

export { osmUrl };
