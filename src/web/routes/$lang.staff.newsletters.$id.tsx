import { useEffect } from 'react';
import { data, redirect, useActionData, useLoaderData, useRevalidator } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { Alert, ChoiceGroup, ErrorLine, fieldError, langLabel, Notice, useNlText, type NT } from '../newsletters/ui.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, when } from '../staff/catalog-edit-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One newsletter: /new and ?edit=1 show the compose form (items, intro and subject per
 * language, segment, rate); otherwise previews, test send, sending with live progress,
 * pause and resume, and the report. Every step is a plain form post.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  const tenantId = context.tenant.id;
  return runLoader(async () => {
    const url = new URL(request.url);
    const isNew = params.id === 'new';
    const campaign = isNew ? null : await s.newsletters.get(context.actor, tenantId, String(params.id));
    const editing = isNew || (campaign?.state === 'draft' && url.searchParams.get('edit') === '1');
    const items = editing ? await s.newsletters.pickableItems(context.actor, tenantId, lang) : [];
    const chosen = campaign ? await Promise.all(campaign.itemIds.map((id) => s.newsroom.load(tenantId, id))) : [];
    const topics = (await s.newsroom.topics(tenantId)).map((t) => ({ slug: t.slug, name: pick(t.names, lang) }));
    const n = url.searchParams.get('notice');
    const notices = ['created', 'started', 'paused', 'resumed', 'testSent'] as const;
    return {
      lang,
      isNew,
      editing,
      languages: context.tenant.languages,
      defaultRate: s.config.NEWSLETTER_RATE_PER_SECOND,
      campaign,
      chosen: chosen.filter((i) => i).map((i) => ({ id: i!.id, title: pick(i!.title, lang) })),
      items: items.map((i) => ({ id: i.id, title: pick(i.title, lang), publishedAt: i.publishedAt })),
      topics,
      segmentSize: campaign && campaign.state === 'draft' ? await s.newsletters.segmentSize(tenantId, campaign.segmentTopics, campaign.segmentLanguages) : null,
      notice: notices.find((x) => x === n) ?? null,
      testEmail: url.searchParams.get('to') ?? '',
    };
  });
}

type Values = { subjects: Localized; intros: Localized; itemIds: string[]; segmentTopics: string[]; segmentLanguages: string[]; rate: string };

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services.newsletters;
  const tenantId = context.tenant.id;
  const actor = context.actor;
  const form = await request.formData();
  const intent = String(form.get('intent') ?? 'save');
  const id = String(params.id);
  const base = `/${lang}/staff/newsletters`;
  const ctx = { ip: context.ip, origin: context.origin };
  const values: Values = {
    subjects: Object.fromEntries(LANGUAGES.map((l) => [l, String(form.get(`subject_${l}`) ?? '')])),
    intros: Object.fromEntries(LANGUAGES.map((l) => [l, String(form.get(`intro_${l}`) ?? '')])),
    itemIds: form.getAll('itemIds').map(String),
    segmentTopics: form.getAll('segmentTopics').map(String),
    segmentLanguages: form.getAll('segmentLanguages').map(String),
    rate: String(form.get('rate') ?? '').trim(),
  };
  try {
    switch (intent) {
      case 'save': {
        const rate = values.rate === '' ? null : Number(values.rate.replace(',', '.'));
        const body = { subjects: values.subjects, intros: values.intros, itemIds: values.itemIds, segmentTopics: values.segmentTopics, segmentLanguages: values.segmentLanguages, ratePerSecond: rate };
        const c = id === 'new' ? await s.create(actor, tenantId, body, ctx) : await s.update(actor, tenantId, id, body, ctx);
        return redirect(`${base}/${c.id}?notice=created`);
      }
      case 'test': {
        const email = String(form.get('testEmail') ?? '').trim();
        await s.testSend(actor, tenantId, id, { email, language: String(form.get('testLanguage') ?? lang) }, ctx);
        return redirect(`${base}/${id}?notice=testSent&to=${encodeURIComponent(email)}`);
      }
      case 'send':
        await s.start(actor, tenantId, id, ctx);
        return redirect(`${base}/${id}?notice=started`);
      case 'pause':
        await s.pause(actor, tenantId, id, ctx);
        return redirect(`${base}/${id}?notice=paused`);
      case 'resume':
        await s.resume(actor, tenantId, id, ctx);
        return redirect(`${base}/${id}?notice=resumed`);
      case 'delete':
        await s.remove(actor, tenantId, id, ctx);
        return redirect(`${base}?notice=deleted`);
      default:
        throw new AppError('bad_request', 400);
    }
  } catch (e) {
    if (e instanceof AppError) {
      if (e.status === 404 || e.status === 403 || e.status === 401) throw data({ code: e.code }, { status: e.status });
      return data({ intent, values, message: errorMessage(e.code, lang), fields: (e.details?.fields as Record<string, string> | undefined) ?? {} }, { status: e.status });
    }
    throw e;
  }
}

