import { useLoaderData } from 'react-router';
import { TableWrap } from '../components/TableWrap.tsx';
import { translator } from '../i18n/define.ts';
import { routingText } from '../i18n/routing.ts';
import { requireConsoleRole } from '../staff/admin-page.ts';
import type { LoaderArgs } from '../server-helpers.ts';

const PERIODS = [7, 30, 90] as const;

/**
 * "What residents could not find" (communications, customer service): the period's most
 * frequent searches with no good answer or whose first result was not opened. The query
 * log is anonymous, so this read is not audited.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['communications', 'customer_service']);
  const asked = Number(new URL(request.url).searchParams.get('days'));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : 30;
  const rows = await context.services.routing.report(context.tenant.id, days, lang);
  return { lang, days, rows };
}

export default function SearchReport() {
  const { lang, days, rows } = useLoaderData<typeof loader>();
  const t = translator(routingText, lang);
  return (
    <>
      <title>{t('reportTitle')}</title>
      <h1>{t('reportTitle')}</h1>
      <p>{t('reportIntro')}</p>
      <form method="get">
        <div className="toolbar">
          <div className="field">
            <label htmlFor="days">{t('reportPeriod')}</label>
            <select id="days" name="days" defaultValue={String(days)}>
              {PERIODS.map((d) => (
                <option key={d} value={d}>
                  {t(`period${d}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <button type="submit">{t('show')}</button>
          </div>
        </div>
      </form>
      {rows.length === 0 ? (
        <p role="status">{t('reportEmpty')}</p>
      ) : (
        <TableWrap label={t('reportTitle')}>
          <table>
            <caption className="visually-hidden">{t('reportTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colQuery')}</th>
                <th scope="col">{t('colLang')}</th>
                <th scope="col">{t('colCount')}</th>
                <th scope="col">{t('colNoMatch')}</th>
                <th scope="col">{t('colNotClicked')}</th>
                <th scope="col">{t('colTopResult')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.lang}:${r.q}`}>
                  <td lang={r.lang}>{r.q}</td>
                  <td>{r.lang}</td>
                  <td>{r.total}</td>
                  <td>{r.noMatch}</td>
                  <td>{r.notClicked}</td>
                  <td>{r.top ? <span lang={r.top.lang !== lang ? r.top.lang : undefined}>{r.top.text}</span> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
