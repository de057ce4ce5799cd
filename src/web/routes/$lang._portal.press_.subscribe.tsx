import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { formObject } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { Field } from '../staff/catalog-edit-ui.tsx';
import { Checks, distError, LanguageOptions, topicOptions, useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Journalists subscribe to press releases by topic (double opt-in). A plain form, no JavaScript needed. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const topics = await context.services.newsroom.topics(context.tenant.id);
  return {
    lang,
    org: pick(context.tenant.names, lang).text,
    languages: LANGUAGES.filter((l) => context.tenant.languages.includes(l)),
    topics: topics.map((x) => ({ slug: x.slug, name: pick(x.names, lang) })),
    sent: new URL(request.url).searchParams.get('sent') === '1',
  };
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const v = formObject(form);
  const input = {
    name: v.name ?? '',
    email: v.email ?? '',
    outlet: v.outlet ?? '',
    topics: form.getAll('topics').map(String),
    language: ((LANGUAGES as readonly string[]).includes(v.language ?? '') ? v.language : lang) as Lang,
  };
  try {
    await context.services.mediaList.subscribe(context.tenant.id, input, lang);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    return data({ message: errorMessage(e.code, lang), fields, values: input }, { status: e.status });
  }
  return redirect(`/${lang}/press/subscribe?sent=1`);
}

export default function PressSubscribe() {
  const d = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useDistText();
  const { lang } = d;
  if (d.sent) {
    return (
      <div className="narrow">
        <title>{t('subSentTitle')}</title>
        <h1>{t('subSentTitle')}</h1>
        <p role="status">{t('subSentText')}</p>
      </div>
    );
  }
  const fields = failed?.fields ?? {};
  const values = failed?.values;
  return (
    <div className="narrow">
      <title>{t('subTitle')}</title>
      <h1>{t('subTitle')}</h1>
      <p>{t('subIntro', { org: d.org })}</p>
      {failed && (
        <div className="alert" role="alert">
          <p>{Object.keys(fields).length ? t('formErrors') : failed.message}</p>
        </div>
      )}
      <Form method="post" reloadDocument noValidate className="dist-form">
        <CsrfField />
        <Field name="name" label={t('subName')} error={distError(t, fields.name)} t={t}>
          {(a) => <input {...a} type="text" defaultValue={values?.name ?? ''} autoComplete="name" maxLength={200} required />}
        </Field>
        <Field name="email" label={t('subEmail')} error={distError(t, fields.email)} t={t}>
          {(a) => <input {...a} type="email" defaultValue={values?.email ?? ''} autoComplete="email" maxLength={254} required />}
        </Field>
        <Field name="outlet" label={t('subOutlet')} error={distError(t, fields.outlet)} t={t}>
          {(a) => <input {...a} type="text" defaultValue={values?.outlet ?? ''} autoComplete="organization" maxLength={200} required />}
        </Field>
        {d.topics.length > 0 && (
          <Checks
            name="topics"
            legend={t('subTopics')}
            hint={t('subTopicsHint')}
            error={distError(t, fields.topics)}
            options={topicOptions(d.topics)}
            chosen={values?.topics ?? []}
            lang={lang}
          />
        )}
        {d.languages.length > 1 && (
          <Field name="language" label={t('subLanguage')} t={t}>
            {(a) => (
              <select {...a} defaultValue={values?.language ?? lang}>
                <LanguageOptions languages={d.languages} t={t} />
              </select>
            )}
          </Field>
        )}
        <p className="hint">{t('subPrivacy')}</p>
        <p>
          <button type="submit">{t('subSubmit')}</button>
        </p>
      </Form>
    </div>
  );
}
