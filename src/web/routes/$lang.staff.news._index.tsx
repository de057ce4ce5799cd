import { useLoaderData } from 'react-router';
import { dueAt, NEWS_KINDS, NEWS_STATES, type NewsKind, type NewsState } from '../../modules/newsroom/model.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Pager, useCatalogText, when } from '../staff/catalog-edit-ui.tsx';
import { kindName, LocalText, NewsStateBadge, requireNewsPage, stateName, useNewsText } from '../staff/news-ui.tsx';

/** The newsroom's item list for editors: filters by state and kind, title search, paging. */
const PAGE_SIZE = 25;

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireNewsPage(context, request, params);
  const url = new URL(request.url);
  const stateParam = url.searchParams.get('state') ?? '';
  const kindParam = url.searchParams.get('kind') ?? '';
  const state = (NEWS_STATES as readonly string[]).includes(stateParam) ? (stateParam as NewsState) : undefined;
  const kind = (NEWS_KINDS as readonly string[]).includes(kindParam) ? (kindParam as NewsKind) : undefined;
  const q = (url.searchParams.get('q') ?? '').slice(0, 200);
  const page = Math.max(1, Math.min(1000, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
  return runLoader(async () => {
    const { items, total } = await context.services.newsroom.staffList(context.actor, context.tenant.id, {
      state,
      kind,
      q,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    return {
      lang,
      filters: { state: state ?? '', kind: kind ?? '', q },
      page,
      total,
      items: items.map((i) => ({
        id: i.id,
        kind: i.kind,
        state: i.state,
        title: i.title,
        embargoUntil: i.embargoUntil,
        due: dueAt(i),
        publishedAt: i.publishedAt,
        updatedAt: i.updatedAt,
      })),
    };
  });
}

export default function NewsList() {
  const d = useLoaderData<typeof loader>();
  const t = useNewsText();
  const ct = useCatalogText();
  const { lang } = d;
  const href = (page: number) => {
    const p = new URLSearchParams();
    if (d.filters.state) p.set('state', d.filters.state);
    if (d.filters.kind) p.set('kind', d.filters.kind);
    if (d.filters.q) p.set('q', d.filters.q);
    if (page > 1) p.set('page', String(page));
    const s = p.toString();
    return `/${lang}/staff/news${s ? `?${s}` : ''}`;
  };
  return (
    <>
      <title>{t('listTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('listTitle') }]} />
      <h1>{t('listTitle')}</h1>
      <p>{t('listIntro')}</p>
      <p>
        <a className="button" href={`/${lang}/staff/news/new`}>
          {t('newItem')}
        </a>
      </p>
      <form method="get" className="news-filters" role="search" aria-label={t('filterTitle')}>
        <div className="field">
          <label htmlFor="news-q">{t('filterSearch')}</label>
          <input id="news-q" name="q" type="search" defaultValue={d.filters.q} />
        </div>
        <div className="field">
          <label htmlFor="news-state">{t('filterState')}</label>
          <select id="news-state" name="state" defaultValue={d.filters.state}>
            <option value="">{t('filterAll')}</option>
            {NEWS_STATES.map((s) => (
              <option key={s} value={s}>
                {stateName(t, s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="news-kind">{t('filterKind')}</label>
          <select id="news-kind" name="kind" defaultValue={d.filters.kind}>
            <option value="">{t('filterAll')}</option>
            {NEWS_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindName(t, k)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('filterApply')}</button>
      </form>
      <p role="status">{t('resultCount', { n: d.total })}</p>
      {d.items.length === 0 ? (
        <p>{t('noItems')}</p>
      ) : (
        <TableWrap label={t('listTitle')}>
          <table className="news-list">
            <thead>
              <tr>
                <th scope="col">{t('colTitle')}</th>
                <th scope="col">{t('colKind')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colTime')}</th>
                <th scope="col">{t('colUpdated')}</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <a href={`/${lang}/staff/news/${i.id}`}>
                      <LocalText value={i.title} lang={lang} />
                    </a>
                  </td>
                  <td>{kindName(t, i.kind)}</td>
                  <td>
                    <NewsStateBadge state={i.state} t={t} />
                  </td>
                  <td>
                    {i.state === 'published' || i.state === 'archived'
                      ? i.publishedAt && t('publishedAt', { time: when(i.publishedAt, lang) })
                      : i.due && (i.embargoUntil ? t('embargoAt', { time: when(i.due, lang) }) : t('scheduledAt', { time: when(i.due, lang) }))}
                  </td>
                  <td className="nowrap">
                    <time dateTime={i.updatedAt}>{when(i.updatedAt, lang)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager page={d.page} pageSize={PAGE_SIZE} total={d.total} href={href} t={ct} />
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
