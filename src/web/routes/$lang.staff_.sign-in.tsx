import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAuth } from '../i18n/staff-auth.ts';
import { pageLang, safeNext, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AuthShell, ErrorSummary, Field } from '../staff/AuthShell.tsx';
import { authHeaders, authAction, formString, sessionCookieValue, type AuthFormFailure } from '../staff/auth.server.ts';

/** Staff sign-in with e-mail and password, and the tenant's OpenID Connect provider when it has one. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const url = new URL(request.url);
  const rawNext = url.searchParams.get('next') ?? '';
  if (context.actor.kind === 'staff') throw redirect(safeNext(rawNext, `/${lang}/staff`));
  const notice = url.searchParams.get('notice');
  const oidcError = url.searchParams.get('oidc_error');
  return {
    lang,
    next: safeNext(rawNext, ''),
    expired: url.searchParams.get('expired') === '1' || context.sessionStatus === 'expired',
    notice: notice === 'signed_out' || notice === 'password_reset' ? notice : null,
    oidcError: oidcError === 'unknown_person' || oidcError === 'failed' ? oidcError : null,
    oidcName: await context.services.staffAuth.oidc.displayName(context.tenant.id, lang),
  };
}

export const headers = authHeaders;

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const email = formString(form, 'email', 320);
  const password = formString(form, 'password');
  const next = safeNext(formString(form, 'next', 2000), `/${lang}/staff`);
  return authAction(lang, { email }, async () => {
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = 'required';
    if (!password) missing.password = 'required';
    if (Object.keys(missing).length) throw new AppError('validation_failed', 400, { fields: missing });
    const r = await context.services.staffAuth.signInWithPassword({ tenantId: context.tenant.id, email, password, ip: context.ip });
    // A session this browser held before (e.g. an abandoned TOTP step) ends with the new sign-in.
    const previous = sessionCookieValue(request);
    if (previous) await context.services.sessions.destroy(context.tenant.id, sha256(previous));
    const to = r.pendingSecondFactor ? `/${lang}/staff/sign-in/totp?next=${encodeURIComponent(next)}` : next;
    return redirect(to, { headers: { 'set-cookie': context.cookies.session(r.token) } });
  });
}

export default function StaffSignIn() {
  const { lang, next, expired, notice, oidcError, oidcName } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as AuthFormFailure | undefined;
  const t = translator(staffAuth, lang);
  const fields = failure?.fields ?? {};
  // Wrong credentials belong to both fields, so both are described by the summary.
  const summaryId = failure && failure.code !== 'validation_failed' ? 'form-errors' : undefined;
  return (
    <AuthShell title={t('signInTitle')}>
      {failure && <ErrorSummary message={failure.message} fields={fields} labels={{ email: t('email'), password: t('password') }} />}
      {!failure && expired && (
        <p className="notice" role="status">
          {t('sessionExpired')}
        </p>
      )}
      {!failure && notice === 'signed_out' && (
        <p className="notice" role="status">
          {t('signedOut')}
        </p>
      )}
      {!failure && notice === 'password_reset' && (
        <p className="notice" role="status">
          {t('passwordWasReset')}
        </p>
      )}
      {oidcError && (
        <div className="alert" role="alert">
          <p>{oidcError === 'unknown_person' ? t('oidcUnknownPerson') : t('oidcFailed')}</p>
        </div>
      )}
      <p>{t('signInIntro')}</p>
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <Field
          id="email"
          label={t('email')}
          type="email"
          autoComplete="username"
          inputMode="email"
          maxLength={320}
          error={fields.email}
          defaultValue={failure?.values.email}
          describedBy={summaryId}
        />
        <Field id="password" label={t('password')} type="password" autoComplete="current-password" error={fields.password} describedBy={summaryId} />
        <button type="submit">{t('signInButton')}</button>
      </Form>
      <p>
        <a href={`/${lang}/staff/forgot-password`}>{t('forgotLink')}</a>
      </p>
      {oidcName && (
        <>
          <p className="auth-or">{t('or')}</p>
          <p>
            <a className="button secondary" href={`/${lang}/staff/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
              {t('signInWith', { name: oidcName })}
            </a>
          </p>
        </>
      )}
    </AuthShell>
  );
}
