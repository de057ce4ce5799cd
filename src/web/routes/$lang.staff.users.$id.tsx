import { Form, useActionData, useLoaderData } from 'react-router';
import { ROLES } from '../../modules/identity/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { pick } from '../../platform/i18n.ts';
import { formObject } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { translator } from '../i18n/define.ts';
import { staffAdmin } from '../i18n/staff-admin.ts';
import { ROLE_LABEL, staff } from '../i18n/staff.ts';
import { useRoot } from '../root.tsx';
import { pageLang, type ActionArgs, type LoaderArgs, runLoader } from '../server-helpers.ts';
import { AdminErrorBoundary, adminAction, Field, fieldErrorText, FormOutcome, forIntent, requireAdminPage, unitOptionLabel, UnitName, type AdminActionResult } from '../staff/admin-ui.tsx';

/** One staff account: details, roles (grant and revoke, tenant-wide or per unit), deactivation. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const me = requireAdminPage(context, request, lang);
  const { staffUsers, orgUnits } = context.services;
  return runLoader(async () => {
    const user = await staffUsers.get(context.actor, context.tenant.id, params.id ?? '');
    const units = await orgUnits.rows(context.tenant.id, lang);
    const unitName = new Map(units.map((u) => [u.id, pick(u.names, lang)]));
    return {
      lang,
      isSelf: me.id === user.id,
      created: new URL(request.url).searchParams.get('notice') === 'created',
      user: {
        ...user,
        grants: user.grants.map((g) => ({ id: g.id, role: g.role, unit: g.orgUnitId ? (unitName.get(g.orgUnitId) ?? null) : null })),
      },
      units: units.map((u) => ({ id: u.id, depth: u.depth, name: pick(u.names, lang).text })),
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireAdminPage(context, request, lang);
  const form = formObject(await request.formData());
  const { staffUsers } = context.services;
  const { actor, tenant } = context;
  const id = params.id ?? '';
  const ctx = { origin: context.origin, ip: context.ip };
  const intent = form.intent ?? '';
  return adminAction(
    lang,
    intent,
    async () => {
      switch (intent) {
        case 'update':
          await staffUsers.update(actor, tenant.id, id, { name: form.name ?? '', email: form.email ?? '', preferredLanguage: form.preferredLanguage || null }, ctx);
          return { ok: true, intent, notice: 'userSaved' };
        case 'grant':
          await staffUsers.grant(actor, tenant.id, id, { role: form.role ?? '', orgUnitId: form.orgUnitId || null }, ctx);
          return { ok: true, intent, notice: 'roleGranted' };
        case 'revoke':
          await staffUsers.revoke(actor, tenant.id, id, form.grantId ?? '', ctx);
          return { ok: true, intent, notice: 'roleRevoked' };
        case 'invite': {
          await staffUsers.resendInvite(actor, tenant.id, id, ctx);
          const user = await staffUsers.get(actor, tenant.id, id);
          return { ok: true, intent, notice: 'inviteSent', vars: { email: user.email } };
        }
        case 'deactivate':
        case 'reactivate':
          await staffUsers.update(actor, tenant.id, id, { active: intent === 'reactivate' }, ctx);
          return { ok: true, intent, notice: intent === 'reactivate' ? 'userReactivated' : 'userDeactivated' };
        default:
          throw new AppError('validation_failed', 400, { fields: { intent: 'invalid_type' } });
      }
    },
    form,
  );
}

export default function UserPage() {
  const { lang, user, units, isSelf, created } = useLoaderData<typeof loader>();
  const result = useActionData() as AdminActionResult | undefined;
  const { tenant } = useRoot();
  const t = translator(staffAdmin, lang);
  const s = translator(staff, lang);
  const details = forIntent(result, 'update');
  const roles = forIntent(result, 'grant', 'revoke');
  const status = forIntent(result, 'deactivate', 'reactivate', 'invite');
  const langName = { fi: t('langFi'), sv: t('langSv'), en: t('langEn') };
  const v = details.values;
  return (
    <>
      <title>{`${user.name} – ${t('usersTitle')}`}</title>
      <p>
        <a href={`/${lang}/staff/users`}>{t('backToUsers')}</a>
      </p>
      <h1>{user.name}</h1>
      {created && (
        <p role="status" className="notice">
          {t('userCreated', { email: user.email })}
        </p>
      )}
      <dl className="facts">
        <dt>{t('colStatus')}</dt>
        <dd>{user.active ? t('statusActive') : t('statusInactive')}</dd>
        <dt>{t('lastSignIn')}</dt>
        <dd>{user.lastSignInAt ? new Date(user.lastSignInAt).toLocaleString(`${lang}-FI`, { timeZone: 'Europe/Helsinki' }) : t('never')}</dd>
        <dt>{t('passwordFact')}</dt>
        <dd>{user.hasPassword ? t('passwordSet') : t('passwordNotSet')}</dd>
        <dt>{t('twoFactor')}</dt>
        <dd>{user.totpEnabled ? t('yes') : t('no')}</dd>
      </dl>

      <section aria-labelledby="details">
        <h2 id="details">{t('detailsTitle')}</h2>
        <FormOutcome result={details} lang={lang} />
        <Form method="post" reloadDocument noValidate aria-labelledby="details">
          <CsrfField />
          <input type="hidden" name="intent" value="update" />
          <Field id="name" label={t('fieldName')} error={fieldErrorText(lang, details.fields.name)}>
            {(aria) => <input {...aria} name="name" type="text" required maxLength={200} defaultValue={v?.name ?? user.name} autoComplete="off" />}
          </Field>
          <Field id="email" label={t('fieldEmail')} error={fieldErrorText(lang, details.fields.email)}>
            {(aria) => <input {...aria} name="email" type="email" required maxLength={254} defaultValue={v?.email ?? user.email} autoComplete="off" />}
          </Field>
          <Field id="preferredLanguage" label={t('fieldLanguage')} hint={t('fieldLanguageHint')} error={fieldErrorText(lang, details.fields.preferredLanguage)}>
            {(aria) => (
              <select {...aria} name="preferredLanguage" defaultValue={v?.preferredLanguage ?? user.preferredLanguage ?? ''}>
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
          <button type="submit">{t('saveDetails')}</button>
        </Form>
      </section>

      <section aria-labelledby="roles">
        <h2 id="roles">{t('rolesTitle')}</h2>
        <FormOutcome result={roles} lang={lang} />
        {user.grants.length === 0 ? (
          <p>{t('noRoles')}</p>
        ) : (
          <TableWrap label={t('rolesTitle')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('colRole')}</th>
                  <th scope="col">{t('colScope')}</th>
                  <th scope="col">{t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {user.grants.map((g) => {
                  const scope = g.unit ? g.unit.text : t('wholeOrganisation');
                  return (
                    <tr key={g.id}>
                      <td>{s(ROLE_LABEL[g.role])}</td>
                      <td>{g.unit ? <UnitName name={g.unit} lang={lang} /> : t('wholeOrganisation')}</td>
                      <td>
                        <Form method="post" reloadDocument>
                          <CsrfField />
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="grantId" value={g.id} />
                          <button type="submit" className="secondary" aria-label={t('revokeLabel', { role: s(ROLE_LABEL[g.role]), scope })}>
                            {t('revoke')}
                          </button>
                        </Form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
        )}

        <h3 id="grant">{t('grantTitle')}</h3>
        <Form method="post" reloadDocument noValidate aria-labelledby="grant">
          <CsrfField />
          <input type="hidden" name="intent" value="grant" />
          <Field id="role" label={t('fieldRole')} error={fieldErrorText(lang, roles.fields.role)}>
            {(aria) => (
              <select {...aria} name="role" defaultValue={roles.values?.role ?? 'unit_staff'}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {s(ROLE_LABEL[r])}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="orgUnitId" label={t('fieldScope')} hint={t('fieldScopeHint')} error={fieldErrorText(lang, roles.fields.orgUnitId)}>
            {(aria) => (
              <select {...aria} name="orgUnitId" defaultValue={roles.values?.orgUnitId ?? ''}>
                <option value="">{t('wholeOrganisation')}</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {unitOptionLabel(u.depth, u.name)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit">{t('grant')}</button>
        </Form>
      </section>

      <section aria-labelledby="status">
        <h2 id="status">{t('statusTitle')}</h2>
        <FormOutcome result={status} lang={lang} />
        <p>{user.active ? t('activeText') : t('inactiveText')}</p>
        {user.active && (
          <Form method="post" reloadDocument>
            <CsrfField />
            <input type="hidden" name="intent" value="invite" />
            <p id="invite-hint">{t('resendHint')}</p>
            <button type="submit" className="secondary" aria-describedby="invite-hint">
              {t('resendInvite')}
            </button>
          </Form>
        )}
        {user.active ? (
          !isSelf && (
            <Form method="post" reloadDocument>
              <CsrfField />
              <input type="hidden" name="intent" value="deactivate" />
              <p id="deactivate-hint">{t('deactivateHint')}</p>
              <button type="submit" className="danger" aria-describedby="deactivate-hint">
                {t('deactivate')}
              </button>
            </Form>
          )
        ) : (
          <Form method="post" reloadDocument>
            <CsrfField />
            <input type="hidden" name="intent" value="reactivate" />
            <button type="submit">{t('reactivate')}</button>
          </Form>
        )}
      </section>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
