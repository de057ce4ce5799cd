import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { tenantSettingsInput } from '../../modules/tenancy/settings.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffOidc } from '../i18n/staff-oidc.ts';
import { AdminErrorBoundary, describedBy, errorText, FieldError, FormAlert, TextField, useAdminText } from '../staff/AdminParts.tsx';
import { fieldId, formCommand, formValues, requireConsoleRole, type FormFailure } from '../staff/admin-page.ts';
import type { ActionArgs, LoaderArgs } from '../server-helpers.ts';

/** Tenant settings (tenant admins): languages, names, theme, contact, statements. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const settings = await context.services.tenantSettings.get(context.tenant.id);
  const saved = new URL(request.url).searchParams.get('saved');
  return { lang, settings, saved: saved === '1' ? 'saved' : saved === '0' ? 'unchanged' : null };
}

/** The form's flat field names (theme.primary, names.sv, …) as the settings input shape. */
function formToInput(form: FormData) {
  const get = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const localized = (prefix: string) => {
    const out: Partial<Record<Lang, string>> = {};
    for (const l of LANGUAGES) {
      const v = get(`${prefix}.${l}`);
      if (v !== undefined) out[l] = v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  return {
    languages: form.getAll('languages').filter((v): v is string => typeof v === 'string'),
    defaultLanguage: get('defaultLanguage'),
    names: localized('names'),
    theme: { primary: get('theme.primary'), accent: get('theme.accent'), logoUrl: get('theme.logoUrl') },
    contact: { phone: get('contact.phone'), email: get('contact.email'), url: get('contact.url'), address: localized('contact.address') },
    accessibilityStatement: localized('accessibilityStatement'),
    privacyNotice: localized('privacyNotice'),
  };
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const form = await request.formData();
  return formCommand(
    lang,
    async () => {
      const input = parse(tenantSettingsInput, formToInput(form));
      const { changed, settings } = await context.services.tenantSettings.change(context.tenant.id, context.actor, input);
      // The page's own language may just have been switched off.
      const next = settings.languages.includes(lang) ? lang : settings.defaultLanguage;
      return redirect(`/${next}/staff/settings?saved=${changed.length ? 1 : 0}`);
    },
    formValues(form),
  );
}

const LANG_LABEL = { fi: 'langFi', sv: 'langSv', en: 'langEn' } as const;

export default function Settings() {
  const { lang, settings, saved } = useLoaderData<typeof loader>();
  const o = translator(staffOidc, lang);
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const t = useAdminText();
  const fields = failure?.fields;
  const submitted = failure?.values;
  // After a failed post the form shows what was typed, not what is stored.
  const value = (name: string, stored: string | undefined) => {
    const v = submitted?.[name];
    return typeof v === 'string' ? v : submitted ? '' : (stored ?? '');
  };
  const enabled = submitted ? [submitted.languages ?? []].flat() : settings.languages;
  const shown = settings.languages;
  const langName = (l: Lang) => t(LANG_LABEL[l]);

  const textField = (
    name: string,
    label: string,
    stored: string | undefined,
    opts: { hint?: string; type?: string; autoComplete?: string; lang?: Lang } = {},
  ) => (
    <TextField
      name={name}
      label={label}
      defaultValue={value(name, stored)}
      error={fields?.[name] ? errorText(t, fields[name]) : undefined}
      errorPrefix={t('errorPrefix')}
      {...opts}
    />
  );

  const textArea = (name: string, label: string, stored: string | undefined, l: Lang) => (
    <div className="field field-wide">
      <label htmlFor={fieldId(name)}>{label}</label>
      <textarea
        id={fieldId(name)}
        name={name}
        lang={l}
        rows={10}
        defaultValue={value(name, stored)}
        aria-invalid={fields?.[name] ? true : undefined}
        aria-describedby={describedBy(name, fields)}
      />
      <FieldError name={name} fields={fields} t={t} />
    </div>
  );

  return (
    <>
      <title>{t('settingsTitle')}</title>
      <h1>{t('settingsTitle')}</h1>
      <p>{t('settingsIntro')}</p>
      <p>
        <a href={`/${lang}/staff/settings/sign-in`}>{o('linkFromSettings')}</a>
      </p>
      {saved && !failure && (
        <div className="notice" role="status">
          <p>{saved === 'saved' ? t('settingsSaved') : t('settingsUnchanged')}</p>
        </div>
      )}
      <FormAlert message={failure?.message} fields={fields} t={t} />
      <Form method="post" reloadDocument noValidate className="settings-form">
        <CsrfField />
        <h2>{t('sectionLanguages')}</h2>
        <fieldset className="field" aria-describedby={fields?.languages ? `${fieldId('languages')}-error` : undefined}>
          <legend>{t('enabledLanguages')}</legend>
          {LANGUAGES.map((l) => (
            <div className="checkbox" key={l}>
              <input type="checkbox" id={fieldId(`languages-${l}`)} name="languages" value={l} defaultChecked={enabled.includes(l)} />
              <label htmlFor={fieldId(`languages-${l}`)}>{langName(l)}</label>
            </div>
          ))}
          <FieldError name="languages" fields={fields} t={t} />
        </fieldset>
        <div className="field">
          <label htmlFor={fieldId('defaultLanguage')}>{t('defaultLanguage')}</label>
          <p id={`${fieldId('defaultLanguage')}-hint`} className="hint">
            {t('defaultLanguageHint')}
          </p>
          <select
            id={fieldId('defaultLanguage')}
            name="defaultLanguage"
            defaultValue={value('defaultLanguage', settings.defaultLanguage)}
            aria-invalid={fields?.defaultLanguage ? true : undefined}
            aria-describedby={describedBy('defaultLanguage', fields, true)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {langName(l)}
              </option>
            ))}
          </select>
          <FieldError name="defaultLanguage" fields={fields} t={t} />
        </div>

        <h2>{t('sectionNames')}</h2>
        {shown.map((l) => (
          <div key={l}>{textField(`names.${l}`, t('nameIn', { language: langName(l) }), settings.names[l], { lang: l })}</div>
        ))}

        <h2>{t('sectionTheme')}</h2>
        {textField('theme.primary', t('primaryColour'), settings.theme.primary, { hint: t('primaryHint') })}
        {textField('theme.accent', t('accentColour'), settings.theme.accent, { hint: t('accentHint') })}
        {textField('theme.logoUrl', t('logoUrl'), settings.theme.logoUrl, { hint: t('logoHint'), type: 'url' })}

        <h2>{t('sectionContact')}</h2>
        {textField('contact.phone', t('phone'), settings.contact.phone, { type: 'tel' })}
        {textField('contact.email', t('email'), settings.contact.email, { type: 'email' })}
        {textField('contact.url', t('website'), settings.contact.url, { type: 'url', hint: t('websiteHint') })}
        {shown.map((l) => (
          <div key={l}>
            {textField(`contact.address.${l}`, t('addressIn', { language: langName(l) }), settings.contact.address?.[l], { lang: l })}
          </div>
        ))}

        <h2>{t('sectionStatements')}</h2>
        <p>{t('statementsIntro')}</p>
        {shown.map((l) => (
          <div key={l}>
            {textArea(
              `accessibilityStatement.${l}`,
              t('accessibilityIn', { language: langName(l) }),
              settings.accessibilityStatement[l],
              l,
            )}
          </div>
        ))}
        {shown.map((l) => (
          <div key={l}>{textArea(`privacyNotice.${l}`, t('privacyIn', { language: langName(l) }), settings.privacyNotice[l], l)}</div>
        ))}

        <p>
          <button type="submit">{t('saveSettings')}</button>
        </p>
      </Form>
    </>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
