import { useLoaderData } from 'react-router';
import { CASE_STATUSES, type QueueFilter } from '../../modules/feedback/model.ts';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { fieldId } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { AccessibilityFlag, Due, FbBreadcrumbs, FbNotice, requireFeedbackPage, statusName, StatusBadge, useFbText } from '../staff/feedback-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/**
 * The feedback queue: cases of the units the staff member handles, overdue first. The
 * filter is a plain GET form (works without JavaScript, the URL can be bookmarked), and
 * the CSV link exports exactly what the filter shows.
 */
const KEYS = ['orgUnitId', 'status', 'categoryId', 'assignedTo', 'overdue', 'q'] as const;

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang, user } = requireFeedbackPage(context, request, params);
  const sp = new URL(request.url).searchParams;
  const raw = Object.fromEntries(KEYS.map((k) => [k, sp.get(k) ?? ''])) as Record<(typeof KEYS)[number], string>;
  // No status in the URL = the working view: open cases. "all" shows every status.
  if (!sp.has('status')) raw.status = 'open';
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const filter: QueueFilter = {
    orgUnitId: raw.orgUnitId || undefined,
    status: raw.status && raw.status !== 'all' ? (raw.status as QueueFilter['status']) : undefined,
    categoryId: raw.categoryId || undefined,
    assignedTo: raw.assignedTo || undefined,
    overdue: raw.overdue === '1',
    q: raw.q || undefined,
    page,
  };
  const { feedback, orgUnits, feedbackCategories } = context.services;
  return runLoader(async () => {
    const result = await feedback.queue(context.actor, context.tenant.id, filter);
    const handled = await feedback.handledUnits(user, context.tenant.id);
    const units = (await orgUnits.rows(context.tenant.id, lang)).filter((u) => !handled || handled.includes(u.id));
    const categories = await feedbackCategories.listActive(context.tenant.id);
    const exportParams = new URLSearchParams();
    for (const k of KEYS) if (raw[k]) exportParams.set(k, raw[k] === 'all' ? '' : raw[k]);
    exportParams.set('lang', lang);
    for (const [k, v] of [...exportParams.entries()]) if (!v) exportParams.delete(k);
    return {
      lang,
      raw,
      page: result.page,
      pageSize: result.pageSize,
      total: result.total,
      units: units.map((u) => ({ id: u.id, name: pick(u.names, lang) })),
      categories: categories.map((c) => ({ id: c.id, name: pick(c.names, lang) })),
      items: result.items.map((i) => ({
        id: i.id,
        number: i.number,
        category: pick(i.categoryNames, lang),
        unit: pick(i.orgUnitNames, lang),
        status: i.status,
        excerpt: i.excerpt,
        address: i.address,
        assignedToName: i.assignedToName,
        dueAt: i.dueAt,
        overdue: i.overdue,
        accessibility: i.accessibility,
      })),
      exportHref: `/api/v1/feedback/cases.csv?${exportParams}`,
      transferred: sp.get('notice') === 'transfer',
      showUnit: units.length > 1,
    };
  });
}

export default function FeedbackQueue() {
  const d = useLoaderData<typeof loader>();
  const { lang, raw } = d;
  const t = useFbText();
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const href = (p: number) => `?${new URLSearchParams({ ...raw, page: String(p) })}`;
  const select = (name: keyof typeof raw, label: string, options: [string, string][], first?: [string, string]) => (
    <div className="field">
      <label htmlFor={fieldId(name)}>{label}</label>
      <select id={fieldId(name)} name={name} defaultValue={raw[name]}>
        {first && <option value={first[0]}>{first[1]}</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <title>{t('queueTitle')}</title>
      <FbBreadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('queueTitle') }]} />
      <h1>{t('queueTitle')}</h1>
      <p>{t('queueIntro')}</p>
      {d.transferred && <FbNotice>{t('notice_transfer')}</FbNotice>}
      <form method="get" className="toolbar fb-filters" aria-label={t('filterTitle')}>
        <div className="field">
          <label htmlFor={fieldId('q')}>{t('filterText')}</label>
          <input id={fieldId('q')} name="q" type="search" defaultValue={raw.q} />
        </div>
        {d.showUnit && select('orgUnitId', t('filterUnit'), d.units.map((u) => [u.id, u.name.text]), ['', t('filterAll')])}
        {select(
          'status',
          t('filterStatus'),
          [['open', t('statusOpen')], ['finished', t('statusFinished')], ...CASE_STATUSES.map((s): [string, string] => [s, statusName(s, lang)])],
          ['all', t('filterAll')],
        )}
        {select('categoryId', t('filterCategory'), d.categories.map((c) => [c.id, c.name.text]), ['', t('filterAll')])}
        {select('assignedTo', t('filterAssigned'), [['me', t('assignedMe')], ['none', t('assignedNobody')]], ['', t('assignedAnyone')])}
        <div className="field checkbox fb-overdue-filter">
          <input id={fieldId('overdue')} type="checkbox" name="overdue" value="1" defaultChecked={raw.overdue === '1'} />
          <label htmlFor={fieldId('overdue')}>{t('filterOverdue')}</label>
        </div>
        <button type="submit">{t('filterApply')}</button>
      </form>

      <div className="fb-queue-head">
        <p aria-live="polite">
          <strong>{d.total === 1 ? t('resultCountOne') : t('resultCount', { count: d.total })}</strong>
        </p>
        {d.total > 0 && (
          <p>
            <a href={d.exportHref} download>
              {t('exportCsv', { count: d.total })}
            </a>
          </p>
        )}
      </div>
      {d.items.length === 0 ? (
        <p>{t('noResults')}</p>
      ) : (
        <TableWrap label={t('queueTitle')}>
          <table className="fb-queue">
            <thead>
              <tr>
                <th scope="col">{t('colNumber')}</th>
                <th scope="col">{t('colCase')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colAssigned')}</th>
                <th scope="col">{t('colDue')}</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((i) => (
                <tr key={i.id} className={i.overdue ? 'fb-row-overdue' : undefined}>
                  <td className="nowrap">
                    {/* The name says what the number is; it contains the visible number (WCAG 2.5.3). */}
                    <a href={`/${lang}/staff/feedback/cases/${i.id}`} aria-label={t('caseTitle', { number: i.number })} className="fb-number">
                      {i.number}
                    </a>
                  </td>
                  <td>
                    <strong lang={i.category.lang !== lang ? i.category.lang : undefined}>{i.category.text}</strong>
                    {d.showUnit && <span className="fb-muted"> · {i.unit.text}</span>}
                    {i.accessibility && (
                      <>
                        {' '}
                        <AccessibilityFlag t={t} short />
                      </>
                    )}
                    <br />
                    <span className="fb-excerpt">{i.excerpt}</span>
                    {i.address && (
                      <>
                        <br />
                        <span className="fb-muted">{i.address}</span>
                      </>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={i.status} lang={lang} />
                  </td>
                  <td>{i.assignedToName ?? t('nobody')}</td>
                  <td className="nowrap">
                    <Due dueAt={i.dueAt} overdue={i.overdue} lang={lang} t={t} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {pages > 1 && (
        <nav aria-label={t('pagination')} className="pager">
          <ul>
            {d.page > 1 && (
              <li>
                <a href={href(d.page - 1)}>{t('previous')}</a>
              </li>
            )}
            <li aria-current="page">{t('pageOf', { page: d.page, pages })}</li>
            {d.page < pages && (
              <li>
                <a href={href(d.page + 1)}>{t('next')}</a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
