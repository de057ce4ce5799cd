import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { requireConsoleRole } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { InboxBreadcrumbs, useInboxAdminText } from '../staff/inbox-admin-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/** The tenant's customer service teams, active or not: tenant admins. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  return runLoader(async () => {
    const teams = await context.services.inboxTeams.list(context.actor, context.tenant.id);
    const notice = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      deleted: notice === 'deleted',
      items: teams.map((x) => ({
        id: x.id,
        name: pick(x.names, lang),
        emailAddress: x.emailAddress,
        memberCount: x.memberCount,
        firstSla: x.firstResponseSlaMinutes,
        conversationCount: x.conversationCount,
        isDefault: x.isDefault,
        active: x.active,
      })),
    };
  });
}

export default function InboxTeams() {
  const { lang, items, deleted } = useLoaderData<typeof loader>();
  const t = useInboxAdminText();
  return (
    <>
      <title>{t('teamsTitle')}</title>
      <InboxBreadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('teamsTitle') }]} />
      <h1>{t('teamsTitle')}</h1>
      <p>{t('teamsIntro')}</p>
      {deleted && (
        <p role="status" className="notice">
          {t('deleted')}
        </p>
      )}
      <p>
        <a className="button" href={`/${lang}/staff/inbox/teams/new`}>
          {t('newTeam')}
        </a>
      </p>
      <TableWrap label={t('teamsTitle')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colEmail')}</th>
              <th scope="col">{t('colMembers')}</th>
              <th scope="col">{t('colFirstSla')}</th>
              <th scope="col">{t('colConversations')}</th>
              <th scope="col">{t('colActive')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td>
                  <a href={`/${lang}/staff/inbox/teams/${x.id}`} lang={x.name.lang !== lang ? x.name.lang : undefined}>
                    {x.name.text}
                  </a>
                  {x.isDefault && (
                    <>
                      {' '}
                      <span className="badge">{t('defaultBadge')}</span>
                    </>
                  )}
                </td>
                <td>{x.emailAddress ?? t('none')}</td>
                <td>{x.memberCount}</td>
                <td className="nowrap">{t('minutesValue', { n: x.firstSla })}</td>
                <td>{x.conversationCount}</td>
                <td>{x.active ? t('yes') : t('no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
