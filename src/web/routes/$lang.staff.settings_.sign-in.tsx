import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { OIDC_CALLBACK_PATH } from '../../modules/identity/oidc.ts';
import { oidcSettingsInput } from '../../modules/identity/oidc-settings.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffOidc, type StaffOidcKey } from '../i18n/staff-oidc.ts';
import { useLang } from '../root.tsx';
import { AdminErrorBoundary, TextField } from '../staff/AdminParts.tsx';
import { fieldId, formCommand, requireConsoleRole, type FormFailure } from '../staff/admin-page.ts';
import type { ActionArgs, LoaderArgs } from '../server-helpers.ts';

/**
 * The tenant's OpenID Connect provider for staff sign-in (tenant admins). The file name
 * ends the settings segment with `_` so the page renders in the console layout on its own,
 * not inside the settings page. The client secret is write-only: never sent to the browser.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const settings = await context.services.staffAuth.oidcSettings.get(context.tenant.id);
  const saved = new URL(request.url).searchParams.get('saved');
  return {
    lang,
    settings,
    redirectUri: `${context.origin}${OIDC_CALLBACK_PATH}`,
    saved: saved === '1' ? 'saved' : saved === '0' ? 'unchanged' : null,
  };
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const form = await request.formData();
  const get = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  // What is shown again after a failed post: everything typed except the secret.
  const values: Record<string, string> = { enabled: get('enabled') === '1' ? '1' : '' };
  for (const k of ['issuer', 'clientId', ...LANGUAGES.map((l) => `displayName.${l}`)]) values[k] = get(k) ?? '';
  return formCommand(
    lang,
    async () => {
      const input = parse(oidcSettingsInput, {
        enabled: get('enabled') === '1',
        issuer: get('issuer'),
        clientId: get('clientId'),
        clientSecret: get('clientSecret'),
        displayName: Object.fromEntries(LANGUAGES.map((l) => [l, get(`displayName.${l}`) ?? ''])),
      });
      const { changed } = await context.services.staffAuth.oidcSettings.change(context.tenant.id, context.actor, input);
      return redirect(`/${lang}/staff/settings/sign-in?saved=${changed.length ? 1 : 0}`);
    },
    values,
  );
}

const LANG_LABEL = { fi: 'langFi', sv: 'langSv', en: 'langEn' } as const;

export default function OidcSettings() {
  const { lang, settings, redirectUri, saved } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const t = translator(staffOidc, useLang());
  const fields = failure?.fields;
  const submitted = failure?.values as Record<string, string> | undefined;
  const value = (name: string, stored: string | undefined) => (submitted ? (submitted[name] ?? '') : (stored ?? ''));
  const enabled = submitted ? submitted.enabled === '1' : settings.enabled;
  const errorText = (code: string) => {
    const key = `err_${code}` as StaffOidcKey;
    return key in staffOidc.fi ? t(key) : t('err_invalid');
  };
  const secretHint = !settings.clientSecretSet ? t('secretMissing') : settings.clientSecretReadable ? t('secretStored') : t('secretUnreadable');

  const textField = (name: string, label: string, stored: string | undefined, opts: { hint?: string; type?: string; lang?: Lang; autoComplete?: string } = {}) => (
    <TextField
      name={name}
      label={label}
      defaultValue={value(name, stored)}
      error={fields?.[name] ? errorText(fields[name]) : undefined}
      errorPrefix={t('errorPrefix')}
      spellCheck={false}
      {...opts}
    />
  );

  return (
    <>
      <title>{t('title')}</title>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <p>
        <a href={`/${lang}/staff/settings`}>{t('backToSettings')}</a>
      </p>
      {saved && !failure && (
        <div className="notice" role="status">
          <p>{saved === 'saved' ? t('saved') : t('unchanged')}</p>
        </div>
      )}
      {failure && (
        <div className="alert" role="alert">
          <p>{fields && Object.keys(fields).length ? t('formErrors') : failure.message}</p>
        </div>
      )}
      <p data-testid="oidc-status">{!settings.configured ? t('statusNone') : settings.enabled ? t('statusOn') : t('statusOff')}</p>

      <h2>{t('redirectTitle')}</h2>
      <p>{t('redirectIntro')}</p>
      <p>
        <code data-testid="oidc-redirect-uri">{redirectUri}</code>
      </p>

      <Form method="post" reloadDocument noValidate className="settings-form">
        <CsrfField />
        <h2>{t('sectionProvider')}</h2>
        <div className="field">
          <div className="checkbox">
            <input
              type="checkbox"
              id={fieldId('enabled')}
              name="enabled"
              value="1"
              defaultChecked={enabled}
              aria-describedby={`${fieldId('enabled')}-hint`}
            />
            <label htmlFor={fieldId('enabled')}>{t('enabled')}</label>
          </div>
          <p id={`${fieldId('enabled')}-hint`} className="hint">
            {t('enabledHint')}
          </p>
        </div>
        {textField('issuer', t('issuer'), settings.issuer, { hint: t('issuerHint'), type: 'url' })}
        {textField('clientId', t('clientId'), settings.clientId)}
        {/* Write-only: never filled in; new-password keeps browsers from offering the admin's own password. */}
        {textField('clientSecret', t('clientSecret'), undefined, { hint: secretHint, type: 'password', autoComplete: 'new-password' })}

        <h2>{t('sectionNames')}</h2>
        <p>{t('namesIntro')}</p>
        {LANGUAGES.map((l) => (
          <div key={l}>{textField(`displayName.${l}`, t('nameIn', { language: t(LANG_LABEL[l]) }), settings.displayName[l], { lang: l })}</div>
        ))}

        <p>
          <button type="submit">{t('save')}</button>
        </p>
      </Form>
    </>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
