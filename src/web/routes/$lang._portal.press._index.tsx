import { useLoaderData } from 'react-router';
import { dateParam, pageParam, PRESS_PAGE_SIZE, toCard } from '../../modules/newsroom/public-view.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { catalogPageHeaders } from '../catalog-cache.ts';
import { Breadcrumbs } from '../components/Catalog.tsx';
import { FeedAlternates, FeedLinks, hrefWith, NewsCards, NewsPager, Picked, TopicSelect } from '../components/NewsParts.tsx';
import { translator } from '../i18n/define.ts';
import { LANGUAGE_ENDONYMS, newsPublic } from '../i18n/news-public.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

/**
 * The press room for the media: the press-release archive (Finnish-, Swedish- or
 * English-aware full-text search with prefix matching, filters by topic, publication date
 * range and the release's language, paging), the press contacts, and the way to the image
 * bank, the feeds and the e-mail subscription. One GET form: works without JavaScript,
 * and every search has a shareable URL.
 */
export const headers = catalogPageHeaders;

interface PressQuery {
  q: string;
  topic: string;
  from: string;
  to: string;
  language: Lang;
  page: number;
}

function pressHref(lang: Lang, q: PressQuery, page: number) {
  return hrefWith(`/${lang}/press`, { q: q.q, topic: q.topic, from: q.from, to: q.to, language: q.language !== lang ? q.language : undefined, page: page > 1 ? page : undefined });
}

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const url = new URL(request.url);
  const tenantId = context.tenant.id;
  const fallback = context.tenant.defaultLanguage;
  const s = context.services;
  const topics = await s.newsroom.topics(tenantId);
  const get = (k: string) => url.searchParams.get(k) ?? '';
  const wantedTopic = get('topic');
  const wantedLanguage = get('language');
  const from = dateParam(get('from'));
  const to = dateParam(get('to'));
  const query: PressQuery = {
    q: get('q').trim().slice(0, 200),
    topic: topics.some((t) => t.slug === wantedTopic) ? wantedTopic : '',
    from: from ?? '',
    to: to ?? '',
    language: (context.tenant.languages as string[]).includes(wantedLanguage) ? (wantedLanguage as Lang) : lang,
    page: pageParam(url.searchParams.get('page')),
  };
  const filter = {
    lang: query.language,
    kinds: ['press_release' as const],
    q: query.q || undefined,
    topic: query.topic || undefined,
    from: query.from || undefined,
    to: query.to || undefined,
  };
  const [list, contacts] = await Promise.all([
    s.newsroom.publicList(tenantId, { ...filter, limit: PRESS_PAGE_SIZE, offset: (query.page - 1) * PRESS_PAGE_SIZE }),
    s.pressContacts.list(tenantId),
  ]);
  // Past the last page the window count is empty: count again from the start for "page n of m".
  if (!list.items.length && query.page > 1) list.total = (await s.newsroom.publicList(tenantId, { ...filter, limit: 1 })).total;
  return {
    lang,
    query,
    // The raw values of dates that did not parse, shown back in the form with the error.
    badDates: { from: from === null ? get('from').slice(0, 20) : null, to: to === null ? get('to').slice(0, 20) : null },
    languages: LANGUAGES.filter((l) => context.tenant.languages.includes(l)),
    topics: topics.map((t) => ({ slug: t.slug, name: pick(t.names, lang, [fallback]) })),
    total: list.total,
    pages: Math.max(1, Math.ceil(list.total / PRESS_PAGE_SIZE)),
    items: list.items.map((i) => toCard(i, query.language, lang, fallback, topics)),
    contacts: contacts.map((c) => ({
      id: c.id,
      name: c.name,
      title: pick(c.title, lang, [fallback]),
      phone: c.phone,
      email: c.email,
      topics: c.topics.flatMap((slug) => {
        const t = topics.find((x) => x.slug === slug);
        return t ? [pick(t.names, lang, [fallback])] : [];
      }),
    })),
  };
}

