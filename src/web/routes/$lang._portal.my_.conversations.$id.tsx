import { useLoaderData } from 'react-router';
import { PortalNotFound } from '../components/PortalNotFound.tsx';
import { residentDateTime as formatDate } from '../components/inbox-mine.ts';
import { translator } from '../i18n/define.ts';
import { inboxMine } from '../i18n/inbox-admin.ts';
import { pageLang, requireResidentPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/**
 * My Aukio: one of the resident's own conversations with what was said in it (never the
 * agents' internal notes). Another resident's conversation is the 404 page.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireResidentPage(context, request, lang);
  const { conversation, messages } = await runLoader(() => context.services.inboxLinking.read(context.actor, context.tenant.id, String(params.id ?? '')));
  return { lang, conversation, messages };
}

export function headers() {
  return { 'cache-control': 'private, no-store' };
}

export default function MyConversation() {
  const { lang, conversation: c, messages } = useLoaderData<typeof loader>();
  const t = translator(inboxMine, lang);
  const title = t('reference', { number: c.number });
  return (
    <div className="narrow">
      <title>{title}</title>
      <p>
        <a href={`/${lang}/my/conversations`}>{t('back')}</a>
      </p>
      <h1>{title}</h1>
      <dl className="facts">
        <dt>{t('colChannel')}</dt>
        <dd>{t(`channel_${c.channel}`)}</dd>
        <dt>{t('colStatus')}</dt>
        <dd>{t(`status_${c.status}`)}</dd>
        <dt>{t('colDate')}</dt>
        <dd>{formatDate(c.createdAt, lang)}</dd>
      </dl>
      <h2>{t('messagesTitle')}</h2>
      {messages.length === 0 ? (
        <p>{t('noMessages')}</p>
      ) : (
        <ol className="inbox-mine-messages">
          {messages.map((m) => (
            <li key={m.seq} className={`inbox-mine-${m.authorKind}`}>
              <p className="inbox-mine-meta">
                <strong>{m.authorKind === 'resident' ? t('you') : m.authorKind === 'bot' ? t('bot') : (m.authorName ?? t('staff'))}</strong>{' '}
                <time dateTime={m.createdAt}>{formatDate(m.createdAt, lang)}</time>
              </p>
              <p className="inbox-mine-body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <PortalNotFound backLink={false} />;
}
