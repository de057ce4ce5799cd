import { data, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { Breadcrumbs, T } from '../components/Catalog.tsx';
import { catalog } from '../i18n/catalog.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { catalogPageHeaders } from '../catalog-cache.ts';

export const headers = catalogPageHeaders;

/** One service class: its published services, and content pages filed under it. */
export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  const fallback = context.tenant.defaultLanguage;
  const found = await context.services.catalogReader.topic(context.tenant.id, params.code);
  if (!found) throw data({ code: 'not_found' }, { status: 404 });
  const byName = (a: { names: Record<string, string | undefined> }, b: { names: Record<string, string | undefined> }) =>
    pick(a.names, lang, [fallback]).text.localeCompare(pick(b.names, lang, [fallback]).text, lang);
  return { lang, fallback, topic: found.topic, services: [...found.services].sort(byName), pages: found.pages };
}

export default function TopicPage() {
  const { lang, fallback, topic, services, pages } = useLoaderData<typeof loader>();
  const t = translator(catalog, lang);
  const tx = { lang, fallback };
  return (
    <div className="catalog-page topic-page">
      <title>{pick(topic.name, lang, [fallback]).text}</title>
      <Breadcrumbs
        label={t('breadcrumbs')}
        items={[{ href: `/${lang}`, node: t('home') }, { href: `/${lang}/topics`, node: t('topics') }, { node: <T value={topic.name} {...tx} /> }]}
      />
      <T as="h1" value={topic.name} {...tx} />
      <section aria-labelledby="topic-services">
        <h2 id="topic-services">{t('servicesInTopic')}</h2>
        <ul className="service-list">
          {services.map((s) => (
            <li key={s.id}>
              <a href={`/${lang}/services/${s.id}`}>
                <T value={s.names} {...tx} />
              </a>
              <T as="p" value={s.summary} {...tx} />
            </li>
          ))}
        </ul>
      </section>
      {pages.length > 0 && (
        <section aria-labelledby="topic-pages">
          <h2 id="topic-pages">{t('pagesInTopic')}</h2>
          <ul className="service-list">
            {pages.map((p) => (
              <li key={p.slug}>
                <a href={`/${lang}/pages/${p.slug}`}>
                  <T value={p.title} {...tx} />
                </a>
                <T as="p" value={p.summary} {...tx} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
