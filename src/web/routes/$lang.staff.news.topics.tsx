import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formValues } from '../staff/admin-page.ts';
import { Breadcrumbs, Field, Notice } from '../staff/catalog-edit-ui.tsx';
import { errText, LANG_KEY, LocalText, newsAction, requireNewsPage, useNewsText, type NewsFailure } from '../staff/news-ui.tsx';

/** News topics: the list, adding one, renaming one (the slug is fixed: feeds and subscriptions use it). */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireNewsPage(context, request, params);
  return runLoader(async () => ({
    lang,
    languages: context.tenant.languages,
    saved: new URL(request.url).searchParams.get('notice') === 'saved',
    topics: await context.services.newsroom.topics(context.tenant.id),
  }));
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireNewsPage(context, request, params);
  const form = await request.formData();
  const values = formValues(form);
  const intent = String(form.get('intent') ?? 'add');
  const slug = String(form.get('slug') ?? '').trim();
  const names: Partial<Record<Lang, string>> = {};
  for (const l of context.tenant.languages) names[l] = String(form.get(`names.${l}`) ?? '');
  const position = Number.parseInt(String(form.get('position') ?? ''), 10);
  return newsAction(
    lang,
    intent,
    values,
    async () => {
      if (intent === 'rename') {
        // Renaming keeps the topic's place in the list.
        const current = (await context.services.newsroom.topics(context.tenant.id)).find((x) => x.slug === slug);
        if (!current) return redirect(`/${lang}/staff/news/topics`);
        await context.services.newsroom.saveTopic(context.actor, context.tenant.id, { slug, names, position: current.position }, { ip: context.ip });
      } else {
        const topics = await context.services.newsroom.topics(context.tenant.id);
        const next = Number.isFinite(position) ? position : topics.reduce((m, x) => Math.max(m, x.position + 1), 0);
        // Adding never overwrites: an existing slug is "taken".
        if (topics.some((x) => x.slug === slug)) {
          throw new AppError('validation_failed', 400, { fields: { slug: 'taken' } });
        }
        await context.services.newsroom.saveTopic(context.actor, context.tenant.id, { slug, names, position: next }, { ip: context.ip });
      }
      return redirect(`/${lang}/staff/news/topics?notice=saved`);
    },
    intent === 'rename' ? slug : undefined,
  );
}

export default function Topics() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as NewsFailure | undefined;
  const t = useNewsText();
  const { lang } = d;
  const addFailure = failure?.intent === 'add' ? failure : undefined;
  const v = (name: string) => {
    const x = addFailure?.values[name];
    return typeof x === 'string' ? x : '';
  };
  const namesErr = (f: NewsFailure | undefined) => errText(t, f?.fields.names ?? Object.entries(f?.fields ?? {}).find(([k]) => k.startsWith('names.'))?.[1]);
  return (
    <>
      <title>{t('topicsTitle')}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/news`, label: t('listTitle') }, { label: t('topicsTitle') }]}
      />
      <h1>{t('topicsTitle')}</h1>
      <p>{t('topicsIntro')}</p>
      {d.saved && !failure && <Notice>{t('topicSaved')}</Notice>}
      {failure && (
        <div className="alert" role="alert">
          <p>{failure.message}</p>
        </div>
      )}
      {d.topics.length === 0 ? (
        <p>{t('noTopics')}</p>
      ) : (
        <TableWrap label={t('topicsTitle')}>
          <table className="news-topics">
            <thead>
              <tr>
                <th scope="col">{t('colSlug')}</th>
                <th scope="col">{t('colNames')}</th>
              </tr>
            </thead>
            <tbody>
              {d.topics.map((topic) => {
                const f = failure?.intent === 'rename' && failure.target === topic.slug ? failure : undefined;
                return (
                  <tr key={topic.id}>
                    <th scope="row">
                      <code>{topic.slug}</code>
                      <br />
                      <LocalText value={topic.names} lang={lang} />
                    </th>
                    <td>
                      <Form method="post" reloadDocument noValidate className="news-topic-form" aria-label={t('renameTopic', { slug: topic.slug })}>
                        <CsrfField />
                        <input type="hidden" name="slug" value={topic.slug} />
                        {d.languages.map((l, i) => (
                          <Field key={l} name={`names.${l}.${topic.slug}`} label={t('fieldName', { lang: t(LANG_KEY[l]) })} error={i === 0 ? namesErr(f) : undefined} t={t}>
                            {(aria) => (
                              <input
                                {...aria}
                                name={`names.${l}`}
                                type="text"
                                lang={l}
                                maxLength={100}
                                defaultValue={typeof f?.values[`names.${l}`] === 'string' ? String(f.values[`names.${l}`]) : (topic.names[l] ?? '')}
                              />
                            )}
                          </Field>
                        ))}
                        <button type="submit" name="intent" value="rename" className="secondary">
                          {t('rename')}
                        </button>
                      </Form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2>{t('addTopic')}</h2>
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <Field name="slug" label={t('fieldSlug')} hint={t('slugHint')} error={errText(t, addFailure?.fields.slug)} t={t}>
          {(aria) => <input {...aria} type="text" maxLength={100} autoComplete="off" defaultValue={v('slug')} />}
        </Field>
        {d.languages.map((l, i) => (
          <Field key={l} name={`names.${l}`} label={t('fieldName', { lang: t(LANG_KEY[l]) })} error={i === 0 ? namesErr(addFailure) : undefined} t={t}>
            {(aria) => <input {...aria} type="text" lang={l} maxLength={100} defaultValue={v(`names.${l}`)} />}
          </Field>
        ))}
        <button type="submit" name="intent" value="add">
          {t('addTopic')}
        </button>
      </Form>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
