import { useLoaderData } from 'react-router';
import { common } from '../i18n/common.ts';
import { useRoot } from '../root.tsx';
import { format, translator } from '../i18n/define.ts';
import { portal } from '../i18n/portal.ts';
import { portalShell } from '../i18n/portal-shell.ts';
import { routingText } from '../i18n/routing.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';

interface Hit {
  key: string;
  href: string;
  title: string;
  titleLang: string | null;
  summary: string;
  summaryLang: string | null;
  kind: 'service' | 'unit' | 'page';
}

/**
 * The plain results page (works without JavaScript): the routing engine's ranked results,
 * each link going through /{lang}/search/go so the anonymous log learns which result was
 * opened. When nothing matched well it says so and offers the tenant's contact details
 * instead of a list of poor matches. The tenant's built-in pages (accessibility statement,
 * privacy notice) are searched too and listed after the catalog's results.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 200);
  if (!q) return { lang, q, confident: false, results: [] as Hit[] };
  const [routed, pages] = await Promise.all([
    context.services.routing.route(context.tenant, q, lang, { log: true }),
    context.services.tenancy.searchPages(context.tenant, lang, q),
  ]);
  const results: Hit[] = routed.confident
    ? routed.results.map((r, i) => ({
        key: `${r.kind}:${r.id}`,
        href: `/${lang}/search/go?${new URLSearchParams({ ...(routed.queryId ? { qid: routed.queryId } : {}), kind: r.kind, id: r.id, rank: String(i + 1) })}`,
        title: r.title,
        titleLang: r.titleLang !== lang ? r.titleLang : null,
        summary: r.summary,
        summaryLang: r.summaryLang !== lang ? r.summaryLang : null,
        kind: r.kind,
      }))
    : [];
  // A built-in page whose title holds a word of the query ("tietosuoja" → Tietosuojaseloste)
  // is what was asked for and goes first; one found only in its text goes last.
  const words = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
  for (const p of pages) {
    const hit: Hit = { key: p.path, href: `/${lang}${p.path}`, title: p.title, titleLang: null, summary: p.excerpt, summaryLang: null, kind: 'page' };
    if (words.some((w) => p.title.toLowerCase().includes(w))) results.unshift(hit);
    else results.push(hit);
  }
  return { lang, q, confident: results.length > 0, results };
}

export default function Search() {
  const { lang, q, results } = useLoaderData<typeof loader>();
  const t = translator(portal, lang);
  const r = translator(routingText, lang);
  return (
    <>
      <title>{q ? format(t('searchResultsFor'), { q }) : t('searchTitle')}</title>
      <h1>{q ? t('searchResultsFor', { q }) : t('searchTitle')}</h1>
      {!q ? (
        <p>{t('searchEmpty')}</p>
      ) : results.length === 0 ? (
        <div role="status">
          <p>{r('noGoodMatch', { q })}</p>
          <p>{r('noGoodMatchHelp')}</p>
          <ContactLine />
          <p>
            {translator(feedbackResident, lang)('nothingMatchedFeedback')} <a href={`/${lang}/feedback/new`}>{translator(feedbackResident, lang)('giveFeedback')}</a>
          </p>
        </div>
      ) : (
        <>
          <p role="status">{results.length === 1 ? translator(portalShell, lang)('resultCountOne') : t('resultCount', { n: results.length })}</p>
          <ol className="results">
            {results.map((x) => (
              <li key={x.key}>
                <h2>
                  <a href={x.href} lang={x.titleLang ?? undefined}>
                    {x.title}
                  </a>
                </h2>
                <p className="result-kind">{r(`kind_${x.kind}`)}</p>
                {x.summary && <p lang={x.summaryLang ?? undefined}>{x.summary}</p>}
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

/** Every search is logged (anonymously): a cached page would skip the log. */
export function headers() {
  return { 'Cache-Control': 'no-store' };
}
