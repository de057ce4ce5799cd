import { runLoader } from '../server-helpers.ts';
import { useLoaderData } from 'react-router';
import { AdminErrorBoundary, useAdminText } from '../staff/AdminParts.tsx';
import { formatHelsinki, OUTBOX_ROLES, OUTBOX_STATUS_LABEL as STATUS_LABEL, requireConsoleRole } from '../staff/admin-page.ts';
import type { LoaderArgs } from '../server-helpers.ts';

/**
 * One outgoing message with its headers and bodies. Opening it is an audited read of
 * personal data (staff.read_outbox_message); another tenant's id is a 404.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, OUTBOX_ROLES);
  const message = await runLoader(() => context.services.outbox.read(context.tenant.id, context.actor, String(params.id ?? '')));
  return { lang, message, captured: context.services.email.kind === 'capture' };
}

export default function OutboxMessage() {
  const { lang, message: m, captured } = useLoaderData<typeof loader>();
  const t = useAdminText();
  const subject = m.subject || t('noSubject');
  const headers = Object.entries(m.headers);
  return (
    <>
      <title>{t('messageTitle', { subject })}</title>
      <p>
        <a href={`/${lang}/staff/outbox`}>{t('backToOutbox')}</a>
      </p>
      <h1>{t('messageTitle', { subject })}</h1>
      {captured && (
        <div className="info">
          <p>{t('outboxCaptured')}</p>
        </div>
      )}
      <h2>{t('messageFacts')}</h2>
      <dl className="facts">
        <dt>{t('colTime')}</dt>
        <dd>
          <time dateTime={m.createdAt}>{formatHelsinki(m.createdAt, lang)}</time>
        </dd>
        <dt>{t('colChannel')}</dt>
        <dd>{m.channel}</dd>
        <dt>{t('colRecipient')}</dt>
        <dd>{m.recipient}</dd>
        <dt>{t('colSubject')}</dt>
        <dd>{subject}</dd>
        <dt>{t('colStatus')}</dt>
        <dd>{t(STATUS_LABEL[m.status])}</dd>
        {m.error && (
          <>
            <dt>{t('errorLabel')}</dt>
            <dd>{m.error}</dd>
          </>
        )}
      </dl>
      <h2>{t('headersTitle')}</h2>
      {headers.length === 0 ? (
        <p>{t('noHeaders')}</p>
      ) : (
        <dl className="facts">
          {headers.map(([k, v]) => (
            <div key={k} className="contents">
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      <h2>{t('plainBody')}</h2>
      {m.bodyText ? <pre className="mail-body">{m.bodyText}</pre> : <p>{t('noPlainBody')}</p>}
      {m.bodyHtml && (
        <>
          <h2>{t('htmlBody')}</h2>
          {/* The HTML is the sender's, not ours: an empty sandbox (no scripts, no same-origin,
              no forms) inheriting the page's CSP, never markup injected into this page. */}
          <iframe className="mail-html" title={t('htmlPreview')} sandbox="" srcDoc={m.bodyHtml} referrerPolicy="no-referrer" />
          <details>
            <summary>{t('htmlSource')}</summary>
            <pre className="mail-body">{m.bodyHtml}</pre>
          </details>
        </>
      )}
    </>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
