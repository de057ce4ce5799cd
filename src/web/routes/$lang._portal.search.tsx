import { useLoaderData } from 'react-router';
import { common } from '../i18n/common.ts';
import { useRoot } from '../root.tsx';
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
          <ContactLine />
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

/** The tenant's phone and e-mail right where a search failed, not only in the footer. */
function ContactLine() {
  const { lang, tenant } = useRoot();
  const c = translator(common, lang);
  const { phone, email } = tenant.contact;
  if (!phone && !email) return null;
  return (
    <p>
      <strong>{translator(portalShell, lang)('contactUs')}:</strong>{' '}
      {phone && (
        <>
          {c('phone')} <a href={`tel:${phone.replace(/\s/g, '')}`}>{phone}</a>
        </>
      )}
      {phone && email && ', '}
      {email && (
        <>
          {c('email').toLowerCase()} <a href={`mailto:${email}`}>{email}</a>
        </>
      )}
    </p>
  );
}
