import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAuth } from '../i18n/staff-auth.ts';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AuthShell, ErrorSummary, Field } from '../staff/AuthShell.tsx';
import { authHeaders, authAction, formString, type AuthFormFailure } from '../staff/auth.server.ts';

/**
 * Sets a password from an e-mailed link: "forgot password" links and account invitations
 * (modules/identity/password-reset.ts) both land here.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const token = (new URL(request.url).searchParams.get('token') ?? '').slice(0, 200);
  const valid = token ? await context.services.staffAuth.resetTokenValid(context.tenant.id, token) : false;
  return { lang, token: valid ? token : '', valid };
}

export const headers = authHeaders;

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const token = formString(form, 'token', 200);
  return authAction(lang, { token }, async () => {
    await context.services.staffAuth.resetPassword({
      tenantId: context.tenant.id,
      token,
      password: formString(form, 'password'),
      confirm: formString(form, 'confirm'),
      ip: context.ip,
    });
    return redirect(`/${lang}/staff/sign-in?notice=password_reset`, { headers: { 'set-cookie': context.cookies.clearSession() } });
  });
}

export default function ResetPassword() {
  const { lang, token, valid } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as AuthFormFailure | undefined;
  const t = translator(staffAuth, lang);
  // After a failed post the loader sees no ?token; the form keeps the token it was sent with.
  const formToken = failure?.values.token ?? token;
  const usable = (valid || !!failure) && !!formToken && failure?.code !== 'invalid_token';
  return (
    <AuthShell title={t('resetTitle')}>
      {!usable ? (
        <>
          <div className="alert" role="alert">
            <p>{t('resetInvalid')}</p>
          </div>
          <p>
            <a href={`/${lang}/staff/forgot-password`}>{t('requestNewLink')}</a>
          </p>
        </>
      ) : (
        <>
          {failure && (
            <ErrorSummary message={failure.message} fields={failure.fields} labels={{ password: t('newPassword'), confirm: t('confirmPassword') }} />
          )}
          <p>{t('resetIntro')}</p>
          <Form method="post" reloadDocument noValidate>
            <CsrfField />
            <input type="hidden" name="token" value={formToken} />
            <Field id="password" label={t('newPassword')} hint={t('newPasswordHint')} type="password" autoComplete="new-password" error={failure?.fields.password} />
            <Field id="confirm" label={t('confirmPassword')} type="password" autoComplete="new-password" error={failure?.fields.confirm} />
            <button type="submit">{t('resetButton')}</button>
          </Form>
        </>
      )}
      <p>
        <a href={`/${lang}/staff/sign-in`}>{t('backToSignIn')}</a>
      </p>
    </AuthShell>
  );
}
