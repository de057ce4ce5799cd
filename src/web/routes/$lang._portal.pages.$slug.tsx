import { data, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { localParts } from '../../modules/catalog/opening-hours.ts';
import { Breadcrumbs, formatDate, T } from '../components/Catalog.tsx';
import { catalog } from '../i18n/catalog.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { catalogPageHeaders } from '../catalog-cache.ts';

export const headers = catalogPageHeaders;

/** A content page as last published: the draft in the row never reaches residents. */
export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  const reader = context.services.catalogReader;
  const page = await reader.page(context.tenant.id, params.slug);
  if (!page) throw data({ code: 'not_found' }, { status: 404 });
  const topic = page.topic ? await reader.topic(context.tenant.id, page.topic) : null;
  // The publishing day in Helsinki, not in UTC.
  const publishedDate = page.publishedAt ? localParts(Date.parse(page.publishedAt)).date : null;
  return { lang, fallback: context.tenant.defaultLanguage, page, publishedDate, topic: topic?.topic ?? null };
}

export default function ContentPage() {
  const { lang, fallback, page, publishedDate, topic } = useLoaderData<typeof loader>();
  const t = translator(catalog, lang);
  const tx = { lang, fallback };
  const title = pick(page.title, lang, [fallback]);
  const body = pick(page.body, lang, [fallback]);
  return (
    <article className="catalog-page content-page narrow">
      <title>{title.text}</title>
      <Breadcrumbs
        label={t('breadcrumbs')}
        items={[
          { href: `/${lang}`, node: t('home') },
          ...(topic ? [{ href: `/${lang}/topics/${encodeURIComponent(topic.code)}`, node: <T value={topic.name} {...tx} /> }] : []),
          { node: <T value={page.title} {...tx} /> },
        ]}
      />
      <T as="h1" value={page.title} {...tx} />
      <T as="p" className="lead" value={page.summary} {...tx} />
      {/* Sanitized when saved (staff editing); only the published snapshot is read. */}
      <div className="prose rich" lang={body.lang !== lang ? body.lang : undefined} dangerouslySetInnerHTML={{ __html: body.text }} />
      {publishedDate && <p className="meta">{t('published', { date: formatDate(publishedDate, lang) })}</p>}
    </article>
  );
}
