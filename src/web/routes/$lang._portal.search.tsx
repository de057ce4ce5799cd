import { useLoaderData } from 'react-router';
import { format, translator } from '../i18n/define.ts';
import { portal } from '../i18n/portal.ts';
import { portalShell } from '../i18n/portal-shell.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 200);
  return context.services.tenancy.searchPages(context.tenant, lang, q).then((results) => ({ lang, q, results }));
}

export default function Search() {
  const { lang, q, results } = useLoaderData<typeof loader>();
  const t = translator(portal, lang);
  return (
    <>
      <title>{q ? format(t('searchResultsFor'), { q }) : t('searchTitle')}</title>
      <h1>{q ? t('searchResultsFor', { q }) : t('searchTitle')}</h1>
      {!q ? (
        <p>{t('searchEmpty')}</p>
      ) : results.length === 0 ? (
        <div role="status">
          <p>{t('searchNoResults', { q })}</p>
          <p>{t('searchNoResultsHelp')}</p>
        </div>
      ) : (
        <>
          <p role="status">{results.length === 1 ? translator(portalShell, lang)('resultCountOne') : t('resultCount', { n: results.length })}</p>
          <ol className="results">
            {results.map((r) => (
              <li key={r.path}>
                <h2>
                  <a href={`/${lang}${r.path}`}>{r.title}</a>
                </h2>
                <p>{r.excerpt}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
