import { useLoaderData } from 'react-router';
import { newsJsonLd } from '../../modules/newsroom/json-ld.ts';
import { formatBytes, formatEventRange, type PublicImage } from '../../modules/newsroom/public-view.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { newsItemLoader } from '../news.server.ts';
import { translator } from '../i18n/define.ts';
import { LANGUAGE_ENDONYMS, newsPublic } from '../i18n/news-public.ts';
import { useRoot } from '../root.tsx';
import { Breadcrumbs, JsonLd } from './Catalog.tsx';
import { FeedAlternates, kindLabel, NewsDate, Picked } from './NewsParts.tsx';

/**
 * One public item: news, event notice or press release (the same page under /news and
 * /press). The body is the core's sanitized HTML, shown as it is.
 */
export function NewsItemView() {
  const { lang, fallback, page } = useLoaderData<typeof newsItemLoader>();
  const { origin, tenant } = useRoot();
  const t = translator(newsPublic, lang);
  const press = page.kind === 'press_release';
  const section = press ? { href: `/${lang}/press`, label: t('pressTitle') } : { href: `/${lang}/news`, label: t('newsTitle') };
  const otherLanguages = page.languages.filter((l) => l !== lang && tenant.languages.includes(l));
  return (
    <article className="news-item" aria-labelledby="news-item-title">
      <title>{page.title}</title>
      <FeedAlternates lang={lang} scope={press ? 'press' : 'news'} />
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { href: section.href, node: section.label }, { node: page.title }]} />
      <h1 id="news-item-title">{page.title}</h1>
      <p className="news-meta">
        <span className={`badge news-kind news-kind-${page.kind}`}>{t(kindLabel(page.kind))}</span> {t('published')} <NewsDate iso={page.publishedAt} lang={lang} />
      </p>
      {page.lead && <p className="lead">{page.lead}</p>}

      {page.kind === 'event' && page.eventStartsAt && (
        <dl className="facts news-event-facts">
          <div className="contents">
            <dt>{t('eventTime')}</dt>
            <dd>
              <time dateTime={page.eventStartsAt}>{formatEventRange(page.eventStartsAt, page.eventEndsAt, lang)}</time>
            </dd>
          </div>
          {page.eventLocation && (
            <div className="contents">
              <dt>{t('eventLocation')}</dt>
              <dd>{page.eventLocation}</dd>
            </div>
          )}
        </dl>
      )}

      {page.images[0] && <NewsFigure image={page.images[0]} lang={lang} />}

      {/* Sanitized by the newsroom core when saved (sanitizeRichText): an allow-list of tags and attributes. */}
      {page.body && <div className="news-body rich-text" dangerouslySetInnerHTML={{ __html: page.body }} />}

      {page.images.length > 1 && (
        <section aria-labelledby="news-images-title" className="news-images">
          <h2 id="news-images-title">{t('images')}</h2>
          {page.images.slice(1).map((img) => (
            <NewsFigure key={img.id} image={img} lang={lang} />
          ))}
        </section>
      )}

      {page.attachments.length > 0 && (
        <section aria-labelledby="news-attachments-title">
          <h2 id="news-attachments-title">{t('attachments')}</h2>
          <ul>
            {page.attachments.map((a) => (
              <li key={a.id}>
                <a href={`${a.url}?download=1`} download={a.filename}>
                  {a.caption.text || a.filename}
                </a>{' '}
                <span className="hint">({t('fileInfo', { type: shortType(a.contentType), size: formatBytes(a.size, lang) })})</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {page.topics.length > 0 && (
        <p className="news-topics">
          {t('topics')}:{' '}
          {page.topics.map((tp, i) => (
            <span key={tp.slug}>
              {i > 0 && ', '}
              <a href={`/${lang}/news?topic=${encodeURIComponent(tp.slug)}`}>
                <Picked value={tp.name} lang={lang} />
              </a>
            </span>
          ))}
        </p>
      )}

      {page.services.length > 0 && (
        <section aria-labelledby="news-services-title" className="news-services">
          <h2 id="news-services-title">{t('relatedServices')}</h2>
          <ul>
            {page.services.map((s) => (
              <li key={s.id}>
                <a href={`/${lang}/services/${s.id}`}>
                  <Picked value={s.name} lang={lang} />
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      {otherLanguages.length > 0 && (
        <p className="news-languages">
          {t('otherLanguages')}{' '}
          {otherLanguages.map((l, i) => (
            <span key={l}>
              {i > 0 && ', '}
              <a href={`/${l}/${press ? 'press' : 'news'}/${page.slug}`} hrefLang={l} lang={l}>
                {LANGUAGE_ENDONYMS[l]}
              </a>
            </span>
          ))}
        </p>
      )}

      <p>
        <a href={section.href}>{press ? t('backToPress') : t('backToNews')}</a>
      </p>
      <JsonLd data={newsJsonLd(page, { lang, fallback, origin, tenantName: tenant.names })} />
    </article>
  );
}

function NewsFigure({ image, lang }: { image: Pick<PublicImage, 'url' | 'alt' | 'caption' | 'credit'>; lang: Lang }) {
  const t = translator(newsPublic, lang);
  const hasCaption = image.caption.text || image.credit;
  return (
    <figure className="news-figure">
      <img src={image.url} alt={image.alt.text} lang={image.alt.lang !== lang ? image.alt.lang : undefined} />
      {hasCaption && (
        <figcaption>
          {image.caption.text && <span lang={image.caption.lang !== lang ? image.caption.lang : undefined}>{image.caption.text}</span>}
          {image.credit && <span className="news-credit"> {t('photoCredit', { credit: image.credit })}</span>}
        </figcaption>
      )}
    </figure>
  );
}

/** "PNG", "PDF": the subtype of a content type, for a file's description. */
export function shortType(contentType: string): string {
  return (contentType.split('/')[1] ?? contentType).toUpperCase();
}
