import { data, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { feedPath, osmUrl, publicStatusName } from '../../modules/feedback/public-feed.ts';
import { catalogPageHeaders, narrowLanguages, VALID_UNTIL_HEADER } from '../catalog-cache.ts';
import { Breadcrumbs } from '../components/Catalog.tsx';
import { CaseTitle, DateFact, PlainText, RssAlternate, toFeedItem } from '../components/FeedbackFeed.tsx';
import { translator } from '../i18n/define.ts';
import { feedbackFeed } from '../i18n/feedback-feed.ts';
import { pageLang, runLoader, type LoaderArgs } from '../server-helpers.ts';

/**
 * One published case for everyone: what staff published of it (the moderated description
 * and answer), its status, where and when. Anything not published, or of a category that
 * does not allow publishing, is a plain 404 — indistinguishable from a case that never was.
 * The loader hands the page only these public fields, so nothing personal reaches the HTML
 * or the hydration data.
 */

// See the feed page: a publish bumps the content version, a status change shows within a minute.
const FRESH_MS = 60_000;
export const headers = catalogPageHeaders;

export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  // Only the canonical number form: /feedback/12, not ids or "012".
  if (!/^[1-9]\d{0,14}$/.test(params.number ?? '')) throw data({ code: 'not_found' }, { status: 404 });
  const c = await runLoader(() => context.services.feedback.publicCase(context.tenant.id, params.number!));
  const fallback = context.tenant.defaultLanguage;
  return data(
    {
      lang,
      fallback,
      item: narrowLanguages(toFeedItem(c), [lang, fallback]),
    },
    { headers: { [VALID_UNTIL_HEADER]: String(Date.now() + FRESH_MS) } },
  );
}

export default function FeedbackCasePage() {
  const { lang, fallback, item } = useLoaderData<typeof loader>();
  const t = translator(feedbackFeed, lang);
  const category = pick(item.categoryNames, lang, [fallback]).text;
  const hasPoint = item.lat !== null && item.lon !== null;
  return (
    <article className="public-feedback-case" aria-labelledby="case-title">
      <title>{`${t('number', { n: item.number })}: ${category}`}</title>
      <RssAlternate lang={lang} />
      <Breadcrumbs
        label={t('breadcrumbs')}
        items={[{ href: `/${lang}`, node: t('home') }, { href: feedPath(lang), node: t('title') }, { node: t('number', { n: item.number }) }]}
      />
      <h1 id="case-title">
        <CaseTitle item={item} lang={lang} fallback={fallback} />
      </h1>
      <dl className="facts feedback-facts">
        <div className="contents">
          <dt>{t('status')}</dt>
          <dd>
            <span className={`badge feedback-status-${item.status}`}>{publicStatusName(item.status, lang)}</span>
          </dd>
        </div>
        <DateFact label={t('sent')} iso={item.createdAt} lang={lang} />
        <DateFact label={t('published')} iso={item.publishedAt} lang={lang} />
        <DateFact label={t('updated')} iso={item.updatedAt} lang={lang} />
      </dl>

      <section aria-labelledby="case-description">
        <h2 id="case-description">{t('description')}</h2>
        <PlainText text={item.description} />
      </section>

      <section aria-labelledby="case-answer" className="feedback-answer">
        <h2 id="case-answer">{t('answer')}</h2>
        {item.answer?.trim() ? <PlainText text={item.answer} /> : <p>{t('noAnswer')}</p>}
      </section>

      {(item.address || hasPoint) && (
        <section aria-labelledby="case-location">
          <h2 id="case-location">{t('location')}</h2>
          {item.address && <p>{item.address}</p>}
          {hasPoint && (
            <p>
              <a href={osmUrl(item.lat!, item.lon!)} rel="external noopener noreferrer">
                {t('osm')}
              </a>{' '}
              <span className="hint">{t('osmNote')}</span>
            </p>
          )}
        </section>
      )}

      <p>
        <a href={feedPath(lang)}>{t('backToFeed')}</a>
      </p>
    </article>
  );
}
