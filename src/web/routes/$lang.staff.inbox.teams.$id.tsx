import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { requireConsoleRole, fieldId } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Field } from '../staff/catalog-edit-ui.tsx';
import { WeeklyHoursTable } from '../staff/WeeklyHoursTable.tsx';
import { InboxBreadcrumbs, InboxCheck, inboxErrorText, useInboxAdminText, type IT } from '../staff/inbox-admin-ui.tsx';
import { DAYS, formFields, inputFromState, splitHours, stateFromForm, stateFromTeam, type TeamFormState } from '../staff/inbox-team-form.ts';
import type { InboxAdminKey } from '../i18n/inbox-admin.ts';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One customer service team (id "new" creates one): names, weekly business hours as a
 * table of weekday rows, SLA targets in minutes or hours, the inbound e-mail address,
 * round-robin, the default flag, active, order, and the members with their capacity as
 * checkboxes and number inputs. Deleting is offered only to a team without
 * conversations. Plain form posts, so it all works without JavaScript. Tenant admins.
 */
type Result = { kind: 'form'; state: TeamFormState; message?: string; fields: Record<string, string> } | { kind: 'delete'; message: string; fields: Record<string, string> };

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const s = context.services.inboxTeams;
  return runLoader(async () => {
    const isNew = params.id === 'new';
    const team = isNew ? null : await s.get(context.actor, context.tenant.id, params.id ?? '');
    const staff = await s.staffOptions(context.actor, context.tenant.id);
    return {
      lang,
      isNew,
      saved: new URL(request.url).searchParams.get('notice') === 'saved',
      state: stateFromTeam(team, Object.fromEntries(staff.map((u) => [u.id, u.capacity]))),
      otherHours: team ? splitHours(team.businessHours).other.length : 0,
      isDefaultNow: team?.isDefault ?? false,
      conversationCount: team?.conversationCount ?? 0,
      staff: staff.map((u) => ({ id: u.id, name: u.name, email: u.email })),
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const form = await request.formData();
  const s = context.services.inboxTeams;
  const { actor, tenant, ip } = context;
  const id = params.id ?? '';
  const fail = (e: unknown) => {
    if (!isAppError(e) || e.status >= 500) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    return e;
  };
  if (form.get('intent') === 'delete') {
    if (form.get('confirm') !== '1') return data({ kind: 'delete', message: '', fields: { confirm: 'confirm' } } satisfies Result, { status: 400 });
    try {
      await s.remove(actor, tenant.id, id, { ip });
      return redirect(`/${lang}/staff/inbox/teams?notice=deleted`);
    } catch (e) {
      const err = fail(e);
      const reason = typeof err.details?.reason === 'string' ? `reason_${err.details.reason}` : '';
      return data({ kind: 'delete', message: reason || errorMessage(err.code, lang), fields: {} } satisfies Result, { status: err.status });
    }
  }
  const state = stateFromForm(form);
  const current = params.id === 'new' ? null : await runLoader(() => s.get(actor, tenant.id, id));
  const { input, fields: formErrors, pathMap } = inputFromState(state, current ? splitHours(current.businessHours).other : []);
  if (Object.keys(formErrors).length) return data({ kind: 'form', state, fields: formErrors } satisfies Result, { status: 400 });
  try {
    const team = current ? await s.update(actor, tenant.id, id, input, { ip }) : await s.create(actor, tenant.id, input, { ip });
    return redirect(`/${lang}/staff/inbox/teams/${team.id}?notice=saved`);
  } catch (e) {
    const err = fail(e);
    const fields = formFields((err.details?.fields as Record<string, string> | undefined) ?? {}, pathMap);
    return data(
      { kind: 'form', state, fields, message: Object.keys(fields).length ? undefined : errorMessage(err.code, lang) } satisfies Result,
      { status: err.status },
    );
  }
}

const LANG_KEY: Record<Lang, InboxAdminKey> = { fi: 'langFi', sv: 'langSv', en: 'langEn' };

export default function InboxTeamEdit() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as Result | undefined;
  const t = useInboxAdminText();
  const { lang } = d;
  const formResult = result?.kind === 'form' ? result : undefined;
  const deleteResult = result?.kind === 'delete' ? result : undefined;
  const st = formResult?.state ?? d.state;
  const fields = formResult?.fields ?? {};
  const err = (name: string) => inboxErrorText(t, fields[name]);
  const title = d.isNew ? t('newTeam') : `${t('editTeam')}: ${d.state.names[lang] || d.state.names.fi || d.state.names.sv || d.state.names.en}`;
  const hasErrors = formResult && (Object.keys(fields).length > 0 || formResult.message);
  return (
    <>
      <title>{title}</title>
      <InboxBreadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/inbox/teams`, label: t('teamsTitle') }, { label: title }]}
      />
      <h1>{title}</h1>
      {d.saved && !result && (
        <p role="status" className="notice">
          {t('saved')}
        </p>
      )}
      {hasErrors && (
        <p role="alert" className="alert">
          {formResult.message ?? t('formErrors')}
        </p>
      )}
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="save" />
        <fieldset className="field">
          <legend>{t('fieldNames')}</legend>
          {err('names') && (
            <p className="field-error" id="names-error">
              <span className="visually-hidden">{t('errorPrefix')} </span>
              {err('names')}
            </p>
          )}
          {LANGUAGES.map((l) => (
            <Field key={l} name={`names.${l}`} label={t('nameIn', { language: t(LANG_KEY[l]) })} t={t}>
              {(aria) => (
                <input
                  {...aria}
                  aria-describedby={err('names') ? 'names-error' : undefined}
                  aria-invalid={err('names') ? true : undefined}
                  name={`names.${l}`}
                  type="text"
                  lang={l}
                  maxLength={200}
                  defaultValue={st.names[l]}
                />
              )}
            </Field>
          ))}
        </fieldset>

        <h2 id="hours-title">{t('sectionHours')}</h2>
        <p className="hint" id="hours-hint">
          {t('hoursHint')}
        </p>
        <WeeklyHoursTable
          label={t('sectionHours')}
          className="hours-table inbox-hours"
          titleId="hours-title"
          hintId="hours-hint"
          prefix="hours"
          days={DAYS}
          columns={{ day: t('colDay'), opens: t('colOpens'), closes: t('colCloses') }}
          dayName={(day) => t(day)}
          inputLabel={(k, day) => t(k === 'from' ? 'opensOn' : 'closesOn', { day: t(day) })}
          value={(day, k) => st.hours[day][k]}
          error={err}
          maxLength={5}
        />
        {d.otherHours > 0 && <p className="info">{t('otherHoursKept', { count: d.otherHours })}</p>}

        <h2>{t('sectionSla')}</h2>
        <p className="hint">{t('slaHint')}</p>
        <SlaField t={t} name="firstSla" label={t('fieldFirstSla')} value={st.firstSla} unit={st.firstSlaUnit} error={err('firstSla')} />
        <SlaField t={t} name="resSla" label={t('fieldResolutionSla')} value={st.resSla} unit={st.resSlaUnit} error={err('resSla')} />

        <h2>{t('sectionSettings')}</h2>
        <Field name="emailAddress" label={t('fieldEmail')} hint={t('emailHint')} error={err('emailAddress')} t={t}>
          {(aria) => <input {...aria} name="emailAddress" type="email" autoComplete="off" maxLength={254} defaultValue={st.emailAddress} />}
        </Field>
        <InboxCheck name="autoAssign" label={t('fieldAutoAssign')} checked={st.autoAssign} />
        {d.isDefaultNow ? (
          <>
            <input type="hidden" name="isDefault" value="1" />
            <p className="info">{t('defaultNote')}</p>
          </>
        ) : (
          <InboxCheck name="isDefault" label={t('fieldDefault')} checked={st.isDefault} />
        )}
        <InboxCheck name="active" label={t('fieldActive')} checked={st.active} describedBy={err('active') ? fieldId('active-error') : undefined} />
        {err('active') && (
          <p id={fieldId('active-error')} className="field-error">
            <span className="visually-hidden">{t('errorPrefix')} </span>
            {err('active')}
          </p>
        )}
        {err('isDefault') && (
          <p className="field-error">
            <span className="visually-hidden">{t('errorPrefix')} </span>
            {err('isDefault')}
          </p>
        )}
        <Field name="sortOrder" label={t('fieldOrder')} hint={t('orderHint')} error={err('sortOrder')} t={t}>
          {(aria) => <input {...aria} name="sortOrder" type="number" min={0} max={10000} inputMode="numeric" defaultValue={st.sortOrder} />}
        </Field>

        <h2 id="members-title">{t('sectionMembers')}</h2>
        <p className="hint" id="members-hint">
          {t('membersHint')}
        </p>
        {err('members') && (
          <p className="field-error">
            <span className="visually-hidden">{t('errorPrefix')} </span>
            {err('members')}
          </p>
        )}
        <TableWrap label={t('sectionMembers')}>
          <table className="inbox-members" aria-labelledby="members-title">
            <thead>
              <tr>
                <th scope="col">{t('colMember')}</th>
                <th scope="col">{t('colCapacity')}</th>
              </tr>
            </thead>
            <tbody>
              {d.staff.map((u) => {
                const checkId = fieldId(`member-${u.id}`);
                const capName = `capacity.${u.id}`;
                const e = err(capName);
                return (
                  <tr key={u.id}>
                    <td>
                      <div className="checkbox">
                        <input id={checkId} type="checkbox" name="member" value={u.id} defaultChecked={st.members.includes(u.id)} />
                        <label htmlFor={checkId}>
                          {u.name} <span className="hint">({u.email})</span>
                        </label>
                      </div>
                    </td>
                    <td>
                      <input
                        id={fieldId(capName)}
                        name={capName}
                        type="number"
                        min={0}
                        max={100}
                        inputMode="numeric"
                        size={4}
                        defaultValue={st.capacity[u.id] ?? '5'}
                        aria-label={t('capacityOf', { name: u.name })}
                        aria-describedby={e ? `members-hint ${fieldId(capName)}-error` : 'members-hint'}
                        aria-invalid={e ? true : undefined}
                      />
                      {e && (
                        <p id={`${fieldId(capName)}-error`} className="field-error">
                          {e}
                        </p>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
        <p>
          <button type="submit">{d.isNew ? t('create') : t('save')}</button>
        </p>
      </Form>

      {!d.isNew && (
        <section aria-labelledby="delete-title" className="inbox-delete">
          <h2 id="delete-title">{t('sectionDelete')}</h2>
          <p>{t('deleteHint')}</p>
          {deleteResult?.message && (
            <p role="alert" className="alert">
              {deleteResult.message.startsWith('reason_') ? t(deleteResult.message as InboxAdminKey) : deleteResult.message}
            </p>
          )}
          {d.isDefaultNow ? (
            <p className="info">{t('deleteDefault')}</p>
          ) : d.conversationCount > 0 ? (
            <p className="info">{t('deleteBlocked', { n: d.conversationCount })}</p>
          ) : (
            <Form method="post" reloadDocument noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="delete" />
              <div className="field checkbox">
                <input
                  id="f-confirm"
                  type="checkbox"
                  name="confirm"
                  value="1"
                  aria-invalid={deleteResult?.fields.confirm ? true : undefined}
                  aria-describedby={deleteResult?.fields.confirm ? 'f-confirm-error' : undefined}
                />
                <label htmlFor="f-confirm">{t('deleteConfirm')}</label>
              </div>
              {deleteResult?.fields.confirm && (
                <p id="f-confirm-error" className="field-error">
                  <span className="visually-hidden">{t('errorPrefix')} </span>
                  {t('err_confirm')}
                </p>
              )}
              <button type="submit" className="danger">
                {t('deleteButton')}
              </button>
            </Form>
          )}
        </section>
      )}
    </>
  );
}

function SlaField({ t, name, label, value, unit, error }: { t: IT; name: string; label: string; value: string; unit: 'minutes' | 'hours'; error?: string }) {
  const id = fieldId(name);
  return (
    <fieldset className="field inbox-sla">
      <legend>{label}</legend>
      <div className="inbox-sla-row">
        <input
          id={id}
          name={name}
          type="number"
          min={1}
          inputMode="numeric"
          size={6}
          defaultValue={value}
          aria-label={label}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <select name={`${name}Unit`} defaultValue={unit} aria-label={t('slaUnit', { field: label })}>
          <option value="minutes">{t('unitMinutes')}</option>
          <option value="hours">{t('unitHours')}</option>
        </select>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{t('errorPrefix')} </span>
          {error}
        </p>
      )}
    </fieldset>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
