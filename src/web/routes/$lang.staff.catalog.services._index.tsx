import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { fieldId } from '../staff/admin-page.ts';
import { Breadcrumbs, Pager, requireEditorPage, StatusBadge, useCatalogText, when } from '../staff/catalog-edit-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/** Services: filter by name, status and source (PTV or local), 50 per page. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const sp = new URL(request.url).searchParams;
  const filter = { q: sp.get('q') ?? '', status: sp.get('status') ?? '', source: sp.get('source') ?? '' };
  return runLoader(async () => {
    const r = await context.services.catalogEdit.listServices(context.actor, context.tenant.id, { ...filter, page: Number(sp.get('page')) || 1 });
    return {
      lang,
      filter,
      page: r.page,
      pageSize: r.pageSize,
      total: r.total,
      items: r.items.map((s) => ({ id: s.id, name: pick(s.names, lang), type: s.type, status: s.status, imported: s.externalId !== null, updatedAt: s.updatedAt })),
    };
  });
}

export default function ServicesList() {
  const { lang, filter, items, page, pageSize, total } = useLoaderData<typeof loader>();
  const t = useCatalogText();
  const href = (p: number) => `?${new URLSearchParams({ ...filter, page: String(p) })}`;
  return (
    <>
      <title>{t('servicesTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('servicesTitle') }]} />
      <h1>{t('servicesTitle')}</h1>
      <p>{t('servicesIntro')}</p>
      <p>
        <a className="button" href={`/${lang}/staff/catalog/services/new`}>
          {t('newService')}
        </a>
      </p>
      <form method="get" className="toolbar" aria-label={t('filterTitle')}>
        <div className="field">
          <label htmlFor={fieldId('q')}>{t('filterText')}</label>
          <input id={fieldId('q')} name="q" type="search" defaultValue={filter.q} />
        </div>
        <div className="field">
          <label htmlFor={fieldId('status')}>{t('filterStatus')}</label>
          <select id={fieldId('status')} name="status" defaultValue={filter.status}>
            <option value="">{t('filterAll')}</option>
            <option value="published">{t('statusPublished')}</option>
            <option value="draft">{t('statusDraft')}</option>
            <option value="archived">{t('statusArchived')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={fieldId('source')}>{t('filterSource')}</label>
          <select id={fieldId('source')} name="source" defaultValue={filter.source}>
            <option value="">{t('filterAll')}</option>
            <option value="ptv">{t('sourcePtv')}</option>
            <option value="local">{t('sourceLocal')}</option>
          </select>
        </div>
        <button type="submit" className="secondary">
          {t('filterApply')}
        </button>
      </form>
      <p>{t('resultCount', { count: total })}</p>
      {items.length === 0 ? (
        <p>{t('noResults')}</p>
      ) : (
        <TableWrap label={t('servicesTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colType')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colSource')}</th>
                <th scope="col">{t('colUpdated')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager page={page} pageSize={pageSize} total={total} href={href} t={t} />
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
