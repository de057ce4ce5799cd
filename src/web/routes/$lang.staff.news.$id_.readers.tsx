import { useLoaderData } from 'react-router';
import { pick, type Lang } from '../../platform/i18n.ts';
import { isAppError } from '../../platform/errors.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { RecordBreadcrumbs, when } from '../staff/catalog-edit-ui.tsx';
import { requireNewsPage, useNewsText, type NT } from '../staff/news-ui.tsx';
import type { ReaderRow } from '../../modules/newsroom/intranet.ts';

/**
 * Who of the targeted staff has confirmed reading a must-read item, and who has not
 * (editors). readers.csv downloads the same list. Each read is audited by the service.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireNewsPage(context, request, params);
  return runLoader(async () => {
    const item = await context.services.newsroom.staffGet(context.actor, context.tenant.id, params.id ?? '');
    const title = pick(item.title, lang);
    if (item.audience !== 'staff' || !item.mustRead) return { lang, id: item.id, title, report: null };
    try {
      const report = await context.services.intranet.readerReport(context.actor, context.tenant.id, item.id, { ip: context.ip });
      return { lang, id: item.id, title, report: { confirmed: report.confirmed, notConfirmed: report.notConfirmed } };
    } catch (e) {
      if (isAppError(e) && e.status === 409) return { lang, id: item.id, title, report: null };
      throw e;
    }
  });
}

export default function Readers() {
  const { lang, id, title, report } = useLoaderData<typeof loader>();
  const t = useNewsText();
  const heading = t('readersTitle', { title: title.text });
  const total = report ? report.confirmed.length + report.notConfirmed.length : 0;
  return (
    <>
      <title>{heading}</title>
      <RecordBreadcrumbs
        t={t}
        lang={lang}
        list={{ href: `/${lang}/staff/news`, label: t('listTitle') }}
        record={{ href: `/${lang}/staff/news/${id}`, title }}
        here={t('readersLink')}
      />
      <h1>{heading}</h1>
      {!report ? (
        <p>{t('notMustRead')}</p>
      ) : (
        <>
          <p>{t('readersIntro')}</p>
          <p className="news-counts">
            <strong>{t('readersCounts', { done: report.confirmed.length, total })}</strong>
          </p>
          <p>
            <a href={`/${lang}/staff/news/${id}/readers.csv`} download>
              {t('downloadCsv')}
            </a>
          </p>
          <ReaderTable t={t} lang={lang} id="not-confirmed" title={t('notConfirmedTitle', { n: report.notConfirmed.length })} rows={report.notConfirmed} />
          <ReaderTable t={t} lang={lang} id="confirmed" title={t('confirmedTitle', { n: report.confirmed.length })} rows={report.confirmed} withTime />
        </>
      )}
      <p>
        <a href={`/${lang}/staff/news/${id}`}>{t('backToItem')}</a>
      </p>
    </>
  );
}

function ReaderTable({ t, lang, id, title, rows, withTime }: { t: NT; lang: Lang; id: string; title: string; rows: ReaderRow[]; withTime?: boolean }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p>{t('nobody')}</p>
      ) : (
        <TableWrap label={title}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colEmail')}</th>
                {withTime && <th scope="col">{t('colConfirmed')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.userId}>
                  <td>{r.name}</td>
                  <td>{r.email}</td>
                  {withTime && <td className="nowrap">{r.confirmedAt && <time dateTime={r.confirmedAt}>{when(r.confirmedAt, lang)}</time>}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