function Stat({ label, value, text }: { label: string; value: string | number; text?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={text ? 'nl-stat-text' : undefined}>{value}</dd>
    </div>
  );
}

function eta(t: NT, seconds: number | null) {
  if (seconds == null) return t('etaNone');
  return seconds < 120 ? t('etaSeconds', { n: seconds }) : t('etaMinutes', { n: Math.ceil(seconds / 60) });
}

export default function NewsletterPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useNlText();
  const { lang, campaign } = d;
  const title = d.isNew ? t('composeTitle') : d.editing ? t('editTitle') : pick(campaign?.subjects, lang).text || t('campaignsTitle');
  return (
    <>
      <title>{title}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/newsletters`, label: t('backToCampaigns') }, { label: title }]}
      />
      <h1>{title}</h1>
      {d.notice && (
        <Notice>{d.notice === 'testSent' ? t('testSent', { email: d.testEmail }) : t(d.notice)}</Notice>
      )}
      {result && <Alert>{result.fields && Object.keys(result.fields).length ? t('formErrors') : result.message}</Alert>}
      {d.editing ? <Compose /> : campaign && <Detail />}
    </>
  );

  function Compose() {
    const v: Values =
      result?.intent === 'save'
        ? result.values
        : {
            subjects: campaign?.subjects ?? {},
            intros: campaign?.intros ?? {},
            itemIds: campaign?.itemIds ?? [],
            segmentTopics: campaign?.segmentTopics ?? [],
            segmentLanguages: campaign?.segmentLanguages ?? [],
            rate: campaign?.ratePerSecond == null ? '' : String(campaign.ratePerSecond),
          };
    const fields = result?.intent === 'save' ? result.fields : undefined;
    const subjectsError = fieldError(t, fields, 'subjects');
    const rateError = fieldError(t, fields, 'ratePerSecond');
    return (
      <form method="post" noValidate className="nl-form nl-compose">
        <CsrfField />
        <input type="hidden" name="intent" value="save" />
        <ErrorLine id="nl-subjects-error" text={subjectsError} t={t} />
        {d.languages.map((l: Lang) => (
          <div className="nl-lang-block" key={l}>
            <div className="field">
              <label htmlFor={`nl-subject-${l}`}>{t('subjectLabel', { lang: langLabel(t, l) })}</label>
              <input
                id={`nl-subject-${l}`}
                type="text"
                name={`subject_${l}`}
                lang={l}
                defaultValue={v.subjects[l] ?? ''}
                maxLength={200}
                aria-invalid={subjectsError ? true : undefined}
                aria-describedby={subjectsError ? 'nl-subjects-error' : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor={`nl-intro-${l}`}>{t('introLabel', { lang: langLabel(t, l) })}</label>
              <p className="hint" id={`nl-intro-${l}-hint`}>
                {t('introHint')}
              </p>
              <textarea id={`nl-intro-${l}`} name={`intro_${l}`} lang={l} rows={5} defaultValue={v.intros[l] ?? ''} aria-describedby={`nl-intro-${l}-hint`} />
            </div>
          </div>
        ))}
        {d.items.length === 0 ? (
          <p>{t('noItems')}</p>
        ) : (
          <ChoiceGroup
            t={t}
            type="checkbox"
            name="itemIds"
            legend={t('itemsLegend')}
            hint={t('itemsHint')}
            error={fieldError(t, fields, 'itemIds')}
            options={d.items.map((i) => ({
              value: i.id,
              label: (
                <>
                  <span lang={i.title.lang !== lang ? i.title.lang : undefined}>{i.title.text}</span> <span className="hint">({when(i.publishedAt, lang)})</span>
                </>
              ),
            }))}
            selected={v.itemIds}
          />
        )}
        <fieldset className="nl-choices">
          <legend>{t('segmentLegend')}</legend>
          <p className="hint">{t('segmentHint')}</p>
          <ChoiceGroup
            t={t}
            type="checkbox"
            name="segmentTopics"
            legend={t('segmentTopics')}
            error={fieldError(t, fields, 'segmentTopics')}
            options={d.topics.map((o) => ({ value: o.slug, label: o.name.text || o.slug, lang: o.name.lang !== lang ? o.name.lang : undefined }))}
            selected={v.segmentTopics}
          />
          <ChoiceGroup
            t={t}
            type="checkbox"
            name="segmentLanguages"
            legend={t('segmentLanguages')}
            options={d.languages.map((l) => ({ value: l, label: langLabel(t, l) }))}
            selected={v.segmentLanguages}
          />
        </fieldset>
        <div className="field">
          <label htmlFor="nl-rate">{t('rateLabel')}</label>
          <p className="hint" id="nl-rate-hint">
            {t('rateHint', { rate: d.defaultRate })}
          </p>
          <input
            id="nl-rate"
            type="text"
            name="rate"
            inputMode="decimal"
            defaultValue={v.rate}
            aria-invalid={rateError ? true : undefined}
            aria-describedby={rateError ? 'nl-rate-hint nl-rate-error' : 'nl-rate-hint'}
          />
          <ErrorLine id="nl-rate-error" text={rateError} t={t} />
        </div>
        <button type="submit">{t('saveDraft')}</button>
      </form>
    );
  }

  function Detail() {
    const c = campaign!;
    const r = c.report;
    const revalidator = useRevalidator();
    // Live progress: re-run the loader every two seconds while the send runs (without JS: the Refresh link).
    useEffect(() => {
      if (c.state !== 'sending') return;
      const timer = setInterval(() => {
        if (revalidator.state === 'idle') void revalidator.revalidate();
      }, 2000);
      return () => clearInterval(timer);
    }, [c.state, revalidator]);
    const done = r.sent + r.failed + r.unknown;
    const testFields = result?.intent === 'test' ? result.fields : undefined;
    const testError = fieldError(t, testFields, 'email');
    return (
      <>
        {d.chosen.length > 0 && (
          <ul className="nl-chosen">
            {d.chosen.map((i) => (
              <li key={i.id} lang={i.title.lang !== lang ? i.title.lang : undefined}>
                {i.title.text}
              </li>
            ))}
          </ul>
        )}
        <section aria-labelledby="nl-preview-h">
          <h2 id="nl-preview-h">{t('previewTitle')}</h2>
          <ul className="nl-inline-list">
            {d.languages.map((l) => (
              <li key={l}>
                <a href={`/${lang}/staff/newsletters/${c.id}/preview?in=${l}`}>{t('previewIn', { lang: langLabel(t, l) })}</a>
              </li>
            ))}
          </ul>
        </section>
        {c.state === 'draft' && (
          <>
            <p className="nl-actions">
              <a href={`/${lang}/staff/newsletters/${c.id}?edit=1`}>{t('editLink')}</a>
            </p>
            <section aria-labelledby="nl-test-h">
              <h2 id="nl-test-h">{t('testSendTitle')}</h2>
              <form method="post" noValidate className="nl-form nl-inline-form">
                <CsrfField />
                <input type="hidden" name="intent" value="test" />
                <div className="field">
                  <label htmlFor="nl-test-email">{t('testSendEmail')}</label>
                  <input
                    id="nl-test-email"
                    name="testEmail"
                    type="email"
                    autoComplete="email"
                    defaultValue={d.testEmail}
                    aria-invalid={testError ? true : undefined}
                    aria-describedby={testError ? 'nl-test-email-error' : undefined}
                  />
                  <ErrorLine id="nl-test-email-error" text={testError} t={t} />
                </div>
                <div className="field">
                  <label htmlFor="nl-test-lang">{t('testSendLanguage')}</label>
                  <select id="nl-test-lang" name="testLanguage" defaultValue={lang}>
                    {d.languages.map((l) => (
                      <option key={l} value={l}>
                        {langLabel(t, l)}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className="secondary">
                  {t('testSendButton')}
                </button>
              </form>
            </section>
            <section aria-labelledby="nl-send-h">
              <h2 id="nl-send-h">{t('sendTitle')}</h2>
              <p>{t('segmentSize', { n: d.segmentSize ?? 0 })}</p>
              <form method="post" className="nl-inline-form">
                <CsrfField />
                <button type="submit" name="intent" value="send">
                  {t('sendButton')}
                </button>{' '}
                <button type="submit" name="intent" value="delete" className="secondary">
                  {t('deleteButton')}
                </button>
              </form>
            </section>
          </>
        )}
        {c.state !== 'draft' && (
          <section aria-labelledby="nl-progress-h">
            <h2 id="nl-progress-h">
              {t('sendTitle')}: {t(`state_${c.state}`)}
            </h2>
            <label htmlFor="nl-progress" className="nl-progress-label">
              {t('progressLabel')}
            </label>
            <progress id="nl-progress" className="nl-progress" max={Math.max(r.total, 1)} value={done}>
              {t('progressText', { sent: r.sent, total: r.total })}
            </progress>
            <p aria-live="polite" className="nl-progress-text">
              {t('progressText', { sent: r.sent, total: r.total })}
            </p>
            <dl className="nl-stats">
              <Stat label={t('statSent')} value={r.sent} />
              <Stat label={t('statFailed')} value={r.failed} />
              <Stat label={t('statRemaining')} value={r.remaining} />
              {r.unknown > 0 && <Stat label={t('statUnknown')} value={r.unknown} />}
              <Stat label={t('statEta')} value={c.state === 'sending' ? eta(t, r.etaSeconds) : t('etaNone')} />
            </dl>
            <form method="post" className="nl-inline-form">
              <CsrfField />
              {c.state === 'sending' && (
                <button type="submit" name="intent" value="pause">
                  {t('pauseButton')}
                </button>
              )}
              {c.state === 'paused' && (
                <button type="submit" name="intent" value="resume">
                  {t('resumeButton')}
                </button>
              )}{' '}
              <a href={`/${lang}/staff/newsletters/${c.id}`}>{t('refresh')}</a>
            </form>
          </section>
        )}
        {c.state !== 'draft' && (
          <section aria-labelledby="nl-report-h">
            <h2 id="nl-report-h">{t('reportTitle')}</h2>
            <dl className="nl-stats">
              <Stat label={t('repRecipients')} value={r.total} />
              <Stat label={t('statSent')} value={r.sent} />
              <Stat label={t('statFailed')} value={r.failed} />
              <Stat label={t('repHard')} value={r.hardBounces} />
              <Stat label={t('repSoft')} value={r.softBounces} />
              <Stat label={t('repUnsubs')} value={r.unsubscribes} />
              <Stat label={t('repDuration')} value={r.durationSeconds == null ? t('etaNone') : t('durationValue', { n: r.durationSeconds })} />
              <Stat label={t('repOpens')} value={r.opens == null ? t('repOpensOff') : r.opens} text={r.opens == null} />
            </dl>
          </section>
        )}
      </>
    );
  }
}

export const ErrorBoundary = AdminErrorBoundary;
