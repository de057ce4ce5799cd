import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { requireConsoleRole } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { AccessibilityFlag, FbBreadcrumbs, FbNotice, useFbText } from '../staff/feedback-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/** Feedback categories of the tenant, active or not: tenant admins. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  return runLoader(async () => {
    const [categories, units] = await Promise.all([
      context.services.feedbackCategories.list(context.actor, context.tenant.id),
      context.services.orgUnits.rows(context.tenant.id, lang),
    ]);
    const unitName = new Map(units.map((u) => [u.id, pick(u.names, lang)]));
    return {
      lang,
      saved: new URL(request.url).searchParams.get('notice') === 'saved',
      items: categories.map((c) => ({
        id: c.id,
        code: c.code,
        name: pick(c.names, lang),
        unit: unitName.get(c.orgUnitId) ?? { text: '', lang },
        slaDays: c.slaDays,
        accessibility: c.accessibility,
        active: c.active,
      })),
    };
  });
}

export default function Categories() {
  const { lang, items, saved } = useLoaderData<typeof loader>();
  const t = useFbText();
  return (
    <>
      <title>{t('categoriesTitle')}</title>
      <FbBreadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('categoriesTitle') }]} />
      <h1>{t('categoriesTitle')}</h1>
      <p>{t('categoriesIntro')}</p>
      {saved && <FbNotice>{t('saved')}</FbNotice>}
      <p>
        <a className="button" href={`/${lang}/staff/feedback/categories/new`}>
          {t('newCategory')}
        </a>
      </p>
      <TableWrap label={t('categoriesTitle')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colCode')}</th>
              <th scope="col">{t('colUnit')}</th>
              <th scope="col">{t('colSla')}</th>
              <th scope="col">{t('colActive')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`/${lang}/staff/feedback/categories/${c.id}`} lang={c.name.lang !== lang ? c.name.lang : undefined}>
                    {c.name.text || c.code}
                  </a>
                  {c.accessibility && (
                    <>
                      {' '}
                      <AccessibilityFlag t={t} short />
                    </>
                  )}
                </td>
                <td>
                  <code>{c.code}</code>
                </td>
                <td lang={c.unit.lang !== lang ? c.unit.lang : undefined}>{c.unit.text}</td>
                <td className="nowrap">{t('days', { n: c.slaDays })}</td>
                <td>{c.active ? t('yes') : t('no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
