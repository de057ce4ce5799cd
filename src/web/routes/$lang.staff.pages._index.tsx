import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { StatusBadge, requireEditorPage, useCatalogText, when } from '../staff/catalog-edit-ui.tsx';
import { FilterForm, FilterSelect, ListHead, ResultTable } from '../staff/catalog-list-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/** Content pages: every page of the tenant with its status, newest change first. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const url = new URL(request.url);
  const q = url.searchParams.get('q') ?? '';
  const status = url.searchParams.get('status') ?? '';
  return runLoader(async () => {
    const items = await context.services.contentPages.list(context.actor, context.tenant.id, { q, status });
    return {
      lang,
      q,
      status,
      items: items.map((p) => ({ id: p.id, slug: p.slug, title: pick(p.title, lang), status: p.status, version: p.version, updatedAt: p.updatedAt })),
    };
  });
}

export default function PagesList() {
  const { lang, q, status, items } = useLoaderData<typeof loader>();
  const t = useCatalogText();
  return (
    <>
      <ListHead lang={lang} t={t} title="pagesTitle" intro="pagesIntro" newHref={`/${lang}/staff/pages/new`} newLabel="newPage" />
      <FilterForm t={t} q={q}>
        <FilterSelect t={t} name="status" label="filterStatus" value={status} options={PAGE_STATUS_OPTIONS} />
      </FilterForm>
      <ResultTable t={t} label={t('pagesTitle')} total={items.length} empty={items.length === 0} columns={['colTitle', 'fieldSlug', 'colStatus', 'colVersion', 'colUpdated']} live>
        {items.map((p) => (
          <tr key={p.id}>
            <td>
              <a href={`/${lang}/staff/pages/${p.id}`} lang={p.title.lang !== lang ? p.title.lang : undefined}>
                {p.title.text || p.slug}
              </a>
            </td>
            <td>{p.slug}</td>
            <td>
              <StatusBadge status={p.status} t={t} />
            </td>
            <td>{p.version}</td>
            <td>{when(p.updatedAt, lang)}</td>
          </tr>
        ))}
      </ResultTable>
    </>
  );
}

const PAGE_STATUS_OPTIONS = [
  ['draft', 'statusDraft'],
  ['published', 'statusPublished'],
  ['changed', 'statusChanged'],
] as const;

export const ErrorBoundary = AdminErrorBoundary;
