import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { Breadcrumbs, T } from '../components/Catalog.tsx';
import { catalog } from '../i18n/catalog.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { catalogPageHeaders } from '../catalog-cache.ts';

export const headers = catalogPageHeaders;

/** Every service class that published services use, with how many services each has. */
export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  const fallback = context.tenant.defaultLanguage;
  const topics = (await context.services.catalogReader.topics(context.tenant.id)).sort((a, b) =>
    pick(a.name, lang, [fallback]).text.localeCompare(pick(b.name, lang, [fallback]).text, lang),
  );
  return { lang, fallback, topics };
}

export default function TopicsPage() {
  const { lang, fallback, topics } = useLoaderData<typeof loader>();
  const t = translator(catalog, lang);
  return (
    <div className="catalog-page topics-page">
      <title>{t('topics')}</title>
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { node: t('topics') }]} />
      <h1>{t('topics')}</h1>
      <p>{t('topicsIntro')}</p>
      <ul className="cards topic-cards">
        {topics.map((x) => (
          <li key={x.code}>
            <a href={`/${lang}/topics/${encodeURIComponent(x.code)}`}>
              <T value={x.name} lang={lang} fallback={fallback} />
            </a>
            <p className="count">{x.count === 1 ? t('serviceCountOne') : t('serviceCount', { n: x.count })}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