export default function PressRoomPage() {
  const d = useLoaderData<typeof loader>();
  const { lang, query } = d;
  const t = translator(newsPublic, lang);
  const filtered = Boolean(query.q || query.topic || query.from || query.to || query.language !== lang);
  return (
    <div className="press-room">
      <title>{query.page > 1 ? `${t('pressTitle')} – ${t('pageOf', { n: query.page, total: d.pages })}` : t('pressTitle')}</title>
      <FeedAlternates lang={lang} scope="press" />
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { node: t('pressTitle') }]} />
      <h1>{t('pressTitle')}</h1>
      <p className="lead">{t('pressIntro')}</p>

      <nav aria-labelledby="press-media-title" className="press-links">
        <h2 id="press-media-title" className="visually-hidden">
          {t('forMedia')}
        </h2>
        <ul className="cards">
          <li>
            <a href={`/${lang}/press/images`}>{t('imageBankLink')}</a>
          </li>
          <li>
            <a href={`/${lang}/press/subscribe`}>{t('subscribeLink')}</a>
          </li>
          <li>
            <a href="#press-contacts-title">{t('contactsTitle')}</a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="press-archive-title" className="press-archive">
        <h2 id="press-archive-title">{t('archiveTitle')}</h2>
        <form method="get" action={`/${lang}/press`} role="search" aria-label={t('archiveTitle')} className="press-search">
          <div className="field field-wide">
            <label htmlFor="press-q">{t('searchLabel')}</label>
            <p id="press-q-hint" className="hint">
              {t('searchHint')}
            </p>
            <input id="press-q" name="q" type="search" defaultValue={query.q} maxLength={200} aria-describedby="press-q-hint" />
          </div>
          <div className="press-filters">
            <TopicSelect id="press-topic" lang={lang} topics={d.topics} value={query.topic} />
            <DateField name="from" label={t('from')} value={d.badDates.from ?? query.from} invalid={d.badDates.from !== null} lang={lang} />
            <DateField name="to" label={t('to')} value={d.badDates.to ?? query.to} invalid={d.badDates.to !== null} lang={lang} />
            {d.languages.length > 1 && (
              <div className="field">
                <label htmlFor="press-language">{t('language')}</label>
                <select id="press-language" name="language" defaultValue={query.language}>
                  {d.languages.map((l) => (
                    <option key={l} value={l} lang={l}>
                      {LANGUAGE_ENDONYMS[l]}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
          <p className="press-search-actions">
            <button type="submit">{t('search')}</button>
            {filtered && <a href={`/${lang}/press`}>{t('clearFilters')}</a>}
          </p>
        </form>

        <p className="news-count">{d.total === 1 ? t('resultsCountOne') : t('resultsCount', { n: d.total })}</p>
        {d.items.length > 0 ? (
          <NewsCards items={d.items} lang={lang} labelledBy="press-archive-title" />
        ) : d.total > 0 ? (
          <p>
            {t('pageEmpty')} <a href={pressHref(lang, query, 1)}>{t('firstPage')}</a>
          </p>
        ) : (
          <p>{t('noResults')}</p>
        )}
        <NewsPager lang={lang} page={query.page} pages={d.pages} href={(n) => pressHref(lang, query, n)} />
      </section>

      <section aria-labelledby="press-contacts-title" className="press-contacts">
        <h2 id="press-contacts-title">{t('contactsTitle')}</h2>
        {d.contacts.length === 0 ? (
          <p>{t('contactsNone')}</p>
        ) : (
          <ul className="press-contact-list plain">
            {d.contacts.map((c) => (
              <li key={c.id} className="press-contact">
                <h3>{c.name}</h3>
                {c.title.text && (
                  <p>
                    <Picked value={c.title} lang={lang} />
                  </p>
                )}
                <dl className="facts">
                  {c.phone && (
                    <div className="contents">
                      <dt>{t('phone')}</dt>
                      <dd>
                        <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a>
                      </dd>
                    </div>
                  )}
                  {c.email && (
                    <div className="contents">
                      <dt>{t('email')}</dt>
                      <dd>
                        <a href={`mailto:${c.email}`}>{c.email}</a>
                      </dd>
                    </div>
                  )}
                  {c.topics.length > 0 && (
                    <div className="contents">
                      <dt>{t('answersAbout')}</dt>
                      <dd>
                        {c.topics.map((tp, i) => (
                          <span key={i}>
                            {i > 0 && ', '}
                            <Picked value={tp} lang={lang} />
                          </span>
                        ))}
                      </dd>
                    </div>
                  )}
                </dl>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="press-feeds-title">
        <h2 id="press-feeds-title">{t('pressFeeds')}</h2>
        <p>{t('feedsIntro')}</p>
        <FeedLinks lang={lang} scope="press" />
      </section>
    </div>
  );
}

function DateField({ name, label, value, invalid, lang }: { name: string; label: string; value: string; invalid: boolean; lang: Lang }) {
  const t = translator(newsPublic, lang);
  const id = `press-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {t('dateHint')}
      </p>
      <input
        id={id}
        name={name}
        // Text, not type=date: the hint's format is what is typed, whatever the browser's locale.
        type="text"
        inputMode="numeric"
        autoComplete="off"
        maxLength={10}
        size={10}
        defaultValue={value}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={invalid ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      {invalid && (
        <p id={`${id}-error`} className="field-error">
          {t('invalidDate')}
        </p>
      )}
    </div>
  );
}
