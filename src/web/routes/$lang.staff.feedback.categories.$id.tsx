import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { serviceOptions } from '../../modules/feedback/console.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { requireConsoleRole } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import {
  ATTRIBUTE_DATATYPES,
  emptyAttr,
  inputFromState,
  LOCATION_MODES,
  stateFromCategory,
  stateFromForm,
  type CategoryState,
} from '../staff/feedback-category-form.ts';
import { errText, FbBreadcrumbs, FbField, FbNotice, FbProblem, useFbText, type FT } from '../staff/feedback-ui.tsx';
import type { FeedbackStaffKey } from '../i18n/feedback-staff.ts';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One feedback category (id "new" creates one): names and descriptions in fi/sv/en, the
 * responsible unit, an optional catalog service, location mode, publishing, accessibility
 * (the service refuses an SLA over 14 days for it), SLA, order, active, and the extra
 * fields as repeated fieldsets. "Add extra field" posts the form back with one more empty
 * fieldset, so the editor works without JavaScript. Tenant admins only.
 */
type Result = { kind: 'state'; state: CategoryState; message?: string; fields?: Record<string, string> };

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const s = context.services;
  return runLoader(async () => {
    const isNew = params.id === 'new';
    const [category, units, services] = await Promise.all([
      isNew ? Promise.resolve(null) : s.feedbackCategories.get(context.actor, context.tenant.id, params.id ?? ''),
      s.orgUnits.rows(context.tenant.id, lang),
      serviceOptions(s.db, context.tenant.id),
    ]);
    return {
      lang,
      isNew,
      saved: new URL(request.url).searchParams.get('notice') === 'saved',
      state: stateFromCategory(category, { orgUnitId: units[0]?.id ?? '' }),
      units: units.map((u) => ({ id: u.id, name: pick(u.names, lang).text, depth: u.depth })),
      services: services.map((x) => ({ id: x.id, name: pick(x.names, lang).text })),
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const form = await request.formData();
  const state = stateFromForm(form);
  if (form.get('intent') === 'add_attribute') {
    state.attributes.push(emptyAttr(state.attributes.length + 1));
    return { kind: 'state', state } satisfies Result;
  }
  const cats = context.services.feedbackCategories;
  try {
    const input = inputFromState(state);
    if (params.id === 'new') {
      const c = await cats.create(context.actor, context.tenant.id, input, { ip: context.ip });
      return redirect(`/${lang}/staff/feedback/categories/${c.id}?notice=saved`);
    }
    // The code is not editable after creation: Open311 clients keep service_code.
    const { code: _code, ...patch } = input;
    await cats.update(context.actor, context.tenant.id, params.id ?? '', { ...patch, updatedAt: state.updatedAt }, { ip: context.ip });
    return redirect(`/${lang}/staff/feedback/categories/${params.id}?notice=saved`);
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    return data({ kind: 'state', state, message: Object.keys(fields).length ? undefined : errorMessage(e.code, lang), fields } satisfies Result, { status: e.status });
  }
}

const LANG_KEY: Record<Lang, FeedbackStaffKey> = { fi: 'langFi', sv: 'langSv', en: 'langEn' };

export default function CategoryEdit() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as Result | undefined;
  const t = useFbText();
  const { lang } = d;
  const st = result?.state ?? d.state;
  const fields = result?.fields ?? {};
  const err = (name: string) => {
    const code = fields[name] ?? Object.entries(fields).find(([k]) => k.startsWith(`${name}.`))?.[1];
    return errText(t, code);
  };
  const hasErrors = Object.keys(fields).length > 0 || result?.message;
  const title = d.isNew ? t('newCategory') : `${t('editCategory')}: ${st.names[lang] || st.code}`;
  return (
    <>
      <title>{title}</title>
      <FbBreadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/feedback/categories`, label: t('categoriesTitle') }, { label: title }]}
      />
      <h1>{title}</h1>
      {d.saved && !result && <FbNotice>{t('saved')}</FbNotice>}
      {hasErrors && <FbProblem message={result?.message ?? (fields.updatedAt === 'stale' ? t('err_stale') : t('formError'))} />}
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <input type="hidden" name="updatedAt" value={st.updatedAt} />
        <input type="hidden" name="attrCount" value={st.attributes.length} />
        <FbField id="code" label={t('fieldCode')} error={err('code')} t={t}>
          {(aria) => <input {...aria} name="code" type="text" defaultValue={st.code} readOnly={!d.isNew} maxLength={63} autoComplete="off" />}
        </FbField>
        <Localized t={t} prefix="names" label={t('fieldNames')} value={st.names} error={err('names')} />
        <Localized t={t} prefix="descriptions" label={t('fieldDescriptions')} value={st.descriptions} error={err('descriptions')} area />
        <FbField id="orgUnitId" label={t('fieldUnit')} error={err('orgUnitId')} t={t}>
          {(aria) => (
            <select {...aria} name="orgUnitId" defaultValue={st.orgUnitId}>
              {d.units.map((u) => (
                <option key={u.id} value={u.id}>
                  {'\u00a0'.repeat(u.depth * 2)}
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </FbField>
        <FbField id="serviceId" label={t('fieldService')} error={err('serviceId')} t={t}>
          {(aria) => (
            <select {...aria} name="serviceId" defaultValue={st.serviceId}>
              <option value="">{t('noService')}</option>
              {d.services.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </FbField>
        <FbField id="locationMode" label={t('fieldLocation')} error={err('locationMode')} t={t}>
          {(aria) => (
            <select {...aria} name="locationMode" defaultValue={st.locationMode}>
              {LOCATION_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`location_${m}`)}
                </option>
              ))}
            </select>
          )}
        </FbField>
        <Check name="allowPublic" label={t('fieldAllowPublic')} checked={st.allowPublic} />
        <Check name="accessibility" label={t('fieldAccessibility')} checked={st.accessibility} />
        <FbField id="slaDays" label={t('fieldSla')} error={err('slaDays')} t={t}>
          {(aria) => <input {...aria} name="slaDays" type="number" min={1} max={365} defaultValue={st.slaDays} inputMode="numeric" />}
        </FbField>
        <FbField id="sortOrder" label={t('fieldOrder')} error={err('sortOrder')} t={t}>
          {(aria) => <input {...aria} name="sortOrder" type="number" min={0} max={10000} defaultValue={st.sortOrder} inputMode="numeric" />}
        </FbField>
        <Check name="active" label={t('fieldActive')} checked={st.active} />

        <h2>{t('attributesTitle')}</h2>
        {st.attributes.map((a, i) => {
          const p = `attr.${i}`;
          const aerr = (f: string) => err(`attributes.${i}.${f}`);
          return (
            <fieldset key={`${i}-${a.code}`} className="fb-attr">
              <legend>{t('attributeN', { n: i + 1 })}</legend>
              <FbField id={`${p}.code`} label={t('attrCode')} error={aerr('code')} t={t}>
                {(aria) => <input {...aria} name={`${p}.code`} type="text" defaultValue={a.code} maxLength={40} autoComplete="off" />}
              </FbField>
              <FbField id={`${p}.datatype`} label={t('attrDatatype')} error={aerr('datatype')} t={t}>
                {(aria) => (
                  <select {...aria} name={`${p}.datatype`} defaultValue={a.datatype}>
                    {ATTRIBUTE_DATATYPES.map((dt) => (
                      <option key={dt} value={dt}>
                        {t(`dt_${dt}`)}
                      </option>
                    ))}
                  </select>
                )}
              </FbField>
              <Check name={`${p}.required`} label={t('attrRequired')} checked={a.required} />
              <FbField id={`${p}.order`} label={t('attrOrder')} error={aerr('order')} t={t}>
                {(aria) => <input {...aria} name={`${p}.order`} type="number" min={0} max={1000} defaultValue={a.order} inputMode="numeric" />}
              </FbField>
              <Localized t={t} prefix={`${p}.description`} label={t('attrQuestion')} value={a.description} error={aerr('description')} />
              <FbField id={`${p}.values`} label={t('attrValues')} error={aerr('values')} t={t}>
                {(aria) => <textarea {...aria} name={`${p}.values`} rows={3} defaultValue={a.values} />}
              </FbField>
              <Check name={`${p}.remove`} label={t('attrRemove')} checked={false} />
            </fieldset>
          );
        })}
        <div className="fb-buttons">
          <button type="submit" name="intent" value="add_attribute" className="secondary">
            {t('addAttribute')}
          </button>
          <button type="submit" name="intent" value="save">
            {d.isNew ? t('create') : t('save')}
          </button>
        </div>
      </Form>
    </>
  );
}

function Localized({ t, prefix, label, value, error, area }: { t: FT; prefix: string; label: string; value: Record<Lang, string>; error?: string; area?: boolean }) {
  return (
    <fieldset className="field">
      <legend>{label}</legend>
      {error && (
        <p className="field-error">
          <span className="visually-hidden">{t('errorPrefix')} </span>
          {error}
        </p>
      )}
      {LANGUAGES.map((l) => (
        <FbField key={l} id={`${prefix}.${l}`} label={`${label} (${t(LANG_KEY[l])})`} t={t}>
          {(aria) =>
            area ? (
              <textarea {...aria} name={`${prefix}.${l}`} rows={2} lang={l} defaultValue={value[l]} />
            ) : (
              <input {...aria} name={`${prefix}.${l}`} type="text" lang={l} defaultValue={value[l]} />
            )
          }
        </FbField>
      ))}
    </fieldset>
  );
}

function Check({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  const id = `f-${name.replace(/[^a-zA-Z0-9]+/g, '-')}`;
  return (
    <div className="field checkbox">
      <input id={id} type="checkbox" name={name} value="1" defaultChecked={checked} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
