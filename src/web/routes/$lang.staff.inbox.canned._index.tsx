import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { Notice, useIxText } from '../staff/inbox-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** Canned responses of the tenant (customer service writes them; agents insert them with "/shortcut"). */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    s.canned.requireEditor(context.actor, context.tenant.id);
    const [items, teams] = await Promise.all([s.canned.listFor(s.db, context.tenant.id, 'all'), s.conversations.teams(s.db, context.tenant.id)]);
    const notice = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      items: items.map((c) => ({
        id: c.id,
        shortcut: c.shortcut,
        title: pick(c.titles, lang),
        team: c.teamId ? pick(teams.find((t) => t.id === c.teamId)?.names, lang) : null,
      })),
      notice: notice === 'saved' || notice === 'deleted' ? notice : null,
    };
  });
}

export default function CannedList() {
  const d = useLoaderData<typeof loader>();
  const t = useIxText();
  const { lang } = d;
  return (
    <>
      <title>{t('cannedTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/inbox`, label: t('backToInbox') }, { label: t('cannedTitle') }]} />
      <h1>{t('cannedTitle')}</h1>
      <p>{t('cannedIntro')}</p>
      {d.notice && <Notice>{t(d.notice === 'saved' ? 'notice_cannedSaved' : 'notice_cannedDeleted')}</Notice>}
      <p>
        <a className="button" href={`/${lang}/staff/inbox/canned/new`}>
          {t('cannedNew')}
        </a>
      </p>
      {d.items.length === 0 ? (
        <p>{t('cannedEmpty')}</p>
      ) : (
        <TableWrap label={t('cannedTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colShortcut')}</th>
                <th scope="col">{t('colTitle')}</th>
                <th scope="col">{t('colTeam')}</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`/${lang}/staff/inbox/canned/${c.id}`}>/{c.shortcut}</a>
                  </td>
                  <td lang={c.title.lang !== lang ? c.title.lang : undefined}>{c.title.text}</td>
                  <td>{c.team ? <span lang={c.team.lang !== lang ? c.team.lang : undefined}>{c.team.text}</span> : t('allTeams')}</td>
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
