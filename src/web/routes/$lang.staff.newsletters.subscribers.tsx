import { useLoaderData } from 'react-router';
import { isLang } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { langLabel, useNlText } from '../newsletters/ui.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, when } from '../staff/catalog-edit-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** Subscribers with search and counts, and the suppression list (an audited read of personal data). */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  return runLoader(async () => {
    const q = new URL(request.url).searchParams.get('q') ?? '';
    const r = await context.services.newsletters.subscribers(context.actor, context.tenant.id, { q }, { ip: context.ip });
    return { lang, q, ...r };
  });
}

export default function SubscribersPage() {
  const d = useLoaderData<typeof loader>();
  const t = useNlText();
  const { lang } = d;
  const statuses = ['confirmed', 'pending', 'unsubscribed'] as const;
  const total = (status: string) => d.counts.filter((c) => c.status === status).reduce((n, c) => n + c.n, 0);
  return (
    <>
      <title>{t('subscribersTitle')}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/newsletters`, label: t('backToCampaigns') }, { label: t('subscribersTitle') }]}
      />
      <h1>{t('subscribersTitle')}</h1>
      <p>{t('subscribersIntro')}</p>
      <h2>{t('countsTitle')}</h2>
      <dl className="nl-stats">
        {statuses.map((s) => (
          <div key={s}>
            <dt>{t(`status_${s}`)}</dt>
            <dd>{total(s)}</dd>
          </div>
        ))}
        {(['instant', 'daily', 'weekly'] as const).map((f) => (
          <div key={f}>
            <dt>{t(`freq_${f}`)}</dt>
            <dd>{d.counts.filter((c) => c.status === 'confirmed' && c.frequency === f).reduce((n, c) => n + c.n, 0)}</dd>
          </div>
        ))}
      </dl>
      <form method="get" role="search" className="nl-inline-form">
        <div className="field">
          <label htmlFor="nl-q">{t('searchLabel')}</label>
          <input id="nl-q" name="q" type="search" defaultValue={d.q} />
        </div>
        <button type="submit">{t('searchButton')}</button>
      </form>
      {d.subscribers.length === 0 ? (
        <p>{t('noSubscribers')}</p>
      ) : (
        <TableWrap label={t('subscribersTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colEmail')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colFrequency')}</th>
                <th scope="col">{t('colLanguage')}</th>
                <th scope="col">{t('colTopics')}</th>
                <th scope="col">{t('colSince')}</th>
              </tr>
            </thead>
            <tbody>
              {d.subscribers.map((s) => (
                <tr key={s.id}>
                  <td>{s.email}</td>
                  <td>{t(`status_${s.status as 'pending'}`)}</td>
                  <td>{t(`freq_${s.frequency as 'instant'}`)}</td>
                  <td>{isLang(s.language) ? langLabel(t, s.language) : s.language}</td>
                  <td>{s.topics.join(', ')}</td>
                  <td>{when(s.confirmed_at ?? s.created_at, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2>{t('suppressionsTitle')}</h2>
      <p>{t('suppressionsIntro')}</p>
      {d.suppressions.length === 0 ? (
        <p>{t('noSuppressions')}</p>
      ) : (
        <TableWrap label={t('suppressionsTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colEmail')}</th>
                <th scope="col">{t('colReason')}</th>
                <th scope="col">{t('colSince')}</th>
              </tr>
            </thead>
            <tbody>
              {d.suppressions.map((s) => (
                <tr key={s.email}>
                  <td>{s.email}</td>
                  <td>
                    {t(`reason_${s.reason as 'manual'}`)}
                    {s.detail ? <span className="hint"> ({s.detail})</span> : null}
                  </td>
                  <td>{when(s.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
