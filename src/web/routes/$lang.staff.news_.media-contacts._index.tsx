import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Notice } from '../staff/catalog-edit-ui.tsx';
import { langKey, useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** The media distribution list: search, the embargo-list flag, add and edit (reads are audited). */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 200);
  return runLoader(async () => {
    const s = context.services;
    const [{ contacts, total }, topics] = await Promise.all([
      s.mediaList.list(context.actor, context.tenant.id, { q, limit: 500 }),
      s.newsroom.topics(context.tenant.id),
    ]);
    const topicName = new Map(topics.map((x) => [x.slug, pick(x.names, lang).text || x.slug]));
    const notice = url.searchParams.get('notice');
    return {
      lang,
      q,
      total,
      contacts: contacts.map((c) => ({ ...c, topicNames: c.topics.map((slug) => topicName.get(slug) ?? slug) })),
      notice: notice === 'saved' ? ('notice_saved' as const) : notice === 'deleted' ? ('notice_deleted' as const) : null,
    };
  });
}

export default function MediaContacts() {
  const d = useLoaderData<typeof loader>();
  const t = useDistText();
  const { lang } = d;
  const [before, after] = t('mcIntro').split('{link}');
  return (
    <>
      <title>{t('mcTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/news`, label: t('newsroom') }, { label: t('mcTitle') }]} />
      <h1>{t('mcTitle')}</h1>
      <p>
        {before}
        <a href={`/${lang}/press/subscribe`}>{t('mcSubscribePage')}</a>
        {after}
      </p>
      {d.notice && <Notice>{t(d.notice)}</Notice>}
      <form method="get" className="dist-search" role="search">
        <label htmlFor="mc-q">{t('mcSearch')}</label>
        <div className="dist-search-row">
          <input id="mc-q" name="q" type="search" defaultValue={d.q} />
          <button type="submit">{t('mcSearchButton')}</button>
        </div>
      </form>
      <p>
        <a className="button" href={`/${lang}/staff/news/media-contacts/new`}>
          {t('mcAdd')}
        </a>
      </p>
      {d.contacts.length === 0 ? (
        <p>{d.q ? t('mcNoMatch') : t('mcEmpty')}</p>
      ) : (
        <>
          <p>{t('mcCount', { n: d.total })}</p>
          <TableWrap label={t('mcTitle')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('colName')}</th>
                  <th scope="col">{t('colEmail')}</th>
                  <th scope="col">{t('colOutlet')}</th>
                  <th scope="col">{t('colTopics')}</th>
                  <th scope="col">{t('colEmbargo')}</th>
                  <th scope="col">{t('colLanguage')}</th>
                  <th scope="col">{t('colState')}</th>
                </tr>
              </thead>
              <tbody>
                {d.contacts.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={`/${lang}/staff/news/media-contacts/${c.id}`}>{c.name}</a>
                    </td>
                    <td>{c.email}</td>
                    <td>{c.outlet || t('none')}</td>
                    <td>{c.topicNames.length ? c.topicNames.join(', ') : t('allTopics')}</td>
                    <td>{c.embargoList ? <span className="badge dist-embargo">{t('yes')}</span> : t('no')}</td>
                    <td>{t(langKey(c.language))}</td>
                    <td>{c.confirmed ? t('confirmed') : t('unconfirmed')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
