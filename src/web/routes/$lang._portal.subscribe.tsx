import { data, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { SubscriptionFields } from '../newsletters/preferences-form.tsx';
import { Alert, ErrorLine, fieldError, Notice, useNlText } from '../newsletters/ui.tsx';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Subscribing to news by e-mail (double opt-in); a plain form, no JavaScript needed. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const topics = (await context.services.newsroom.topics(context.tenant.id)).map((t) => {
    const n = pick(t.names, lang);
    return { slug: t.slug, name: n.text || t.slug, lang: n.lang };
  });
  const sent = new URL(request.url).searchParams.get('sent') === '1';
  return data({ lang, topics, languages: context.tenant.languages, sent }, { headers: { 'cache-control': 'private, no-store' } });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const values = {
    email: String(form.get('email') ?? ''),
    topics: form.getAll('topics').map(String),
    frequency: String(form.get('frequency') ?? ''),
    language: String(form.get('language') ?? lang),
  };
  try {
    await context.services.subscriptions.subscribe(context.tenant.id, values, { ip: context.ip, origin: context.origin });
  } catch (e) {
    if (e instanceof AppError) {
      return data(
        { values, message: errorMessage(e.code, lang), fields: (e.details?.fields as Record<string, string> | undefined) ?? {} },
        { status: e.status, headers: e.headers },
      );
    }
    throw e;
  }
  return redirect(`/${lang}/subscribe?sent=1`);
}

export default function SubscribePage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useNlText();
  const lang: Lang = d.lang;
  const fields = result?.fields;
  const emailError = fieldError(t, fields, 'email');
  const values = result?.values ?? { email: '', topics: [], frequency: 'instant', language: lang };
  return (
    <div className="narrow">
      <title>{t('subscribeTitle')}</title>
      <h1>{t('subscribeTitle')}</h1>
      {d.sent ? (
        <Notice>
          <strong>{t('checkMailTitle')}.</strong> {t('checkMailText')}
        </Notice>
      ) : (
        <p>{t('subscribeIntro')}</p>
      )}
      {result && <Alert>{fields && Object.keys(fields).length ? t('formErrors') : result.message}</Alert>}
      <form method="post" noValidate className="nl-form">
        <div className="field">
          <label htmlFor="nl-email">{t('emailLabel')}</label>
          <input
            id="nl-email"
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={values.email}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? 'nl-email-error' : undefined}
          />
          <ErrorLine id="nl-email-error" text={emailError} t={t} />
        </div>
        <SubscriptionFields t={t} lang={lang} topics={d.topics} languages={d.languages} values={values} fields={fields} />
        <p className="hint">{t('privacyNote')}</p>
        <button type="submit">{t('subscribeButton')}</button>
      </form>
    </div>
  );
}
