import { data, useLoaderData } from 'react-router';
import { pick, type Lang } from '../../platform/i18n.ts';
import type { Channel } from '../../modules/catalog/model.ts';
import { serviceJsonLd } from '../../modules/catalog/json-ld.ts';
import { localParts, openStatus, type OpenStatus } from '../../modules/catalog/opening-hours.ts';
import { Address, Breadcrumbs, formatIntervals, has, JsonLd, OpenNow, Paras, safeUrl, T, telHref, UrlLink } from '../components/Catalog.tsx';
import { regularHoursSummary } from '../components/CatalogHours.tsx';
import { catalog } from '../i18n/catalog.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { cacheHeaders, catalogPageHeaders, narrowLanguages } from '../catalog-cache.ts';
import { useRoot } from '../root.tsx';
import { toCard } from '../../modules/newsroom/public-view.ts';
import { NewsCards } from '../components/NewsParts.tsx';
import { newsPublic } from '../i18n/news-public.ts';

export const headers = catalogPageHeaders;

/** A service: what it is, who it is for, what it costs, and how to get it (online, phone, visit). */
export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  const view = await context.services.catalogReader.service(context.tenant.id, params.id);
  if (!view) throw data({ code: 'not_found' }, { status: 404 });
  const now = Date.now();
  const status: Record<string, OpenStatus> = {};
  for (const ch of [...view.channels.phone, ...view.channels.service_location]) status[ch.id] = openStatus(ch.serviceHours, now);
  const fallback = context.tenant.defaultLanguage;
  // Published news that name this service (newsroom); publishing bumps the content version, so cached renders follow.
  const [related, topics] = await Promise.all([context.services.newsroom.forService(context.tenant.id, view.service.id, lang, 5), context.services.newsroom.topics(context.tenant.id)]);
  const news = related.map((i) => toCard(i, lang, lang, fallback, topics));
  return data({ lang, fallback, view: narrowLanguages(view, [lang, fallback]), status, today: localParts(now).date, news }, { headers: cacheHeaders(Object.values(status)) });
}

export default function ServicePage() {
  const { lang, fallback, view, status, today, news } = useLoaderData<typeof loader>();
  const { origin, tenant } = useRoot();
  const t = translator(catalog, lang);
  const s = view.service;
  const name = pick(s.names, lang, [fallback]);
  const topic = s.serviceClasses[0];
  const c = view.channels;
  const anyChannel = Object.values(c).some((l) => l.length > 0);
  const tx = { lang, fallback };
  return (
    <article className="catalog-page service-page">
      <title>{name.text}</title>
      <Breadcrumbs
        label={t('breadcrumbs')}
        items={[
          { href: `/${lang}`, node: t('home') },
          ...(topic ? [{ href: `/${lang}/topics/${encodeURIComponent(topic.code)}`, node: <T value={topic.name} {...tx} /> }] : []),
          { node: <T value={s.names} {...tx} /> },
        ]}
      />
      <T as="h1" value={s.names} {...tx} />
      {s.type === 'PermitOrObligation' && <p className="badge">{t('permit')}</p>}
      <T as="p" className="lead" value={s.summary} {...tx} />
      <Paras value={s.description} {...tx} />

      {(s.targetGroups.length > 0 || s.chargeType) && (
        <dl className="facts service-facts">
          {s.targetGroups.length > 0 && (
            <div className="contents">
              <dt>{t('forWhom')}</dt>
              <dd>
                {s.targetGroups.map((g, i) => (
                  <span key={g.code}>
                    {i > 0 && ', '}
                    <a href={`/${lang}/topics?group=${encodeURIComponent(g.code)}`}>
                      <T value={g.name} {...tx} />
                    </a>
                  </span>
                ))}
              </dd>
            </div>
          )}
          {s.chargeType && (
            <div className="contents">
              <dt>{t('cost')}</dt>
              <dd>
                {s.chargeType === 'Charged' ? t('charged') : s.chargeType === 'Free' ? t('free') : has(s.chargeDescription) ? null : t('chargeOther')}
                {has(s.chargeDescription) && (
                  <>
                    {s.chargeType !== 'Other' && '. '}
                    <T value={s.chargeDescription} {...tx} />
                  </>
                )}
              </dd>
            </div>
          )}
        </dl>
      )}

      <section aria-labelledby="how-title" className="how-to-get">
        <h2 id="how-title">{t('howToGet')}</h2>
        {!anyChannel && <p>{t('noChannels')}</p>}

        {c.e_service.length > 0 && (
          <section aria-labelledby="ch-online" className="channel channel-online">
            <h3 id="ch-online">{t('online')}</h3>
            {c.e_service.map((ch) => (
              <EService key={ch.id} ch={ch} lang={lang} fallback={fallback} />
            ))}
          </section>
        )}

        {c.phone.length > 0 && (
          <section aria-labelledby="ch-phone" className="channel channel-phone">
            <h3 id="ch-phone">{t('byPhone')}</h3>
            {c.phone.map((ch) => (
              <Phone key={ch.id} ch={ch} lang={lang} fallback={fallback} status={status[ch.id]} today={today} />
            ))}
          </section>
        )}

        {c.service_location.length > 0 && (
          <section aria-labelledby="ch-visit" className="channel channel-visit">
            <h3 id="ch-visit">{t('visit')}</h3>
            <ul className="plain locations">
              {c.service_location.map((ch) => (
                <li key={ch.id}>
                  <h4>
                    <a href={`/${lang}/units/${ch.id}`}>
                      <T value={ch.names} {...tx} />
                    </a>
                  </h4>
                  <Address ch={ch} lang={lang} fallback={fallback} />
                  {status[ch.id] && <OpenNow status={status[ch.id]} lang={lang} />}
                  {status[ch.id]?.known && status[ch.id].today.intervals.length > 0 && !status[ch.id].alwaysOpen && (
                    <p className="today-hours">{t('todayHours', { hours: formatIntervals(status[ch.id].today, lang) })}</p>
                  )}
                  {status[ch.id]?.today.exceptional && <T as="p" className="exception-note" value={status[ch.id].today.exceptional!.info} {...tx} />}
                </li>
              ))}
            </ul>
          </section>
        )}

        {c.web_page.length > 0 && (
          <section aria-labelledby="ch-web" className="channel channel-web">
            <h3 id="ch-web">{t('moreOnline')}</h3>
            <ul>
              {c.web_page.map((ch) => (
                <li key={ch.id}>
                  <UrlLink ch={ch} lang={lang} fallback={fallback} />
                </li>
              ))}
            </ul>
          </section>
        )}

        {c.printable_form.length > 0 && (
          <section aria-labelledby="ch-forms" className="channel channel-forms">
            <h3 id="ch-forms">{t('forms')}</h3>
            <ul>
              {c.printable_form.map((ch) => {
                const id = pick(ch.formIdentifier, lang, [fallback]).text;
                return (
                  <li key={ch.id}>
                    <UrlLink ch={ch} lang={lang} fallback={fallback} />
                    {id && <> ({t('formId', { id })})</>}
                  </li>
                );
              })}
            </ul>
          </section>
        )}
      </section>

      {has(s.userInstructions) && (
        <section aria-labelledby="instructions-title">
          <h2 id="instructions-title">{t('instructions')}</h2>
          <Paras value={s.userInstructions} {...tx} />
        </section>
      )}

      {news.length > 0 && (
        <section aria-labelledby="service-news-title" className="service-news">
          <h2 id="service-news-title">{translator(newsPublic, lang)('serviceNewsTitle')}</h2>
          <NewsCards items={news} lang={lang} />
        </section>
      )}

      {view.organization && (
        <p className="provider">
          {t('provider')}: <T value={view.organization.names} {...tx} />
        </p>
      )}
      <JsonLd data={serviceJsonLd(view, { lang, fallback, origin, tenantName: tenant.names })} />
    </article>
  );
}

