import { data, redirect, useActionData, useLoaderData } from 'react-router';
import type { FaqEntry } from '../../modules/inbox/faq.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { requireConsoleRole } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Field, Notice } from '../staff/catalog-edit-ui.tsx';
import { errText, FAQ_ROLES, LANG_KEY, TryBot, tryFromUrl, useBotText } from '../staff/inbox-faq-ui.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One FAQ entry (id "new" creates one): the questions per language (one per line), the
 * answers per language, the linked service, active; delete; and "try the bot" to see how a
 * question is answered now. Plain form posts, so it works without JavaScript.
 */

interface FormState {
  questions: Record<Lang, string>;
  answers: Record<Lang, string>;
  serviceId: string;
  active: boolean;
  updatedAt: string;
}

type Result = { state: FormState; message: string; fields: Record<string, string> };

function stateOf(e: FaqEntry | null): FormState {
  const per = (f: (l: Lang) => string) => Object.fromEntries(LANGUAGES.map((l) => [l, f(l)])) as Record<Lang, string>;
  return {
    questions: per((l) => (e?.questions[l] ?? []).join('\n')),
    answers: per((l) => e?.answers[l] ?? ''),
    serviceId: e?.serviceId ?? '',
    active: e?.active ?? true,
    updatedAt: e?.updatedAt ?? '',
  };
}

function stateFromForm(form: FormData): FormState {
  const s = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : '';
  };
  const per = (prefix: string) => Object.fromEntries(LANGUAGES.map((l) => [l, s(`${prefix}.${l}`)])) as Record<Lang, string>;
  return { questions: per('questions'), answers: per('answers'), serviceId: s('serviceId'), active: s('active') === '1', updatedAt: s('updatedAt') };
}

