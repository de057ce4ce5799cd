import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { formObject } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAdmin } from '../i18n/staff-admin.ts';
import { ROLE_LABEL, staff } from '../i18n/staff.ts';
import { useRoot } from '../root.tsx';
import { pageLang, type ActionArgs, type LoaderArgs, runLoader } from '../server-helpers.ts';
import { AdminErrorBoundary, adminAction, Field, fieldErrorText, FormOutcome, forIntent, requireAdminPage, UnitName, type AdminActionResult } from '../staff/admin-ui.tsx';
import { TableWrap } from '../components/TableWrap.tsx';

/** Users and roles: every staff account of the tenant with its roles, and the new-user form. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireAdminPage(context, request, lang);
  const { staffUsers, orgUnits } = context.services;
  return runLoader(async () => {
    const [users, units] = await Promise.all([staffUsers.list(context.actor, context.tenant.id), orgUnits.rows(context.tenant.id, lang)]);
    const unitName = new Map(units.map((u) => [u.id, pick(u.names, lang)]));
    return {
      lang,
      users: users.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        active: u.active,
        grants: u.grants.map((g) => ({ id: g.id, role: g.role, unit: g.orgUnitId ? (unitName.get(g.orgUnitId) ?? null) : null })),
      })),
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireAdminPage(context, request, lang);
  const form = formObject(await request.formData());
  return adminAction(lang, 'create', async () => {
    const user = await context.services.staffUsers.create(
      context.actor,
      context.tenant.id,
      { name: form.name ?? '', email: form.email ?? '', preferredLanguage: form.preferredLanguage || null },
      { origin: context.origin, ip: context.ip },
    );
    // Post/redirect/get: a reload of the next page must not create the user twice.
    return redirect(`/${lang}/staff/users/${user.id}?notice=created`);
  }, form);
}

export default function UsersPage() {
  const { lang, users } = useLoaderData<typeof loader>();
  const result = useActionData() as AdminActionResult | undefined;
  const { tenant } = useRoot();
  const t = translator(staffAdmin, lang);
  const s = translator(staff, lang);
  const create = forIntent(result, 'create');
  const langName = { fi: t('langFi'), sv: t('langSv'), en: t('langEn') };
  return (
    <>
      <title>{t('usersTitle')}</title>
      <h1>{t('usersTitle')}</h1>
      <p>{t('usersIntro')}</p>
      <TableWrap label={t('usersTitle')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colEmail')}</th>
              <th scope="col">{t('colRoles')}</th>
              <th scope="col">{t('colStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <a href={`/${lang}/staff/users/${u.id}`}>{u.name}</a>
                </td>
                <td>{u.email}</td>
                <td>
                  {u.grants.length === 0 ? (
                    t('noRoles')
                  ) : (
                    <ul className="plain">
                      {u.grants.map((g) => (
                        <li key={g.id}>
                          {s(ROLE_LABEL[g.role])}
                          {' – '}
                          {g.unit ? <UnitName name={g.unit} lang={lang} /> : t('wholeOrganisation')}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{u.active ? t('statusActive') : <span className="badge danger">{t('statusInactive')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <h2 id="new-user">{t('newUserTitle')}</h2>
      <p>{t('newUserHint')}</p>
      <FormOutcome result={create} lang={lang} />
      <Form method="post" reloadDocument aria-labelledby="new-user" noValidate>
        <CsrfField />
        <Field id="name" label={t('fieldName')} error={fieldErrorText(lang, create.fields.name)}>
          {(aria) => <input {...aria} name="name" type="text" defaultValue={create.values?.name} autoComplete="off" required maxLength={200} />}
        </Field>
        <Field id="email" label={t('fieldEmail')} error={fieldErrorText(lang, create.fields.email)}>
          {(aria) => <input {...aria} name="email" type="email" defaultValue={create.values?.email} autoComplete="off" required maxLength={254} />}
        </Field>
        <Field id="preferredLanguage" label={t('fieldLanguage')} hint={t('fieldLanguageHint')} error={fieldErrorText(lang, create.fields.preferredLanguage)}>
          {(aria) => (
            <select {...aria} name="preferredLanguage" defaultValue={create.values?.preferredLanguage ?? ''}>
              <option value="">
                {t('tenantDefaultLanguage')} ({langName[tenant.defaultLanguage]})
              </option>
              {tenant.languages.map((l) => (
                <option key={l} value={l}>
                  {langName[l]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">{t('createUser')}</button>
      </Form>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
