import { data, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { PortalNotFound } from '../components/PortalNotFound.tsx';
import { SubscriptionFields } from '../newsletters/preferences-form.tsx';
import { Alert, Notice, PRIVATE_HEADERS, useNlText } from '../newsletters/ui.tsx';
import { pageLang, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** The preference page, reached by the link in every mail: topics, frequency, language, unsubscribe. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const token = String(params.token ?? '');
  const s = await runLoader(() => context.services.subscriptions.view(context.tenant.id, token));
  const topics = (await context.services.newsroom.topics(context.tenant.id)).map((t) => {
    const n = pick(t.names, lang);
    return { slug: t.slug, name: n.text || t.slug, lang: n.lang };
  });
  const n = new URL(request.url).searchParams.get('notice');
  const notice = n === 'saved' || n === 'confirmed' ? n : null;
  return data(
    {
      lang,
      token,
      email: s.email,
      status: s.status,
      values: { topics: s.topics, frequency: s.frequency, language: s.language },
      unsubscribeToken: s.unsubscribeToken,
      topics,
      languages: context.tenant.languages,
      notice,
    },
    { headers: PRIVATE_HEADERS },
  );
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const token = String(params.token ?? '');
  const form = await request.formData();
  const values = { topics: form.getAll('topics').map(String), frequency: String(form.get('frequency') ?? ''), language: String(form.get('language') ?? lang) };
  try {
    const s = await context.services.subscriptions.update(context.tenant.id, token, values);
    const to = context.tenant.languages.includes(s.language) ? s.language : lang;
    return redirect(`/${to}/subscriptions/${token}?notice=saved`);
  } catch (e) {
    if (e instanceof AppError) {
      return data({ values, message: errorMessage(e.code, lang), fields: (e.details?.fields as Record<string, string> | undefined) ?? {} }, { status: e.status });
    }
    throw e;
  }
}

export function headers() {
  return PRIVATE_HEADERS;
}

export default function PreferencesPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useNlText();
  const lang: Lang = d.lang;
  const fields = result?.fields;
  return (
    <div className="narrow">
      <title>{t('prefsTitle')}</title>
      <h1>{t('prefsTitle')}</h1>
      <p>{t('prefsIntro', { email: d.email })}</p>
      {d.notice && <Notice>{t(d.notice === 'saved' ? 'prefsSaved' : 'prefsConfirmed')}</Notice>}
      {d.status === 'pending' && <Notice>{t('prefsPending')}</Notice>}
      {d.status === 'unsubscribed' && <Notice>{t('prefsUnsubscribed')}</Notice>}
      {result && <Alert>{fields && Object.keys(fields).length ? t('formErrors') : result.message}</Alert>}
      <form method="post" noValidate className="nl-form">
        <SubscriptionFields t={t} lang={lang} topics={d.topics} languages={d.languages} values={result?.values ?? d.values} fields={fields} />
        <button type="submit">{t('prefsSave')}</button>
      </form>
      {d.status !== 'unsubscribed' && (
        <section className="nl-unsubscribe" aria-labelledby="nl-unsub-heading">
          <h2 id="nl-unsub-heading">{t('unsubscribeAllLegend')}</h2>
          <p>{t('unsubscribeAllText')}</p>
          {/* The one-click endpoint: the token is the authority, so no CSRF field is needed. */}
          <form method="post" action={`/unsubscribe/${d.unsubscribeToken}`}>
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <input type="hidden" name="from" value="page" />
            <button type="submit" className="secondary">
              {t('unsubscribeButton')}
            </button>
          </form>
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <PortalNotFound />;
}
