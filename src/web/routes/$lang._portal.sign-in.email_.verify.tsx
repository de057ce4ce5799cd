import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { residentAuth } from '../i18n/resident-auth.ts';
import { pageLang, runAction, safeNext, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Weak identification, step 2: the code from the e-mail. ?c= names the challenge, not the address. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const url = new URL(request.url);
  const challengeId = url.searchParams.get('c') ?? '';
  const challenge = await context.services.residents.emailChallenge(context.tenant.id, challengeId);
  return { lang, challengeId, email: challenge?.email ?? null, next: safeNext(url.searchParams.get('next'), `/${lang}/my`) };
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const next = safeNext(String(form.get('next') ?? ''), `/${lang}/my`);
  return runAction(lang, async () => {
    const signed = await context.services.residents.verifyEmailCode(
      {
        tenantId: context.tenant.id,
        ip: context.ip,
        lang,
        // A signed-in browser (resident or staff) swaps its session; the old one must not linger.
        priorSessionId: context.actor.kind === 'resident' || context.actor.kind === 'staff' ? context.actor.sessionId : undefined,
      },
      form.get('c'),
      form.get('code'),
    );
    await context.services.inboxLinking.afterSignIn(context.tenant.id, signed.residentId, request.headers.get('cookie'));
    return redirect(next, { headers: { 'set-cookie': context.cookies.session(signed.sessionToken) } });
  });
}

export default function EmailVerify() {
  const { lang, challengeId, email, next } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = translator(residentAuth, lang);
  const newCode = (
    <p>
      <a href={`/${lang}/sign-in/email?next=${encodeURIComponent(next)}`}>{t('requestNewCode')}</a>
    </p>
  );
  if (!email) {
    return (
      <div className="narrow">
        <title>{t('verifyTitle')}</title>
        <h1>{t('verifyTitle')}</h1>
        <p className="alert" role="alert">
          {t('challengeGone')}
        </p>
        {newCode}
      </div>
    );
  }
  const codeError = failed && 'fields' in failed && failed.fields?.code ? t('codeInvalid') : null;
  return (
    <div className="narrow">
      <title>{t('verifyTitle')}</title>
      <h1>{t('verifyTitle')}</h1>
      <p role="status">{t('codeSentTo', { email })}</p>
      {failed && 'message' in failed && !codeError && (
        <p className="alert" role="alert">
          {failed.message}
        </p>
      )}
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <input type="hidden" name="c" value={challengeId} />
        <input type="hidden" name="next" value={next} />
        <div className="field">
          <label htmlFor="code">{t('codeLabel')}</label>
          <input
            id="code"
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            aria-invalid={codeError ? true : undefined}
            aria-describedby={codeError ? 'code-error' : undefined}
          />
          {codeError && (
            <p id="code-error" className="field-error" role="alert">
              {codeError}
            </p>
          )}
        </div>
        <button type="submit">{t('verifyButton')}</button>
      </Form>
      {newCode}
    </div>
  );
}