function EService({ ch, lang, fallback }: { ch: Channel; lang: Lang; fallback: Lang }) {
  const t = translator(catalog, lang);
  const url = pick(ch.urls, lang, [fallback]);
  const href = safeUrl(url.text);
  return (
    <div className="e-service">
      {href ? (
        <p>
          <a className="button button-large" href={href} hrefLang={url.lang !== lang ? url.lang : undefined}>
            <T value={ch.names} lang={lang} fallback={fallback} />
          </a>
        </p>
      ) : (
        <T as="p" value={ch.names} lang={lang} fallback={fallback} />
      )}
      <T as="p" value={ch.summary} lang={lang} fallback={fallback} />
      {ch.requiresAuthentication && <p className="note">{t('strongAuth')}</p>}
      {ch.requiresSignature && <p className="note">{t('signature')}</p>}
    </div>
  );
}

/** The numbers for the page language, else the tenant default's, else all; one per number. */
function phonesFor(ch: Channel, lang: Lang, fallback: Lang) {
  const inLang = ch.phones.filter((p) => p.lang === lang);
  const list = inLang.length ? inLang : ch.phones.filter((p) => p.lang === fallback).length ? ch.phones.filter((p) => p.lang === fallback) : ch.phones;
  const seen = new Set<string>();
  return list.filter((p) => !seen.has(p.number) && seen.add(p.number));
}

function Phone({ ch, lang, fallback, status, today }: { ch: Channel; lang: Lang; fallback: Lang; status?: OpenStatus; today: string }) {
  const t = translator(catalog, lang);
  const hours = regularHoursSummary(ch.serviceHours, t, lang, today);
  return (
    <div className="phone">
      <T as="p" className="channel-name" value={ch.names} lang={lang} fallback={fallback} />
      <ul className="plain">
        {phonesFor(ch, lang, fallback).map((p) => (
          <li key={p.number}>
            <a className="phone-number" href={telHref(p.number)}>
              {p.number}
            </a>
            {p.chargeDescription && <span className="charge-note"> – <span lang={p.lang && p.lang !== lang ? p.lang : undefined}>{p.chargeDescription}</span></span>}
          </li>
        ))}
      </ul>
      {hours && (
        <p>
          {t('phoneHours')}: {hours}
        </p>
      )}
      {status && <OpenNow status={status} lang={lang} />}
      {status?.today.exceptional && <T as="p" className="exception-note" value={status.today.exceptional.info} lang={lang} fallback={fallback} />}
    </div>
  );
}
