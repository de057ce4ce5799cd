import { useLoaderData } from 'react-router';
import { TableWrap } from '../components/TableWrap.tsx';
import { residentDateTime as formatDate } from '../components/inbox-mine.ts';
import { translator } from '../i18n/define.ts';
import { inboxMine } from '../i18n/inbox-admin.ts';
import { pageLang, requireResidentPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** My Aukio: the signed-in resident's own chats and e-mails with customer service. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireResidentPage(context, request, lang);
  const items = await runLoader(() => context.services.inboxLinking.list(context.actor, context.tenant.id));
  return { lang, items };
}

export function headers() {
  return { 'cache-control': 'private, no-store' };
}

export default function MyConversations() {
  const { lang, items } = useLoaderData<typeof loader>();
  const t = translator(inboxMine, lang);
  return (
    <div className="narrow">
      <title>{t('myConversationsTitle')}</title>
      <p>
        <a href={`/${lang}/my`}>{t('myAukio')}</a>
      </p>
      <h1>{t('myConversationsTitle')}</h1>
      <p>{t('myConversationsIntro')}</p>
      {items.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <TableWrap label={t('myConversationsTitle')}>
          <table className="inbox-mine">
            <thead>
              <tr>
                <th scope="col">{t('colReference')}</th>
                <th scope="col">{t('colChannel')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colDate')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`/${lang}/my/conversations/${c.id}`}>{`#${c.number}`}</a>
                  </td>
                  <td>{t(`channel_${c.channel}`)}</td>
                  <td>{t(`status_${c.status}`)}</td>
                  <td className="nowrap">{formatDate(c.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}
