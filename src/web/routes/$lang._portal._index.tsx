import { useLoaderData } from 'react-router';
import { isLang, pick } from '../../platform/i18n.ts';
import { PUBLIC_KINDS, toCard } from '../../modules/newsroom/public-view.ts';
import { NewsCards } from '../components/NewsParts.tsx';
import { newsPublic } from '../i18n/news-public.ts';
import type { LoaderArgs } from '../server-helpers.ts';
import { SearchBox } from '../components/PortalShell.tsx';
import { common } from '../i18n/common.ts';
import { translator } from '../i18n/define.ts';
import { portal } from '../i18n/portal.ts';
import { catalog } from '../i18n/catalog.ts';
import { languageList, portalShell } from '../i18n/portal-shell.ts';
import { useRoot } from '../root.tsx';

export const handle = { hideHeaderSearch: true };

/**
 * The same for every anonymous visitor of a tenant and language, so the server may keep
 * the render for a moment (src/server/microcache.ts). Only opt a page in when it reads
 * nothing but the tenant, the URL and the language.
 */
export const headers = () => ({ 'x-aukio-microcache': 'anonymous' });

/** The three newest public items (publishing bumps the content version, so a kept render follows at once). */
export async function loader({ context, params }: LoaderArgs) {
  const lang = isLang(params.lang) && context.tenant.languages.includes(params.lang) ? params.lang : context.tenant.defaultLanguage;
  const tenantId = context.tenant.id;
  const [latest, topics] = await Promise.all([
    context.services.newsroom.publicList(tenantId, { lang, kinds: PUBLIC_KINDS, limit: 3 }),
    context.services.newsroom.topics(tenantId),
  ]);
  return { news: latest.items.map((i) => toCard(i, lang, lang, context.tenant.defaultLanguage, topics)) };
}

export default function FrontPage() {
  const { lang, tenant } = useRoot();
  const { news } = useLoaderData<typeof loader>();
  const t = translator(portal, lang);
  const c = translator(common, lang);
  const name = pick(tenant.names, lang);
  const s = translator(portalShell, lang);
  const languages = languageList(lang, tenant.languages, s('or'));
  return (
    <>
      <title>{name.text}</title>
      <section className="hero" aria-labelledby="front-title">
        <h1 id="front-title">
          {t('welcome')} – <span lang={name.lang !== lang ? name.lang : undefined}>{name.text}</span>
        </h1>
        <p className="lead">
          {/* Only the languages this tenant really serves in: a Finnish-only municipality promises no Swedish. */}
          {s('frontIntro')}
          {languages && ` ${s('languagesSentence', { list: languages })}`}
        </p>
        <SearchBox large />
      </section>
      <section aria-labelledby="topics-title" className="browse-topics">
        <h2 id="topics-title">{translator(catalog, lang)('browseTopicsTitle')}</h2>
        <p>{translator(catalog, lang)('browseTopicsText')}</p>
        <p>
          <a href={`/${lang}/topics`}>{translator(catalog, lang)('browseTopicsLink')}</a>
        </p>
      </section>
      {news.length > 0 && (
        <section aria-labelledby="front-news-title" className="front-news">
          <h2 id="front-news-title">{translator(newsPublic, lang)('latestNewsTitle')}</h2>
          <NewsCards items={news} lang={lang} />
          <p>
            <a href={`/${lang}/news`}>{translator(newsPublic, lang)('allNews')}</a>
          </p>
        </section>
      )}
      <section aria-labelledby="quick-title">
        <h2 id="quick-title">{t('quickLinks')}</h2>
        <ul className="cards">
          <li>
            <a href={`/${lang}/sign-in`}>{c('myAukio')}</a>
          </li>
          <li>
            <a href={`/${lang}/accessibility`}>{c('accessibility')}</a>
          </li>
          <li>
            <a href={`/${lang}/privacy`}>{c('privacy')}</a>
          </li>
        </ul>
      </section>
    </>
  );
}
