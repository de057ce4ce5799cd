import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { sanitizeRichText } from '../../modules/catalog/sanitize.ts';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { AppError } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { useRoot } from '../root.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import {
  editAction,
  editorForm,
  EditorHead,
  Field,
  FormProblem,
  formValues,
  langName,
  localizedFrom,
  Notice,
  noticeFrom,
  requireEditorPage,
  RichTextArea,
  StatusBadge,
  str,
  useCatalogText,
  when,
  type EditResult,
} from '../staff/catalog-edit-ui.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { pageStatus } from '../../modules/catalog/pages.ts';

/**
 * One content page: create (/pages/new), edit the draft, preview, publish, unpublish.
 * Saving never changes what residents see; publishing copies the draft for them.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const { contentPages } = context.services;
  return runLoader(async () => {
    const topics = (await contentPages.topics(context.tenant.id)).map((x) => ({ code: x.code, name: pick(x.name, lang).text }));
    const notice = noticeFrom(request, ['pageCreated', 'pageSaved', 'pagePublished', 'pageUnpublished']);
    if (params.id === 'new') return { lang, page: null, topics, notice };
    const p = await contentPages.get(context.actor, context.tenant.id, params.id ?? '');
    // Stored bodies are sanitized on save; sanitizing again before rendering costs little.
    const preview: Localized = {};
    for (const [l, html] of Object.entries(p.body)) if (html) preview[l as Lang] = sanitizeRichText(html);
    return {
      lang,
      topics,
      notice,
      page: {
        id: p.id,
        slug: p.slug,
        title: p.title,
        summary: p.summary,
        body: p.body,
        topic: p.topic,
        version: p.version,
        status: pageStatus(p),
        publishedAt: p.publishedAt,
        publishedVersion: p.published?.version ?? null,
        updatedAt: p.updatedAt,
        preview,
      },
    };
  });
}

type PreviewResult = { ok: 'preview'; values: Record<string, string | string[]>; preview: Localized };

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const form = await request.formData();
  const values = formValues(form);
  const isNew = params.id === 'new';
  // Enter in a text field submits with the form's first button (create or save).
  const requested = str(form, 'intent') || (isNew ? 'create' : 'save');
  const intent = isNew && requested !== 'preview' ? 'create' : requested;
  const { contentPages } = context.services;
  const { actor, tenant, ip } = context;
  const id = params.id ?? '';
  const text = () => ({
    title: localizedFrom(form, 'title'),
    summary: localizedFrom(form, 'summary'),
    body: localizedFrom(form, 'body'),
    topic: str(form, 'topic') || null,
  });
  if (intent === 'preview') {
    const preview: Localized = {};
    for (const [l, html] of Object.entries(localizedFrom(form, 'body'))) if (html) preview[l as Lang] = sanitizeRichText(html);
    return { ok: 'preview', values, preview } satisfies PreviewResult;
  }
  return editAction(lang, intent, values, async () => {
    switch (intent) {
      case 'create': {
        const p = await contentPages.create(actor, tenant.id, { slug: str(form, 'slug').trim(), ...text() }, { ip });
        return redirect(`/${lang}/staff/pages/${p.id}?notice=pageCreated`);
      }
      case 'save':
        await contentPages.save(actor, tenant.id, id, { ...text(), updatedAt: str(form, 'updatedAt') }, { ip });
        return redirect(`/${lang}/staff/pages/${id}?notice=pageSaved`);
      case 'publish':
        await contentPages.publish(actor, tenant.id, id, { updatedAt: str(form, 'updatedAt') || undefined }, { ip });
        return redirect(`/${lang}/staff/pages/${id}?notice=pagePublished`);
      case 'unpublish':
        await contentPages.unpublish(actor, tenant.id, id, { updatedAt: str(form, 'updatedAt') || undefined }, { ip });
        return redirect(`/${lang}/staff/pages/${id}?notice=pageUnpublished`);
      default:
        throw new AppError('validation_failed', 400, { fields: { intent: 'invalid_type' } });
    }
  });
}

export default function PageEditor() {
  const { lang, page, topics, notice } = useLoaderData<typeof loader>();
  const result = useActionData() as EditResult | PreviewResult | undefined;
  const t = useCatalogText();
  const { tenantLanguages } = useTenantLanguages();
  const failure = result && result.ok === false ? result : undefined;
  const previewResult = result && result.ok === 'preview' ? result : undefined;
  const submitted = failure?.values ?? previewResult?.values;
  const fields = failure?.fields;
  const { err, value } = editorForm(t, fields, submitted);
  const title = page ? pick(page.title, lang) : { text: t('newPageTitle'), lang };
  const preview = previewResult?.preview ?? page?.preview ?? {};
  const updatedAt = failure?.updatedAt ?? page?.updatedAt ?? '';
  const listHref = `/${lang}/staff/pages`;

  return (
    <>
      <EditorHead lang={lang} t={t} list="pagesTitle" listHref={listHref} title={title} />
      {notice && !result && <Notice>{t(notice, { version: String(page?.version ?? '') })}</Notice>}
      {page && (
        <>
          <dl className="facts">
            <dt>{t('colStatus')}</dt>
            <dd>
              <StatusBadge status={page.status} t={t} />
            </dd>
            <dt>{t('versionFact')}</dt>
            <dd>{page.version}</dd>
            <dt>{t('publishedFact')}</dt>
            <dd>{page.publishedAt ? `${when(page.publishedAt, lang)} (${t('versionFact').toLowerCase()} ${page.publishedVersion})` : t('notPublished')}</dd>
            <dt>{t('fieldSlug')}</dt>
            <dd>
              <code>{page.slug}</code>
            </dd>
          </dl>
          <p>
            <a href={`/${lang}/staff/pages/${page.id}/history`}>{t('historyLink')}</a>
            {page.publishedAt && (
              <>
                {' · '}
                <a href={`/${lang}/pages/${page.slug}`}>{t('residentLink')}</a>
              </>
            )}
          </p>
        </>
      )}
      <FormProblem result={failure} t={t} savedHref={page ? `/${lang}/staff/pages/${page.id}` : undefined} />

      <Form method="post" reloadDocument noValidate aria-labelledby="page-form-title">
        <h2 id="page-form-title" className="visually-hidden">
          {page ? t('saveDraft') : t('newPageTitle')}
        </h2>
        <CsrfField />
        {page && <input type="hidden" name="updatedAt" value={updatedAt} />}
        {!page && (
          <Field name="slug" label={t('fieldSlug')} hint={t('slugHint', { lang })} error={err('slug')} t={t}>
            {(aria) => <input {...aria} type="text" defaultValue={value('slug', '')} autoComplete="off" spellCheck={false} required maxLength={100} />}
          </Field>
        )}
        <Field name="topic" label={t('fieldTopic')} hint={t('topicHint')} error={err('topic')} t={t}>
          {(aria) => (
            <select {...aria} defaultValue={value('topic', page?.topic)}>
              <option value="">{t('topicNone')}</option>
              {topics.map((x) => (
                <option key={x.code} value={x.code}>
                  {x.name} ({x.code})
                </option>
              ))}
              {page?.topic && !topics.some((x) => x.code === page.topic) && <option value={page.topic}>{page.topic}</option>}
            </select>
          )}
        </Field>
        {tenantLanguages.map((l) => (
          <fieldset key={l}>
            <legend className="lang-legend">{langName(t, l)}</legend>
            <Field name={`title.${l}`} label={t('fieldTitleIn', { language: langName(t, l) })} error={err(`title.${l}`)} t={t}>
              {(aria) => <input {...aria} type="text" lang={l} defaultValue={value(`title.${l}`, page?.title[l])} maxLength={200} />}
            </Field>
            <Field name={`summary.${l}`} label={t('fieldSummaryIn', { language: langName(t, l) })} error={err(`summary.${l}`)} wide t={t}>
              {(aria) => <textarea {...aria} lang={l} rows={3} defaultValue={value(`summary.${l}`, page?.summary[l])} />}
            </Field>
            <RichTextArea
              name={`body.${l}`}
              label={t('fieldBodyIn', { language: langName(t, l) })}
              hint={t('bodyHint')}
              toolbarLabel={t('toolbarLabel', { language: langName(t, l) })}
              defaultValue={value(`body.${l}`, page?.body[l])}
              error={err(`body.${l}`)}
              lang={l}
              t={t}
            />
          </fieldset>
        ))}
        <p className="button-row">
          <button type="submit" name="intent" value={page ? 'save' : 'create'}>
            {page ? t('saveDraft') : t('createDraft')}
          </button>{' '}
          <button type="submit" name="intent" value="preview" className="secondary">
            {t('preview')}
          </button>
        </p>
      </Form>

      {page && (
        <section aria-labelledby="publish-title">
          <h2 id="publish-title">{t('publish')}</h2>
          <p>{t('publishHint')}</p>
          <div className="button-row">
            {page.status !== 'published' && (
              <Form method="post" reloadDocument>
                <CsrfField />
                <input type="hidden" name="updatedAt" value={updatedAt} />
                <button type="submit" name="intent" value="publish">
                  {page.status === 'changed' ? t('publishChanges') : t('publish')}
                </button>
              </Form>
            )}
            {page.publishedAt && (
              <Form method="post" reloadDocument>
                <CsrfField />
                <input type="hidden" name="updatedAt" value={updatedAt} />
                <button type="submit" name="intent" value="unpublish" className="secondary">
                  {t('unpublish')}
                </button>
              </Form>
            )}
          </div>
        </section>
      )}

      {tenantLanguages.some((l) => preview[l]) && (
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">{t('preview')}</h2>
          <p>{t('previewNote')}</p>
          {tenantLanguages
            .filter((l) => preview[l])
            .map((l) => (
              <section key={l} aria-label={t('previewTitle', { language: langName(t, l) })} className="preview prose" lang={l}>
                <h3>{t('previewTitle', { language: langName(t, l) })}</h3>
                <div dangerouslySetInnerHTML={{ __html: preview[l]! }} />
              </section>
            ))}
        </section>
      )}
    </>
  );
}

function useTenantLanguages() {
  const { tenant } = useRoot();
  return { tenantLanguages: tenant.languages as Lang[] };
}

export const ErrorBoundary = AdminErrorBoundary;
