import { data, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { placeJsonLd } from '../../modules/catalog/json-ld.ts';
import { openStatus, upcomingExceptions, weekFrom } from '../../modules/catalog/opening-hours.ts';
import { Address, Breadcrumbs, formatDate, formatIntervals, has, JsonLd, OpenNow, ServiceList, T, telHref, weekdayName } from '../components/Catalog.tsx';
import { regularHoursSummary } from '../components/CatalogHours.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { catalog } from '../i18n/catalog.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';
import { cacheHeaders, catalogPageHeaders, narrowLanguages } from '../catalog-cache.ts';
import { useRoot } from '../root.tsx';

export const headers = catalogPageHeaders;

/** A unit (a service location): address, map link, opening hours, contact, the services offered there. */
export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  const view = await context.services.catalogReader.unit(context.tenant.id, params.id);
  if (!view) throw data({ code: 'not_found' }, { status: 404 });
  const now = Date.now();
  const fallback = context.tenant.defaultLanguage;
  const status = openStatus(view.unit.serviceHours, now);
  const week = weekFrom(view.unit.serviceHours, now);
  const exceptions = upcomingExceptions(view.unit.serviceHours, now);
  const services = [...view.services].sort((a, b) => pick(a.names, lang, [fallback]).text.localeCompare(pick(b.names, lang, [fallback]).text, lang));
  const keep = [lang, fallback];
  return data(
    { lang, fallback, unit: narrowLanguages(view.unit, keep), services: narrowLanguages(services, keep), status, week, exceptions: narrowLanguages(exceptions, keep) },
    { headers: cacheHeaders([status]) },
  );
}

export default function UnitPage() {
  const { lang, fallback, unit, services, status, week, exceptions } = useLoaderData<typeof loader>();
  const { origin, tenant } = useRoot();
  const t = translator(catalog, lang);
  const tx = { lang, fallback };
  const name = pick(unit.names, lang, [fallback]);
  const map =
    unit.latitude !== null && unit.longitude !== null
      ? `https://www.openstreetmap.org/?mlat=${unit.latitude}&mlon=${unit.longitude}#map=17/${unit.latitude}/${unit.longitude}`
      : null;
  const summary = week[0] ? regularHoursSummary(unit.serviceHours, t, lang, week[0].date) : '';
  const phones = unit.phones.filter((p, i) => unit.phones.findIndex((q) => q.number === p.number) === i);
  return (
    <article className="catalog-page unit-page">
      <title>{name.text}</title>
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { node: <T value={unit.names} {...tx} /> }]} />
      <T as="h1" value={unit.names} {...tx} />
      <OpenNow status={status} lang={lang} />
      <T as="p" className="lead" value={unit.summary} {...tx} />

      <div className="unit-grid">
        {unit.address && (
          <section aria-labelledby="address-title">
            <h2 id="address-title">{t('address')}</h2>
            <Address ch={unit} {...tx} />
            {map && (
              <p>
                <a href={map}>{t('showOnMap')}</a>
              </p>
            )}
          </section>
        )}
        {(phones.length > 0 || unit.email) && (
          <section aria-labelledby="contact-title">
            <h2 id="contact-title">{t('contact')}</h2>
            <ul className="plain">
              {phones.map((p) => (
                <li key={p.number}>
                  {t('phone')}: <a href={telHref(p.number)}>{p.number}</a>
                </li>
              ))}
              {unit.email && (
                <li>
                  {t('email')}: <a href={`mailto:${unit.email}`}>{unit.email}</a>
                </li>
              )}
            </ul>
          </section>
        )}
      </div>

      {status.known && (
        <section aria-labelledby="hours-title">
          <h2 id="hours-title">{t('openingHours')}</h2>
          {summary && <p>{summary}</p>}
          <TableWrap label={t('openingHours')}>
            <table className="hours-table">
              <thead>
                <tr>
                  <th scope="col">{t('day')}</th>
                  <th scope="col">{t('hours')}</th>
                </tr>
              </thead>
              <tbody>
                {week.map((d, i) => (
                  <tr key={d.date} className={i === 0 ? 'is-today' : undefined}>
                    <th scope="row">
                      {weekdayName(t, d.weekday)} {formatDate(d.date, lang)}
                      {i === 0 && <> ({t('today')})</>}
                    </th>
                    <td>
                      {d.intervals.length ? formatIntervals(d, lang) : t('closedToday')}
                      {d.exceptional && has(d.exceptional.info) && (
                        <>
                          {' – '}
                          <T value={d.exceptional.info} {...tx} />
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {exceptions.length > 0 && (
            <>
              <h3>{t('exceptionalHours')}</h3>
              <ul>
                {exceptions.map((h, i) => {
                  const from = formatDate(h.validFrom!, lang);
                  const to = h.validTo && h.validTo.slice(0, 10) !== h.validFrom!.slice(0, 10) ? formatDate(h.validTo, lang) : null;
                  const hours = h.isClosed || !h.hours.length ? t('closedDates') : formatIntervals({ intervals: h.hours.map((o) => ({ from: o.from, to: o.to })) }, lang);
                  return (
                    <li key={i}>
                      {to ? `${from}–${to}` : from}: {hours}
                      {has(h.info) && (
                        <>
                          {' – '}
                          <T value={h.info} {...tx} />
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </section>
      )}

      <section aria-labelledby="services-title">
        <h2 id="services-title">{t('servicesHere')}</h2>
        {services.length ? (
          <ServiceList items={services} {...tx} />
        ) : (
          <p>{t('noServicesHere')}</p>
        )}
      </section>
      <JsonLd data={placeJsonLd(unit, { lang, fallback, origin, tenantName: tenant.names })} />
    </article>
  );
}
