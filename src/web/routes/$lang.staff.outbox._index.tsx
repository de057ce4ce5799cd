import { runLoader } from '../server-helpers.ts';
import { useLoaderData } from 'react-router';
import { AdminErrorBoundary, useAdminText } from '../staff/AdminParts.tsx';
import { formatHelsinki, OUTBOX_ROLES, OUTBOX_STATUS_LABEL as STATUS_LABEL, requireConsoleRole } from '../staff/admin-page.ts';
import type { LoaderArgs } from '../server-helpers.ts';
import { TableWrap } from '../components/TableWrap.tsx';

/**
 * What Aukio sent (or, in the embedded default, captured instead of sending) for this
 * tenant, newest first, keyset-paginated with ?before=. Each page view is audited.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, OUTBOX_ROLES);
  const before = new URL(request.url).searchParams.get('before');
  const page = await runLoader(() => context.services.outbox.list(context.tenant.id, context.actor, { before }));
  return { lang, page, before, captured: context.services.email.kind === 'capture' };
}

export default function Outbox() {
  const { lang, page, before, captured } = useLoaderData<typeof loader>();
  const t = useAdminText();
  return (
    <>
      <title>{t('outboxTitle')}</title>
      <h1>{t('outboxTitle')}</h1>
      <div className="info">
        <p>{captured ? t('outboxCaptured') : t('outboxSmtp')}</p>
        <p>{t('outboxAudited')}</p>
      </div>
      {page.items.length === 0 ? (
        <p role="status">{t('noMessages')}</p>
      ) : (
        <TableWrap label={t('outboxTitle')}>
          <table>
            <caption className="visually-hidden">{t('outboxTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colTime')}</th>
                <th scope="col">{t('colRecipient')}</th>
                <th scope="col">{t('colSubject')}</th>
                <th scope="col">{t('colStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((m) => (
                <tr key={m.id}>
                  <td>
                    <time dateTime={m.createdAt}>{formatHelsinki(m.createdAt, lang)}</time>
                  </td>
                  <td>{m.recipient}</td>
                  <td>
                    <a href={`/${lang}/staff/outbox/${m.id}`}>{m.subject || t('noSubject')}</a>
                  </td>
                  <td>
                    <span className={m.status === 'failed' ? 'badge danger' : 'badge'}>{t(STATUS_LABEL[m.status])}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {(before || page.nextBefore) && (
        <nav aria-label={t('outboxTitle')} className="pager">
          <ul className="plain">
            {before && (
              <li>
                <a href={`/${lang}/staff/outbox`}>{t('newestMessages')}</a>
              </li>
            )}
            {page.nextBefore && (
              <li>
                <a href={`/${lang}/staff/outbox?before=${encodeURIComponent(page.nextBefore)}`} rel="next">
                  {t('olderMessages')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
