import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAuth } from '../i18n/staff-auth.ts';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AuthShell, ErrorSummary, Field } from '../staff/AuthShell.tsx';
import { authHeaders, authAction, formString, linkOrigin, type AuthFormFailure } from '../staff/auth.server.ts';

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  return { lang, sent: new URL(request.url).searchParams.get('sent') === '1' };
}

export const headers = authHeaders;

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const email = formString(form, 'email', 320);
  return authAction(lang, { email }, async () => {
    await context.services.staffAuth.requestPasswordReset({ tenant: context.tenant, email, lang, origin: linkOrigin(context), ip: context.ip });
    return redirect(`/${lang}/staff/forgot-password?sent=1`);
  });
}

export default function ForgotPassword() {
  const { lang, sent } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as AuthFormFailure | undefined;
  const t = translator(staffAuth, lang);
  return (
    <AuthShell title={t('forgotTitle')}>
      {sent ? (
        <p className="notice" role="status">
          {t('forgotSent')}
        </p>
      ) : (
        <>
          {failure && <ErrorSummary message={failure.message} fields={failure.fields} labels={{ email: t('email') }} />}
          <p>{t('forgotIntro')}</p>
          <Form method="post" reloadDocument noValidate>
            <CsrfField />
            <Field
              id="email"
              label={t('email')}
              type="email"
              autoComplete="username"
              inputMode="email"
              maxLength={320}
              error={failure?.fields.email}
              defaultValue={failure?.values.email}
              describedBy={failure && !failure.fields.email ? 'form-errors' : undefined}
            />
            <button type="submit">{t('forgotButton')}</button>
          </Form>
        </>
      )}
      <p>
        <a href={`/${lang}/staff/sign-in`}>{t('backToSignIn')}</a>
      </p>
    </AuthShell>
  );
}
