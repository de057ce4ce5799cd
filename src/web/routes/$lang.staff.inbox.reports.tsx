import { Form, useLoaderData } from 'react-router';
import { isAppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { addDays } from '../../modules/catalog/opening-hours.ts';
import { helsinkiToday, reportFilter, type Report, type ReportFilter, type ReportName, type TimeStats } from '../../modules/inbox/reports.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { requireConsoleRole, fieldId } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { InboxBreadcrumbs, inboxErrorText, useInboxAdminText, type IT } from '../staff/inbox-admin-ui.tsx';
import type { InboxAdminKey } from '../i18n/inbox-admin.ts';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/**
 * Customer service reports: a GET form (dates, team) and one table per report, each with
 * its CSV download. Tables carry every number, so nothing depends on colour; the busiest
 * hours' shading only repeats the numbers. customer_service (tenant admins implied).
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['customer_service']);
  const url = new URL(request.url);
  const query = Object.fromEntries(url.searchParams);
  const teams = await context.services.conversations.teams(context.services.db, context.tenant.id);
  const teamOptions = teams.map((x) => ({ id: x.id, name: pick(x.names, lang), active: x.active }));
  let filter: ReportFilter;
  try {
    filter = reportFilter(query);
  } catch (e) {
    if (!isAppError(e)) throw e;
    // The form comes back with what was typed and the problem at each field.
    const today = helsinkiToday();
    return {
      lang,
      teams: teamOptions,
      values: { from: query.from ?? addDays(today, -29), to: query.to ?? today, teamId: query.teamId ?? '' },
      fields: ((e.details?.fields as Record<string, string>) ?? {}) as Record<string, string>,
      report: null,
    };
  }
  let report: Report | null = null;
  try {
    report = await context.services.inboxReports.report(context.actor, context.tenant.id, filter);
  } catch (e) {
    // An unknown team id in the URL is a filter problem, shown at the field.
    if (!isAppError(e) || e.status !== 400) return runLoader(() => Promise.reject(e));
  }
  return {
    lang,
    teams: teamOptions,
    values: { from: filter.from, to: filter.to, teamId: filter.teamId ?? '' },
    fields: (report ? {} : { teamId: 'unknown_team' }) as Record<string, string>,
    report,
  };
}

export function headers() {
  return { 'cache-control': 'private, no-store' };
}

const LOCALE: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const REPORT_TITLE: Record<ReportName, InboxAdminKey> = {
  volume: 'volumeTitle',
  times: 'timesTitle',
  sla: 'slaTitle',
  csat: 'csatTitle',
  containment: 'containmentTitle',
  hours: 'hoursTitle',
};
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export default function InboxReports() {
  const { lang, teams, values, fields, report } = useLoaderData<typeof loader>();
  const t = useInboxAdminText();
  const n = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1 });
  const pct = (v: number | null) => (v === null ? t('none') : t('percent', { n: n.format(Math.round(v * 1000) / 10) }));
  const min = (v: number | null) => (v === null ? t('none') : t('minutesValue', { n: n.format(v) }));
  const csvHref = (name: ReportName) => {
    const q = new URLSearchParams({ from: values.from, to: values.to, lang });
    if (values.teamId) q.set('teamId', values.teamId);
    return `/api/v1/inbox/reports/${name}.csv?${q}`;
  };
  const section = (name: ReportName, hint: string, body: React.ReactNode) => (
    <section aria-labelledby={`report-${name}`} className="inbox-report">
      <h2 id={`report-${name}`}>{t(REPORT_TITLE[name])}</h2>
      <p className="hint">{hint}</p>
      {body}
      <p>
        <a href={csvHref(name)} download>
          {t('downloadCsv', { report: t(REPORT_TITLE[name]) })}
        </a>
      </p>
    </section>
  );
  return (
    <>
      <title>{t('reportsTitle')}</title>
      <InboxBreadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('reportsTitle') }]} />
      <h1>{t('reportsTitle')}</h1>
      <p>{t('reportsIntro')}</p>
      <Form method="get" className="inbox-report-filter" aria-labelledby="filter-title" reloadDocument>
        <h2 id="filter-title" className="visually-hidden">
          {t('filterTitle')}
        </h2>
        {(['from', 'to'] as const).map((k) => (
          <DateField key={k} t={t} name={k} label={t(k === 'from' ? 'fieldFrom' : 'fieldTo')} value={values[k]} error={inboxErrorText(t, fields[k])} />
        ))}
        <div className="field">
          <label htmlFor="f-teamId">{t('fieldTeam')}</label>
          <select
            id="f-teamId"
            name="teamId"
            defaultValue={values.teamId}
            aria-invalid={fields.teamId ? true : undefined}
            aria-describedby={fields.teamId ? 'f-teamId-error' : undefined}
          >
            <option value="">{t('allTeams')}</option>
            {teams.map((x) => (
              <option key={x.id} value={x.id} lang={x.name.lang !== lang ? x.name.lang : undefined}>
                {x.name.text}
              </option>
            ))}
          </select>
          {fields.teamId && (
            <p id="f-teamId-error" className="field-error">
              <span className="visually-hidden">{t('errorPrefix')} </span>
              {inboxErrorText(t, fields.teamId)}
            </p>
          )}
        </div>
        <p>
          <button type="submit">{t('showReport')}</button>
        </p>
      </Form>
      {report && (
        <>
          {section('volume', t('volumeHint'), <VolumeTable t={t} report={report} />)}
          {section(
            'times',
            t('timesHint'),
            <TableWrap label={t('timesTitle')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('colMeasure')}</th>
                    <th scope="col">{t('colCount')}</th>
                    <th scope="col">{t('colMedian')}</th>
                    <th scope="col">{t('colP90')}</th>
                    <th scope="col">{t('colBusinessMedian')}</th>
                    <th scope="col">{t('colBusinessP90')}</th>
                  </tr>
                </thead>
                <tbody>
                  {([['firstResponse', report.times.firstResponse], ['resolution', report.times.resolution]] as [InboxAdminKey, TimeStats][]).map(([k, s]) => (
                    <tr key={k}>
                      <th scope="row">{t(k)}</th>
                      <td>{s.count}</td>
                      <td className="nowrap">{min(s.median)}</td>
                      <td className="nowrap">{min(s.p90)}</td>
                      <td className="nowrap">{min(s.businessMedian)}</td>
                      <td className="nowrap">{min(s.businessP90)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>,
          )}
          {section(
            'sla',
            t('slaHint2'),
            <TableWrap label={t('slaTitle')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('colMeasure')}</th>
                    <th scope="col">{t('colWithTarget')}</th>
                    <th scope="col">{t('colBreached')}</th>
                    <th scope="col">{t('colShare')}</th>
                  </tr>
                </thead>
                <tbody>
                  {([['firstResponse', report.sla.firstResponse], ['resolution', report.sla.resolution]] as const).map(([k, s]) => (
                    <tr key={k}>
                      <th scope="row">{t(k)}</th>
                      <td>{s.withTarget}</td>
                      <td>{s.breached}</td>
                      <td className="nowrap">{pct(s.withTarget ? s.breached / s.withTarget : null)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>,
          )}
          {section(
            'csat',
            t('csatHint'),
            <>
              <TableWrap label={t('csatTitle')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('colScore')}</th>
                      <th scope="col">{t('colCount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.csat.distribution.map((count, i) => (
                      <tr key={i}>
                        <th scope="row">{i + 1}</th>
                        <td>{count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <dl className="facts">
                <dt>{t('csatAverage')}</dt>
                <dd>{report.csat.average === null ? t('none') : n.format(report.csat.average)}</dd>
                <dt>{t('csatCount')}</dt>
                <dd>{report.csat.count}</dd>
                <dt>{t('csatResolved')}</dt>
                <dd>{report.csat.resolved}</dd>
                <dt>{t('csatRate')}</dt>
                <dd>{pct(report.csat.responseRate)}</dd>
              </dl>
            </>,
          )}
          {section(
            'containment',
            t('containmentHint'),
            <TableWrap label={t('containmentTitle')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('colReachedBot')}</th>
                    <th scope="col">{t('colContained')}</th>
                    <th scope="col">{t('colContainment')}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>{report.containment.reachedBot}</td>
                    <td>{report.containment.contained}</td>
                    <td className="nowrap">{pct(report.containment.rate)}</td>
                  </tr>
                </tbody>
              </table>
            </TableWrap>,
          )}
          {section('hours', t('busyHoursHint'), <HoursTable t={t} report={report} />)}
        </>
      )}
    </>
  );
}

function DateField({ t, name, label, value, error }: { t: IT; name: string; label: string; value: string; error?: string }) {
  const id = fieldId(name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="date"
        defaultValue={value}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-invalid={error ? true : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{t('errorPrefix')} </span>
          {error}
        </p>
      )}
    </div>
  );
}

function VolumeTable({ t, report }: { t: IT; report: Report }) {
  const withFeedback = report.filter.teamId === null;
  const sum = (k: 'chat' | 'email' | 'feedback') => report.volume.reduce((a, v) => a + (v[k] ?? 0), 0);
  return (
    <TableWrap label={t('volumeTitle')}>
      <table className="inbox-volume">
        <thead>
          <tr>
            <th scope="col">{t('colDate')}</th>
            <th scope="col">{t('colChat')}</th>
            <th scope="col">{t('colEmailChannel')}</th>
            {withFeedback && <th scope="col">{t('colFeedback')}</th>}
            <th scope="col">{t('colTotal')}</th>
          </tr>
        </thead>
        <tbody>
          {report.volume.map((v) => (
            <tr key={v.date}>
              <th scope="row" className="nowrap">
                {v.date}
              </th>
              <td>{v.chat}</td>
              <td>{v.email}</td>
              {withFeedback && <td>{v.feedback}</td>}
              <td>{v.chat + v.email + (v.feedback ?? 0)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('totalRow')}</th>
            <td>{sum('chat')}</td>
            <td>{sum('email')}</td>
            {withFeedback && <td>{sum('feedback')}</td>}
            <td>{sum('chat') + sum('email') + sum('feedback')}</td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}

function HoursTable({ t, report }: { t: IT; report: Report }) {
  const max = Math.max(0, ...report.hours.flat());
  const level = (v: number) => (v === 0 || max === 0 ? 0 : Math.max(1, Math.ceil((v / max) * 5)));
  return (
    <TableWrap label={t('hoursTitle')}>
      <table className="inbox-heat">
        <thead>
          <tr>
            <th scope="col">{t('colWeekday')}</th>
            {Array.from({ length: 24 }, (_, h) => (
              <th scope="col" key={h} abbr={t('hourCol', { h: String(h).padStart(2, '0') })}>
                {String(h).padStart(2, '0')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.hours.map((row, d) => (
            <tr key={d}>
              <th scope="row">{t(WEEKDAYS[d])}</th>
              {row.map((v, h) => (
                <td key={h} className={`inbox-heat-${level(v)}`}>
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
