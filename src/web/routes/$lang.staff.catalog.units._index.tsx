import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { fieldId } from '../staff/admin-page.ts';
import { Breadcrumbs, Pager, requireEditorPage, StatusBadge, useCatalogText, when } from '../staff/catalog-edit-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/** Units and channels: filter by name, kind, status and source (PTV or local), 50 per page. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const sp = new URL(request.url).searchParams;
  const filter = { q: sp.get('q') ?? '', kind: sp.get('kind') ?? '', status: sp.get('status') ?? '', source: sp.get('source') ?? '' };
  return runLoader(async () => {
    const r = await context.services.catalogEdit.listChannels(context.actor, context.tenant.id, { ...filter, page: Number(sp.get('page')) || 1 });
    return {
      lang,
      filter,
      page: r.page,
      pageSize: r.pageSize,
      total: r.total,
      items: r.items.map((s) => ({ id: s.id, name: pick(s.names, lang), kind: s.kind, status: s.status, imported: s.externalId !== null, updatedAt: s.updatedAt })),
    };
  });
}

export default function UnitsList() {
  const { lang, filter, items, page, pageSize, total } = useLoaderData<typeof loader>();
  const t = useCatalogText();
  const href = (p: number) => `?${new URLSearchParams({ ...filter, page: String(p) })}`;
  return (
    <>
      <title>{t('unitsTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('unitsTitle') }]} />
      <h1>{t('unitsTitle')}</h1>
      <p>{t('unitsIntro')}</p>
      <p>
        <a className="button" href={`/${lang}/staff/catalog/units/new`}>
          {t('newChannel')}
        </a>
      </p>
      <form method="get" className="toolbar" aria-label={t('filterTitle')}>
        <div className="field">
          <label htmlFor={fieldId('q')}>{t('filterText')}</label>
          <input id={fieldId('q')} name="q" type="search" defaultValue={filter.q} />
        </div>
        <div className="field">
          <label htmlFor={fieldId('kind')}>{t('filterKind')}</label>
          <select id={fieldId('kind')} name="kind" defaultValue={filter.kind}>
            <option value="">{t('filterAll')}</option>
            {(Object.keys(KIND_LABEL) as (keyof typeof KIND_LABEL)[]).map((k) => (
              <option key={k} value={k}>
                {t(KIND_LABEL[k])}
              </option>
            ))}
          </select>
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
        <TableWrap label={t('unitsTitle')}>
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
                    <a href={`/${lang}/staff/catalog/units/${s.id}`} lang={s.name.lang !== lang ? s.name.lang : undefined}>
                      {s.name.text}
                    </a>
                  </td>
                  <td>{t(KIND_LABEL[s.kind])}</td>
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

const KIND_LABEL = {
  service_location: 'kindServiceLocation',
  phone: 'kindPhone',
  e_service: 'kindEService',
  web_page: 'kindWebPage',
  printable_form: 'kindPrintableForm',
} as const;

export const ErrorBoundary = AdminErrorBoundary;
