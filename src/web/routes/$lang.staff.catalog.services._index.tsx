import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Pager, requireEditorPage, StatusBadge, useCatalogText, when } from '../staff/catalog-edit-ui.tsx';
import { FilterForm, FilterSelect, ListHead, listQuery, pageOf, ResultTable, SOURCE_OPTIONS, STATUS_OPTIONS } from '../staff/catalog-list-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/** Services: filter by name, status and source (PTV or local), 50 per page. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const { filter, page } = listQuery(request, ['q', 'status', 'source']);
  return runLoader(async () => {
    const r = await context.services.catalogEdit.listServices(context.actor, context.tenant.id, { ...filter, page });
    return {
      lang,
      filter,
      ...pageOf(r, (s) => ({ id: s.id, name: pick(s.names, lang), type: s.type, status: s.status, imported: s.externalId !== null, updatedAt: s.updatedAt })),
    };
  });
}

export default function ServicesList() {
  const { lang, filter, items, page, pageSize, total } = useLoaderData<typeof loader>();
  const t = useCatalogText();
  const href = (p: number) => `?${new URLSearchParams({ ...filter, page: String(p) })}`;
  return (
    <>
      <ListHead lang={lang} t={t} title="servicesTitle" intro="servicesIntro" newHref={`/${lang}/staff/catalog/services/new`} newLabel="newService" />
      <FilterForm t={t} q={filter.q}>
        <FilterSelect t={t} name="status" label="filterStatus" value={filter.status} options={STATUS_OPTIONS} />
        <FilterSelect t={t} name="source" label="filterSource" value={filter.source} options={SOURCE_OPTIONS} />
      </FilterForm>
      <ResultTable t={t} label={t('servicesTitle')} total={total} empty={items.length === 0} columns={['colName', 'colType', 'colStatus', 'colSource', 'colUpdated']}>
        {items.map((s) => (
          <tr key={s.id}>
            <td>
              <a href={`/${lang}/staff/catalog/services/${s.id}`} lang={s.name.lang !== lang ? s.name.lang : undefined}>
                {s.name.text}
              </a>
            </td>
            <td>{s.type === 'PermitOrObligation' ? t('typePermit') : t('typeService')}</td>
            <td>
              <StatusBadge status={s.status} t={t} />
            </td>
            <td>{s.imported ? 'PTV' : t('sourceLocal')}</td>
            <td className="nowrap">{when(s.updatedAt, lang)}</td>
          </tr>
        ))}
      </ResultTable>
      <Pager page={page} pageSize={pageSize} total={total} href={href} t={t} />
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
