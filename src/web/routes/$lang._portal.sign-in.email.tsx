import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { residentAuth } from '../i18n/resident-auth.ts';
import { pageLang, runAction, safeNext, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Weak identification, step 1: the address to send a one-time code to. */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  return { lang, next: safeNext(new URL(request.url).searchParams.get('next'), `/${lang}/my`) };
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const next = safeNext(String(form.get('next') ?? ''), `/${lang}/my`);
  return runAction(lang, async () => {
    const { challengeId } = await context.services.residents.requestEmailCode(
      { tenantId: context.tenant.id, ip: context.ip, lang },
      form.get('email'),
    );
    const q = new URLSearchParams({ c: challengeId, next });
    return redirect(`/${lang}/sign-in/email/verify?${q}`);
  });
}

/** A document response carries only the headers a route passes on: keep Retry-After of a 429. */
export function headers({ actionHeaders }: { actionHeaders: Headers }): Record<string, string> {
  const retry = actionHeaders.get('retry-after');
  return retry ? { 'retry-after': retry } : {};
}

export default function EmailSignIn() {
  const { lang, next } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = translator(residentAuth, lang);
  const emailError = failed && 'fields' in failed && failed.fields?.email ? t('emailInvalid') : null;
  return (
    <div className="narrow">
      <title>{t('emailPageTitle')}</title>
      <h1>{t('emailPageTitle')}</h1>
      <p>{t('emailPageIntro')}</p>
      {failed && 'message' in failed && (
        <p className="alert" role="alert">
          {emailError ? t('formErrors') : failed.message}
        </p>
      )}
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <div className="field">
          <label htmlFor="email">{t('emailLabel')}</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? 'email-error' : undefined}
          />
          {emailError && (
            <p id="email-error" className="field-error">
              {emailError}
            </p>
          )}
        </div>
        <button type="submit">{t('sendCode')}</button>
      </Form>
      <p>
        <a href={`/${lang}/sign-in?next=${encodeURIComponent(next)}`}>{t('otherMethods')}</a>
      </p>
    </div>
  );
}
