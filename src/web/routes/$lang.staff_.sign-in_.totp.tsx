import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAuth } from '../i18n/staff-auth.ts';
import { pageLang, safeNext, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AuthShell, ErrorSummary, Field } from '../staff/AuthShell.tsx';
import { authHeaders, authAction, formString, sessionCookieValue, type AuthFormFailure } from '../staff/auth.server.ts';

/** Second step of a password sign-in for accounts with TOTP: the pending session asks for a code. */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const url = new URL(request.url);
  const next = safeNext(url.searchParams.get('next'), `/${lang}/staff`);
  if (context.actor.kind === 'staff') throw redirect(next);
  if (!context.pendingSecondFactor) throw redirect(`/${lang}/staff/sign-in${context.sessionStatus === 'expired' ? '?expired=1' : ''}`);
  return { lang, next };
}

export const headers = authHeaders;

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const next = safeNext(formString(form, 'next', 2000), `/${lang}/staff`);
  const code = formString(form, 'code', 20);
  const s = await context.services.sessions.lookup(context.tenant.id, sessionCookieValue(request));
  if (s.status !== 'valid' || !s.pendingSecondFactor || s.actor.kind !== 'staff') throw redirect(`/${lang}/staff/sign-in`);
  const user = s.actor.user;
  return authAction(lang, {}, async () => {
    if (!code.trim()) throw new AppError('validation_failed', 400, { fields: { code: 'required' } });
    const { token } = await context.services.staffAuth.completeSecondFactor({ tenantId: context.tenant.id, sessionId: s.sessionId, user, code, ip: context.ip });
    // A new session token replaces the pending one (session fixation).
    return redirect(next, { headers: { 'set-cookie': context.cookies.session(token) } });
  });
}

export default function StaffSignInTotp() {
  const { lang, next } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as AuthFormFailure | undefined;
  const t = translator(staffAuth, lang);
  return (
    <AuthShell title={t('totpTitle')}>
      {failure && <ErrorSummary message={failure.message} fields={failure.fields} labels={{ code: t('totpCode') }} />}
      <p>{t('totpIntro')}</p>
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <Field
          id="code"
          label={t('totpCode')}
          hint={t('totpHint')}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={6}
          pattern="[0-9]{6}"
          error={failure?.fields.code}
          describedBy={failure && !failure.fields.code ? 'form-errors' : undefined}
        />
        <button type="submit">{t('continue')}</button>
      </Form>
      <Form method="post" action={`/${lang}/staff/sign-out`} reloadDocument>
        <CsrfField />
        <button type="submit" className="link-button">
          {t('cancelSignIn')}
        </button>
      </Form>
    </AuthShell>
  );
}
