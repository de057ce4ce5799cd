import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { formObject } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Field } from '../staff/catalog-edit-ui.tsx';
import { Checks, distError, LanguageOptions, topicOptions, useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** A media contact: new (/media-contacts/new) or existing; a plain form that works without JavaScript. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  return runLoader(async () => {
    const s = context.services;
    s.mediaList.requireEditor(context.actor, context.tenant.id);
    const isNew = params.id === 'new';
    const contact = isNew ? null : await s.mediaList.get(context.actor, context.tenant.id, params.id ?? '');
    const topics = (await s.newsroom.topics(context.tenant.id)).map((x) => ({ slug: x.slug, name: pick(x.names, lang) }));
    return { lang, isNew, contact, topics };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const form = await request.formData();
  const v = formObject(form);
  const s = context.services.mediaList;
  if (v.intent === 'delete') {
    return runLoader(async () => {
      await s.remove(context.actor, context.tenant.id, params.id ?? '', { ip: context.ip });
      return redirect(`/${lang}/staff/news/media-contacts?notice=deleted`);
    });
  }
  const input = {
    name: v.name ?? '',
    email: v.email ?? '',
    outlet: v.outlet ?? '',
    topics: form.getAll('topics').map(String),
    embargoList: v.embargoList === 'on',
    language: (LANGUAGES as readonly string[]).includes(v.language ?? '') ? (v.language as Lang) : 'fi',
  };
  try {
    await s.save(context.actor, context.tenant.id, params.id === 'new' ? null : (params.id ?? ''), input, { ip: context.ip });
  } catch (e) {
    // 403/404 go to the error page; a refused form comes back with what was typed.
    if (!(e instanceof AppError)) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    return data({ message: errorMessage(e.code, lang), fields, values: input }, { status: e.status });
  }
  return redirect(`/${lang}/staff/news/media-contacts?notice=saved`);
}

export default function MediaContactEditor() {
  const d = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as { message?: string; fields?: Record<string, string>; values?: Record<string, unknown> } | undefined;
  const t = useDistText();
  const { lang } = d;
  const values = (failed?.values ?? d.contact ?? {}) as { name?: string; email?: string; outlet?: string; topics?: string[]; embargoList?: boolean; language?: Lang };
  const fields = failed?.fields ?? {};
  const title = d.isNew ? t('mcNewTitle') : t('mcEditTitle');
  return (
    <>
      <title>{title}</title>
      <Breadcrumbs
        t={t}
        items={[
          { href: `/${lang}/staff`, label: t('consoleHome') },
          { href: `/${lang}/staff/news`, label: t('newsroom') },
          { href: `/${lang}/staff/news/media-contacts`, label: t('mcTitle') },
          { label: title },
        ]}
      />
      <h1>{title}</h1>
      {d.contact && <p>{d.contact.source === 'self' ? t('sourceSelf') : t('sourceStaff')} · {d.contact.confirmed ? t('confirmed') : t('unconfirmed')}</p>}
      {failed?.message && (
        <div className="alert" role="alert">
          <p>{Object.keys(fields).length ? t('formErrors') : failed.message}</p>
        </div>
      )}
      <Form method="post" reloadDocument noValidate className="dist-form">
        <CsrfField />
        <Field name="name" label={t('fieldName')} error={distError(t, fields.name)} t={t}>
          {(a) => <input {...a} type="text" defaultValue={values.name ?? ''} autoComplete="off" maxLength={200} required />}
        </Field>
        <Field name="email" label={t('fieldEmail')} error={distError(t, fields.email)} t={t}>
          {(a) => <input {...a} type="email" defaultValue={values.email ?? ''} autoComplete="off" maxLength={254} required />}
        </Field>
        <Field name="outlet" label={t('fieldOutlet')} error={distError(t, fields.outlet)} t={t}>
          {(a) => <input {...a} type="text" defaultValue={values.outlet ?? ''} autoComplete="off" maxLength={200} />}
        </Field>
        <Checks
          name="topics"
          legend={t('fieldTopics')}
          hint={t('fieldTopicsHint')}
          error={distError(t, fields.topics)}
          options={topicOptions(d.topics)}
          chosen={values.topics ?? []}
          lang={lang}
        />
        <div className="checkbox">
          <input type="checkbox" id="embargoList" name="embargoList" defaultChecked={values.embargoList ?? false} />
          <label htmlFor="embargoList">{t('fieldEmbargo')}</label>
        </div>
        <Field name="language" label={t('fieldLanguage')} t={t}>
          {(a) => (
            <select {...a} defaultValue={values.language ?? lang}>
              <LanguageOptions languages={LANGUAGES} t={t} />
            </select>
          )}
        </Field>
        <p>
          <button type="submit">{t('save')}</button>
        </p>
      </Form>
      {!d.isNew && (
        <Form method="post" reloadDocument>
          <CsrfField />
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="danger">
            {t('remove')}
          </button>
        </Form>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
