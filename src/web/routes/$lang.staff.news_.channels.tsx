import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { LANGUAGES, pick } from '../../platform/i18n.ts';
import { formObject } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Field, Notice } from '../staff/catalog-edit-ui.tsx';
import { Checks, DeliveryTable, distError, LanguageOptions, SOCIAL_KINDS, topicOptions, useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import type { DistributionKey } from '../i18n/distribution.ts';

/**
 * Distribution channels: Mastodon and the generic webhook (on/off, what goes out), the
 * connection tests, and the latest deliveries across items. Addresses, the token and the
 * secret are the tenant admin's; the secrets are never shown back, only whether one is set.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  return runLoader(async () => {
    const s = context.services;
    const [settings, recent, topics] = await Promise.all([
      s.distribution.settings(context.actor, context.tenant.id),
      s.distribution.recent(context.actor, context.tenant.id, 30),
      s.newsroom.topics(context.tenant.id),
    ]);
    const notice = new URL(request.url).searchParams.get('notice') === 'saved' ? ('notice_channelsSaved' as const) : null;
    return {
      lang,
      settings,
      recent,
      topics: topics.map((x) => ({ slug: x.slug, name: pick(x.names, lang) })),
      notice,
    };
  });
}

type Outcome =
  | { kind: 'test'; channel: string; ok: boolean; account?: string; error?: string }
  | { kind: 'failed'; message: string; fields: Record<string, string> };

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const form = await request.formData();
  const v = formObject(form);
  const s = context.services.distribution;
  const ctx = { ip: context.ip };
  try {
    if (v.intent === 'test-mastodon' || v.intent === 'test-webhook') {
      const channel = v.intent === 'test-mastodon' ? 'mastodon' : 'webhook';
      const r = await s.testConnection(context.actor, context.tenant.id, channel, ctx);
      return data<Outcome>({ kind: 'test', channel, ...r });
    }
    const current = await s.settings(context.actor, context.tenant.id);
    const kinds = (name: string) => form.getAll(name).map(String) as (typeof SOCIAL_KINDS)[number][];
    await s.saveSettings(
      context.actor,
      context.tenant.id,
      {
        mastodonEnabled: v.mastodonEnabled === 'on',
        mastodonVisibility: v.mastodonVisibility as 'public',
        mastodonLanguage: v.mastodonLanguage as 'fi',
        mastodonKinds: kinds('mastodonKinds'),
        mastodonTopics: form.getAll('mastodonTopics').map(String),
        webhookEnabled: v.webhookEnabled === 'on',
        webhookKinds: kinds('webhookKinds'),
        // Only a tenant admin's form carries the addresses and secrets.
        ...(current.canEditSecrets
          ? { mastodonUrl: v.mastodonUrl ?? '', mastodonToken: v.mastodonToken ?? '', webhookUrl: v.webhookUrl ?? '', webhookSecret: v.webhookSecret ?? '' }
          : {}),
      },
      ctx,
    );
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if ((e.status === 401 || e.status === 403 || e.status === 404) && !e.details?.fields) throw data({ code: e.code }, { status: e.status });
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    return data<Outcome>({ kind: 'failed', message: errorMessage(e.code, lang), fields }, { status: e.status });
  }
  return redirect(`/${lang}/staff/news/channels?notice=saved`);
}

export default function Channels() {
  const d = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const t = useDistText();
  const { lang, settings: s } = d;
  const fields = outcome?.kind === 'failed' ? outcome.fields : {};
  const locked = !s.canEditSecrets;
  const kindOptions = SOCIAL_KINDS.map((k) => ({ value: k, label: { text: t(`kind_${k}` as DistributionKey), lang } }));
  return (
    <>
      <title>{t('chTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/news`, label: t('newsroom') }, { label: t('chTitle') }]} />
      <h1>{t('chTitle')}</h1>
      <p>{t('chIntro')}</p>
      {d.notice && <Notice>{t(d.notice)}</Notice>}
      {outcome?.kind === 'failed' && (
        <div className="alert" role="alert">
          <p>{Object.keys(fields).length ? t('formErrors') : outcome.message}</p>
        </div>
      )}
      {outcome?.kind === 'test' &&
        (outcome.ok ? (
          <Notice>{outcome.account ? t('chTestOkAccount', { account: outcome.account }) : t('chTestOk')}</Notice>
        ) : (
          <div className="alert" role="alert">
            <p>{t('chTestFailed', { error: outcome.error ?? '' })}</p>
          </div>
        ))}
      {locked && <p className="info">{t('chAdminOnly')}</p>}
      <Form method="post" action={`/${lang}/staff/news/channels`} reloadDocument noValidate className="dist-form">
        <CsrfField />
        <section aria-labelledby="ch-mastodon" className="dist-channel">
          <h2 id="ch-mastodon">{t('chMastodon')}</h2>
          <p>{t('chMastodonIntro')}</p>
          <div className="checkbox">
            <input type="checkbox" id="mastodonEnabled" name="mastodonEnabled" defaultChecked={s.mastodon.enabled} />
            <label htmlFor="mastodonEnabled">{t('chEnabled')}</label>
          </div>
          <Field name="mastodonUrl" label={t('chUrl')} hint={t('chUrlHint')} error={distError(t, fields.mastodonUrl)} t={t}>
            {(a) => <input {...a} type="url" defaultValue={s.mastodon.url} readOnly={locked} autoComplete="off" spellCheck={false} />}
          </Field>
          <Field name="mastodonToken" label={t('chToken')} hint={s.mastodon.tokenSet ? t('chTokenSet') : t('chTokenNotSet')} error={distError(t, fields.mastodonToken)} t={t}>
            {(a) => <input {...a} type="password" defaultValue="" readOnly={locked} autoComplete="new-password" spellCheck={false} />}
          </Field>
          <Field name="mastodonVisibility" label={t('chVisibility')} error={distError(t, fields.mastodonVisibility)} t={t}>
            {(a) => (
              <select {...a} defaultValue={s.mastodon.visibility}>
                {(['public', 'unlisted', 'private'] as const).map((x) => (
                  <option key={x} value={x}>
                    {t(`vis_${x}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="mastodonLanguage" label={t('chLanguage')} t={t}>
            {(a) => (
              <select {...a} defaultValue={s.mastodon.language}>
                <LanguageOptions languages={LANGUAGES} t={t} />
              </select>
            )}
          </Field>
          <Checks name="mastodonKinds" legend={t('chKinds')} options={kindOptions} chosen={s.mastodon.kinds} lang={lang} />
          <Checks
            name="mastodonTopics"
            legend={t('chTopics')}
            hint={t('chTopicsHint')}
            error={distError(t, fields.mastodonTopics)}
            options={topicOptions(d.topics)}
            chosen={s.mastodon.topics}
            lang={lang}
          />
        </section>
        <section aria-labelledby="ch-webhook" className="dist-channel">
          <h2 id="ch-webhook">{t('chWebhook')}</h2>
          <p>{t('chWebhookIntro')}</p>
          <div className="checkbox">
            <input type="checkbox" id="webhookEnabled" name="webhookEnabled" defaultChecked={s.webhook.enabled} />
            <label htmlFor="webhookEnabled">{t('chEnabled')}</label>
          </div>
          <Field name="webhookUrl" label={t('chWebhookUrl')} error={distError(t, fields.webhookUrl)} t={t}>
            {(a) => <input {...a} type="url" defaultValue={s.webhook.url} readOnly={locked} autoComplete="off" spellCheck={false} />}
          </Field>
          <Field name="webhookSecret" label={t('chSecret')} hint={s.webhook.secretSet ? t('chSecretSet') : t('chSecretNotSet')} error={distError(t, fields.webhookSecret)} t={t}>
            {(a) => <input {...a} type="password" defaultValue="" readOnly={locked} autoComplete="new-password" spellCheck={false} />}
          </Field>
          <Checks name="webhookKinds" legend={t('chKinds')} options={kindOptions} chosen={s.webhook.kinds} lang={lang} />
        </section>
        <p>
          <button type="submit" name="intent" value="save">
            {t('chSave')}
          </button>
        </p>
      </Form>
      <Form method="post" action={`/${lang}/staff/news/channels`} reloadDocument className="dist-tests">
        <CsrfField />
        <button type="submit" name="intent" value="test-mastodon" className="secondary" disabled={!s.mastodon.tokenSet}>
          {t('chTestMastodon')}
        </button>{' '}
        <button type="submit" name="intent" value="test-webhook" className="secondary" disabled={!s.webhook.secretSet}>
          {t('chTestWebhook')}
        </button>
      </Form>
      <h2>{t('chRecent')}</h2>
      {d.recent.length === 0 ? <p>{t('chRecentEmpty')}</p> : <DeliveryTable deliveries={d.recent} t={t} lang={lang} showItem caption={t('chRecent')} />}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
