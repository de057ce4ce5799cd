import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, StatusBadge, requireEditorPage, useCatalogText, when } from '../staff/catalog-edit-ui.tsx';
import { fieldId } from '../staff/admin-page.ts';
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
      <title>{t('pagesTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('pagesTitle') }]} />
      <h1>{t('pagesTitle')}</h1>
      <p>{t('pagesIntro')}</p>
      <p>
        <a className="button" href={`/${lang}/staff/pages/new`}>
          {t('newPage')}
        </a>
      </p>
      <form method="get" className="toolbar" aria-label={t('filterTitle')}>
        <div className="field">
          <label htmlFor={fieldId('q')}>{t('filterText')}</label>
          <input id={fieldId('q')} name="q" type="search" defaultValue={q} />
        </div>
        <div className="field">
          <label htmlFor={fieldId('status')}>{t('filterStatus')}</label>
          <select id={fieldId('status')} name="status" defaultValue={status}>
            <option value="">{t('filterAll')}</option>
            <option value="draft">{t('statusDraft')}</option>
            <option value="published">{t('statusPublished')}</option>
            <option value="changed">{t('statusChanged')}</option>
          </select>
        </div>
        <button type="submit" className="secondary">
          {t('filterApply')}
        </button>
      </form>
      <p aria-live="polite">{t('resultCount', { count: items.length })}</p>
      {items.length === 0 ? (
        <p>{t('noResults')}</p>
      ) : (
        <TableWrap label={t('pagesTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colTitle')}</th>
                <th scope="col">{t('fieldSlug')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colVersion')}</th>
                <th scope="col">{t('colUpdated')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
