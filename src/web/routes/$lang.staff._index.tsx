import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { translator } from '../i18n/define.ts';
import { ROLE_LABEL, staff } from '../i18n/staff.ts';
import { pageLang, requireStaffPage, type LoaderArgs } from '../server-helpers.ts';

/** Console home: who you are and what you may do here. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const user = requireStaffPage(context, request, lang);
  const units = await context.services.db.query<{ id: string; names: Record<string, string> }>(
    'select id, names from org_units where tenant_id = $1',
    [context.tenant.id],
  );
  const unitName = new Map(units.rows.map((u) => [u.id, u.names]));
  return {
    lang,
    name: user.name,
    grants: user.grants.map((g) => ({ role: g.role, unit: g.orgUnitId ? pick(unitName.get(g.orgUnitId), lang).text : null })),
  };
}

export default function StaffHome() {
  const { lang, name, grants } = useLoaderData<typeof loader>();
  const t = translator(staff, lang);
  return (
    <>
      <title>{t('consoleTitle')}</title>
      <h1>{t('welcome', { name })}</h1>
      <h2>{t('yourRoles')}</h2>
      <ul>
        {grants.map((g, i) => (
          <li key={i}>
            {t(ROLE_LABEL[g.role])} – {g.unit ?? t('wholeOrganisation')}
          </li>
        ))}
      </ul>
    </>
  );
}
