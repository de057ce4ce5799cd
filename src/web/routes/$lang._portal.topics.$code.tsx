import { data, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { Breadcrumbs, ServiceList, T } from '../components/Catalog.tsx';
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
        <ServiceList items={services} {...tx} />
      </section>
      {pages.length > 0 && (
        <section aria-labelledby="topic-pages">
          <h2 id="topic-pages">{t('pagesInTopic')}</h2>
          <ServiceList items={pages.map((p) => ({ id: p.slug, names: p.title, summary: p.summary }))} href={(slug) => `/${lang}/pages/${slug}`} {...tx} />
        </section>
      )}
    </div>
  );
}
