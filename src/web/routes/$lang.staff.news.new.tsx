import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { NEWS_KINDS, type NewsKind } from '../../modules/newsroom/model.ts';
import type { Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import type { ActionArgs, LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formValues } from '../staff/admin-page.ts';
import { Breadcrumbs, Field } from '../staff/catalog-edit-ui.tsx';
import { errText, kindName, LANG_KEY, newsAction, requireNewsPage, useNewsText, type NewsFailure } from '../staff/news-ui.tsx';

/** A new item: its kind and a title in at least one language; the editor takes it from there. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireNewsPage(context, request, params);
  const kind = new URL(request.url).searchParams.get('kind') ?? '';
  return { lang, languages: context.tenant.languages, kind: (NEWS_KINDS as readonly string[]).includes(kind) ? kind : 'news' };
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireNewsPage(context, request, params);
  const form = await request.formData();
  const values = formValues(form);
  const title: Partial<Record<Lang, string>> = {};
  for (const l of context.tenant.languages) {
    const v = form.get(`title.${l}`);
    if (typeof v === 'string') title[l] = v;
  }
  return newsAction(lang, 'create', values, async () => {
    const item = await context.services.newsroom.create(context.actor, context.tenant.id, { kind: String(form.get('kind') ?? ''), title }, { ip: context.ip });
    return redirect(`/${lang}/staff/news/${item.id}?notice=created`);
  });
}

export default function NewItem() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as NewsFailure | undefined;
  const t = useNewsText();
  const { lang } = d;
  const v = (name: string, fallback = '') => {
    const x = failure?.values[name];
    return typeof x === 'string' ? x : fallback;
  };
  const titleErr = errText(t, failure?.fields.title ?? Object.entries(failure?.fields ?? {}).find(([k]) => k.startsWith('title.'))?.[1]);
  return (
    <>
      <title>{t('newTitle')}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/news`, label: t('listTitle') }, { label: t('newTitle') }]}
      />
      <h1>{t('newTitle')}</h1>
      <p>{t('newIntro')}</p>
      {failure && (
        <div className="alert" role="alert">
          <p>{failure.message}</p>
        </div>
      )}
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <fieldset className="field">
          <legend>{t('fieldKind')}</legend>
          {failure?.fields.kind && <p className="field-error">{errText(t, failure.fields.kind)}</p>}
          {NEWS_KINDS.map((k: NewsKind) => (
            <div key={k} className="field checkbox">
              <input id={`kind-${k}`} type="radio" name="kind" value={k} defaultChecked={v('kind', d.kind) === k} />
              <label htmlFor={`kind-${k}`}>{kindName(t, k)}</label>
            </div>
          ))}
        </fieldset>
        {d.languages.map((l, i) => (
          <Field key={l} name={`title.${l}`} label={t('fieldTitleIn', { lang: t(LANG_KEY[l]) })} error={i === 0 ? titleErr : undefined} t={t}>
            {(aria) => <input {...aria} type="text" lang={l} maxLength={200} defaultValue={v(`title.${l}`)} />}
          </Field>
        ))}
        <button type="submit">{t('createButton')}</button>
      </Form>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
