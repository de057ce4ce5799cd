import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Notice } from '../staff/catalog-edit-ui.tsx';
import { distError, langKey, useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** The media distribution list: search, the embargo-list flag, add and edit (reads are audited). */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 200);
  return runLoader(async () => {
    const s = context.services;
    const [{ contacts, total }, topics] = await Promise.all([
      s.mediaList.list(context.actor, context.tenant.id, { q, limit: 500 }),
      s.newsroom.topics(context.tenant.id),
    ]);
    const topicName = new Map(topics.map((x) => [x.slug, pick(x.names, lang).text || x.slug]));
    const notice = url.searchParams.get('notice');
    const imported = notice === 'imported' ? { created: Number(url.searchParams.get('created') ?? 0), updated: Number(url.searchParams.get('updated') ?? 0) } : null;
    return {
      imported,
      lang,
      q,
      total,
      contacts: contacts.map((c) => ({ ...c, topicNames: c.topics.map((slug) => topicName.get(slug) ?? slug) })),
      notice: notice === 'saved' ? ('notice_saved' as const) : notice === 'deleted' ? ('notice_deleted' as const) : null,
    };
  });
}

/** CSV import (a file upload; works without JavaScript). All or nothing: bad rows are listed by line. */
export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const form = await request.formData();
  const file = form.get('file');
  try {
    const text = file && typeof file !== 'string' ? await file.text() : '';
    if (!text.trim()) throw new AppError('validation_failed', 400, { fields: { file: 'required' } });
    const r = await context.services.mediaList.importCsv(context.actor, context.tenant.id, text, { ip: context.ip });
    return redirect(`/${lang}/staff/news/media-contacts?notice=imported&created=${r.created}&updated=${r.updated}`);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    const rows = (e.details?.rows as { line: number; field: string; code: string }[] | undefined) ?? [];
    return data({ message: errorMessage(e.code, lang), fields, rows }, { status: e.status });
  }
}

export default function MediaContacts() {
  const d = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useDistText();
  const { lang } = d;
  const [before, after] = t('mcIntro').split('{link}');
  return (
    <>
      <title>{t('mcTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/news`, label: t('newsroom') }, { label: t('mcTitle') }]} />
      <h1>{t('mcTitle')}</h1>
      <p>
        {before}
        <a href={`/${lang}/press/subscribe`}>{t('mcSubscribePage')}</a>
        {after}
      </p>
      {d.notice && <Notice>{t(d.notice)}</Notice>}
      {d.imported && <Notice>{t('notice_imported', d.imported)}</Notice>}
      {failed && (
        <div className="alert" role="alert">
          <p>{failed.fields.file ? (distError(t, failed.fields.file) ?? failed.message) : failed.message}</p>
          {failed.rows.length > 0 && (
            <ul>
              {failed.rows.map((r, i) => (
                <li key={i}>{t('importRowError', { line: r.line, field: r.field, problem: distError(t, r.code) ?? r.code })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form method="get" className="dist-search" role="search">
        <label htmlFor="mc-q">{t('mcSearch')}</label>
        <div className="dist-search-row">
          <input id="mc-q" name="q" type="search" defaultValue={d.q} />
          <button type="submit">{t('mcSearchButton')}</button>
        </div>
      </form>
      <p>
        <a className="button" href={`/${lang}/staff/news/media-contacts/new`}>
          {t('mcAdd')}
        </a>
      </p>
      <details className="dist-import" open={failed ? true : undefined}>
        <summary>{t('importTitle')}</summary>
        <p id="import-hint" className="hint">
          {t('importHint')}
        </p>
        <Form method="post" encType="multipart/form-data" reloadDocument>
          <CsrfField />
          <div className="field">
            <label htmlFor="import-file">{t('importFile')}</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="import-hint" />
          </div>
          <button type="submit" className="secondary">
            {t('importButton')}
          </button>
        </Form>
      </details>
      {d.contacts.length === 0 ? (
        <p>{d.q ? t('mcNoMatch') : t('mcEmpty')}</p>
      ) : (
        <>
          <p>{t('mcCount', { n: d.total })}</p>
          <TableWrap label={t('mcTitle')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('colName')}</th>
                  <th scope="col">{t('colEmail')}</th>
                  <th scope="col">{t('colOutlet')}</th>
                  <th scope="col">{t('colTopics')}</th>
                  <th scope="col">{t('colEmbargo')}</th>
                  <th scope="col">{t('colLanguage')}</th>
                  <th scope="col">{t('colState')}</th>
                </tr>
              </thead>
              <tbody>
                {d.contacts.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={`/${lang}/staff/news/media-contacts/${c.id}`}>{c.name}</a>
                    </td>
                    <td>{c.email}</td>
                    <td>{c.outlet || t('none')}</td>
                    <td>{c.topicNames.length ? c.topicNames.join(', ') : t('allTopics')}</td>
                    <td>{c.embargoList ? <span className="badge dist-embargo">{t('yes')}</span> : t('no')}</td>
                    <td>{t(langKey(c.language))}</td>
                    <td>{c.confirmed ? t('confirmed') : t('unconfirmed')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