function inputOf(st: FormState) {
  return {
    questions: Object.fromEntries(LANGUAGES.map((l) => [l, st.questions[l].split(/\r?\n/).map((q) => q.trim()).filter(Boolean)])),
    answers: Object.fromEntries(LANGUAGES.map((l) => [l, st.answers[l]])),
    serviceId: st.serviceId || null,
    active: st.active,
    ...(st.updatedAt ? { updatedAt: st.updatedAt } : {}),
  };
}

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, FAQ_ROLES);
  const s = context.services;
  return runLoader(async () => {
    const isNew = params.id === 'new';
    const [entry, services, tried] = await Promise.all([
      isNew ? Promise.resolve(null) : s.faq.get(context.actor, context.tenant.id, params.id ?? ''),
      s.faq.serviceChoices(context.actor, context.tenant.id),
      tryFromUrl(context, request, lang),
    ]);
    return {
      lang,
      isNew,
      id: entry?.id ?? 'new',
      saved: new URL(request.url).searchParams.get('notice') === 'saved',
      state: stateOf(entry),
      title: entry ? pick(Object.fromEntries(LANGUAGES.map((l) => [l, entry.questions[l]?.[0] ?? ''])), lang, context.tenant.languages) : null,
      services: services.map((x) => ({ id: x.id, name: pick(x.names, lang) })),
      tried,
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, FAQ_ROLES);
  const form = await request.formData();
  const faq = context.services.faq;
  const state = stateFromForm(form);
  try {
    if (form.get('intent') === 'delete') {
      await faq.remove(context.actor, context.tenant.id, params.id ?? '', { ip: context.ip });
      return redirect(`/${lang}/staff/inbox/faq?notice=deleted`);
    }
    if (params.id === 'new') {
      const e = await faq.create(context.actor, context.tenant.id, inputOf(state), { ip: context.ip });
      return redirect(`/${lang}/staff/inbox/faq/${e.id}?notice=saved`);
    }
    await faq.update(context.actor, context.tenant.id, params.id ?? '', inputOf(state), { ip: context.ip });
    return redirect(`/${lang}/staff/inbox/faq/${params.id}?notice=saved`);
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    // After a 409 the form carries the stored row's time, so saving again overwrites knowingly.
    if (typeof e.details?.updatedAt === 'string') state.updatedAt = e.details.updatedAt;
    return data({ state, message: errorMessage(e.code, lang), fields } satisfies Result, { status: e.status });
  }
}

export default function FaqEdit() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as Result | undefined;
  const t = useBotText();
  const { lang } = d;
  const st = result?.state ?? d.state;
  const fields = result?.fields ?? {};
  /** A field's own error, or the first of its parts (questions.fi.2 → questions.fi). */
  const err = (name: string) => errText(t, fields[name] ?? Object.entries(fields).find(([k]) => k.startsWith(`${name}.`))?.[1]);
  const title = d.isNew ? t('newEntry') : `${t('editEntry')}: ${d.title?.text ?? ''}`;
  const hasErrors = !!result;
  const stale = fields.updatedAt === 'stale';
  return (
    <>
      <title>{title}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/inbox/faq`, label: t('faqTitle') }, { label: d.isNew ? t('newEntry') : t('editEntry') }]}
      />
      <h1>{title}</h1>
      {d.saved && !result && <Notice>{t('saved')}</Notice>}
      {hasErrors && (
        <div className="alert" role="alert">
          <p>{stale ? t('err_stale') : Object.keys(fields).length ? t('formErrors') : result.message}</p>
        </div>
      )}
      <form method="post" noValidate className="bot-faq-form">
        <CsrfField />
        <input type="hidden" name="updatedAt" value={st.updatedAt} />
        <fieldset className="field">
          <legend>{t('fieldQuestions')}</legend>
          <p className="hint">{t('questionsHint')}</p>
          {fields.questions && (
            <p className="field-error">
              <span className="visually-hidden">{t('errorPrefix')} </span>
              {errText(t, fields.questions)}
            </p>
          )}
          {LANGUAGES.map((l) => (
            <Field key={l} name={`questions.${l}`} label={`${t('fieldQuestions')} (${t(LANG_KEY[l])})`} error={err(`questions.${l}`)} t={t}>
              {(aria) => <textarea {...aria} rows={4} lang={l} defaultValue={st.questions[l]} />}
            </Field>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>{t('fieldAnswers')}</legend>
          <p className="hint">{t('answersHint')}</p>
          {fields.answers && (
            <p className="field-error">
              <span className="visually-hidden">{t('errorPrefix')} </span>
              {errText(t, fields.answers)}
            </p>
          )}
          {LANGUAGES.map((l) => (
            <Field key={l} name={`answers.${l}`} label={`${t('fieldAnswers')} (${t(LANG_KEY[l])})`} error={err(`answers.${l}`)} t={t}>
              {(aria) => <textarea {...aria} rows={4} lang={l} maxLength={4000} defaultValue={st.answers[l]} />}
            </Field>
          ))}
        </fieldset>
        <Field name="serviceId" label={t('fieldService')} hint={t('serviceHint')} error={err('serviceId')} t={t}>
          {(aria) => (
            <select {...aria} defaultValue={st.serviceId}>
              <option value="">{t('noService')}</option>
              {d.services.map((x) => (
                <option key={x.id} value={x.id} lang={x.name.lang !== lang ? x.name.lang : undefined}>
                  {x.name.text}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field checkbox">
          <input id="f-active" type="checkbox" name="active" value="1" defaultChecked={st.active} />
          <label htmlFor="f-active">{t('fieldActive')}</label>
        </div>
        <p>
          <button type="submit" name="intent" value="save">
            {d.isNew ? t('create') : t('save')}
          </button>
        </p>
      </form>
      {!d.isNew && (
        <>
          <TryBot t={t} lang={lang} action={`/${lang}/staff/inbox/faq/${d.id}`} result={d.tried} />
          <section aria-labelledby="bot-faq-delete">
            <h2 id="bot-faq-delete">{t('deleteTitle')}</h2>
            <p>{t('deleteHint')}</p>
            <form method="post">
              <CsrfField />
              <button type="submit" name="intent" value="delete" className="secondary">
                {t('delete')}
              </button>
            </form>
          </section>
        </>
      )}
      <p>
        <a href={`/${lang}/staff/inbox/faq`}>{t('backToList')}</a>
      </p>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
