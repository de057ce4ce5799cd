import { useLoaderData } from 'react-router';
import { sanitizeRichText } from '../../modules/catalog/sanitize.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { langName, RecordBreadcrumbs, requireEditorPage, useCatalogText, when, type T } from '../staff/catalog-edit-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/** A content page's history: who created, saved, published or unpublished it and when; ?v=<id> shows that version's text. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const { contentPages } = context.services;
  return runLoader(async () => {
    const page = await contentPages.get(context.actor, context.tenant.id, params.id ?? '');
    const versions = await contentPages.versions(context.actor, context.tenant.id, page.id);
    const v = new URL(request.url).searchParams.get('v');
    const shown = v ? await contentPages.version(context.actor, context.tenant.id, page.id, v) : null;
    return {
      lang,
      page: { id: page.id, title: pick(page.title, lang) },
      versions,
      shown: shown && {
        id: shown.id,
        version: shown.version,
        action: shown.action,
        changedAt: shown.changedAt,
        title: shown.title,
        summary: shown.summary,
        body: Object.fromEntries(Object.entries(shown.body).map(([l, html]) => [l, sanitizeRichText(html ?? '')])) as Partial<Record<Lang, string>>,
      },
    };
  });
}

const ACTION = { create: 'actionCreate', save: 'actionSave', publish: 'actionPublish', unpublish: 'actionUnpublish' } as const;

function changedLabel(t: T, f: string) {
  const [field, l] = f.split('.') as ['title' | 'summary' | 'body', Lang];
  const name = field === 'title' ? t('fieldTitle') : field === 'summary' ? t('fieldSummary') : t('fieldBody');
  return `${name} (${langName(t, l)})`;
}

export default function PageHistory() {
  const { lang, page, versions, shown } = useLoaderData<typeof loader>();
  const t = useCatalogText();
  const editHref = `/${lang}/staff/pages/${page.id}`;
  const heading = t('historyTitle', { title: page.title.text });
  return (
    <>
      <title>{heading}</title>
      <RecordBreadcrumbs
        t={t}
        lang={lang}
        list={{ href: `/${lang}/staff/pages`, label: t('pagesTitle') }}
        record={{ href: editHref, title: page.title }}
        here={t('historyLink')}
      />
      <h1>{heading}</h1>
      <p>{t('historyIntro')}</p>
      <p>
        <a href={editHref}>{t('backToPage')}</a>
      </p>
      <TableWrap label={t('historyLink')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('colWhen')}</th>
              <th scope="col">{t('colAction')}</th>
              <th scope="col">{t('colWho')}</th>
              <th scope="col">{t('colVersion')}</th>
              <th scope="col">{t('colChanged')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} aria-current={shown?.id === v.id ? 'true' : undefined}>
                <td className="nowrap">{when(v.changedAt, lang)}</td>
                <td>{t(ACTION[v.action])}</td>
                <td>{v.changedBy ?? ''}</td>
                <td>
                  <a href={`?v=${v.id}#version-text`}>{t('showVersion', { version: v.version })}</a>
                </td>
                <td>{v.changedFields.length ? v.changedFields.map((f) => changedLabel(t, f)).join(', ') : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {shown && (
        <section aria-labelledby="version-text" className="version-text">
          <h2 id="version-text" tabIndex={-1}>
            {t('versionTextTitle', { version: shown.version, action: t(ACTION[shown.action]).toLowerCase(), when: when(shown.changedAt, lang) })}
          </h2>
          {LANGUAGES.filter((l) => shown.title[l] || shown.summary[l] || shown.body[l]).map((l) => (
            <section key={l} lang={l} aria-label={langName(t, l)} className="prose">
              <h3>{shown.title[l] ?? ''}</h3>
              {shown.summary[l] && (
                <p>
                  <em>{shown.summary[l]}</em>
                </p>
              )}
              <div dangerouslySetInnerHTML={{ __html: shown.body[l] ?? '' }} />
            </section>
          ))}
        </section>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
