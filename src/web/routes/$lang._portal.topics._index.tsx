import { data, useLoaderData } from 'react-router';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { Breadcrumbs, ServiceList, T } from '../components/Catalog.tsx';
import { catalog } from '../i18n/catalog.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { catalogPageHeaders } from '../catalog-cache.ts';

export const headers = catalogPageHeaders;

/**
 * Every service class that published services use, with how many services each has, and
 * the target groups ("who it is for"). With ?group=<code>: the services of one target group.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const fallback = context.tenant.defaultLanguage;
  const reader = context.services.catalogReader;
  const byName = (a: { name: Localized }, b: { name: Localized }) => pick(a.name, lang, [fallback]).text.localeCompare(pick(b.name, lang, [fallback]).text, lang);
  const groupCode = new URL(request.url).searchParams.get('group');
  if (groupCode !== null) {
    const found = await reader.targetGroup(context.tenant.id, groupCode);
    if (!found) throw data({ code: 'not_found' }, { status: 404 });
    const services = found.services.map((s) => ({ ...s, name: s.names })).sort(byName);
    return { lang, fallback, topics: [], groups: [], group: found.group, services };
  }
  const [topics, groups] = await Promise.all([reader.topics(context.tenant.id), reader.targetGroups(context.tenant.id)]);
  return { lang, fallback, topics: topics.sort(byName), groups: groups.sort(byName), group: null, services: [] };
}

export default function TopicsPage() {
  const { lang, fallback, topics, groups, group, services } = useLoaderData<typeof loader>();
  const t = translator(catalog, lang);
  const tx = { lang, fallback };
  if (group) {
    return (
      <div className="catalog-page topic-page">
        <title>{`${t('forWhom')}: ${pick(group.name, lang, [fallback]).text}`}</title>
        <Breadcrumbs
          label={t('breadcrumbs')}
          items={[{ href: `/${lang}`, node: t('home') }, { href: `/${lang}/topics`, node: t('topics') }, { node: <T value={group.name} {...tx} /> }]}
        />
        <h1>
          {t('forWhom')}: <T value={group.name} {...tx} />
        </h1>
        <ServiceList items={services} {...tx} />
      </div>
    );
  }
  return (
    <div className="catalog-page topics-page">
      <title>{t('topics')}</title>
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { node: t('topics') }]} />
      <h1>{t('topics')}</h1>
      <p>{t('topicsIntro')}</p>
      <CountList items={topics} href={(code) => `/${lang}/topics/${encodeURIComponent(code)}`} {...tx} />
      {groups.length > 0 && (
        <section aria-labelledby="groups-title">
          <h2 id="groups-title">{t('byGroup')}</h2>
          <CountList items={groups} href={(code) => `/${lang}/topics?group=${encodeURIComponent(code)}`} {...tx} />
        </section>
      )}
    </div>
  );
}

function CountList({ items, href, lang, fallback }: { items: { code: string; name: Localized; count: number }[]; href: (code: string) => string; lang: Lang; fallback: Lang }) {
  const t = translator(catalog, lang);
  return (
    <ul className="cards topic-cards">
      {items.map((x) => (
        <li key={x.code}>
          <a href={href(x.code)}>
            <T value={x.name} lang={lang} fallback={fallback} />
          </a>
          <p className="count">{x.count === 1 ? t('serviceCountOne') : t('serviceCount', { n: x.count })}</p>
        </li>
      ))}
    </ul>
  );
}
