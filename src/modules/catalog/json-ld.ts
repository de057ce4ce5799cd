import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import type { Channel, ServiceHours } from './model.ts';
import { WEEKDAYS, dayInRange } from './opening-hours.ts';
import type { ServiceView } from './read.ts';
import { residentPath } from './search-documents.ts';

/**
 * schema.org JSON-LD for search engines and assistants: GovernmentService for a service page,
 * GovernmentOffice (a Place) with OpeningHoursSpecification for a unit page. Texts are in the
 * page's language with the tenant's default as fallback, like the page itself.
 */

type Json = Record<string, unknown>;

export interface LdContext {
  lang: Lang;
  fallback: Lang;
  /** Absolute origin, e.g. https://esimerkkila.fi */
  origin: string;
  /** The tenant's name: the provider when a service names no organization. */
  tenantName: Localized;
}

const text = (v: Localized | null | undefined, c: LdContext) => pick(v, c.lang, [c.fallback]).text || undefined;

export function serviceJsonLd(view: ServiceView, c: LdContext): Json {
  const s = view.service;
  const url = `${c.origin}/${c.lang}${residentPath.service(s.id)}`;
  const channels: Json[] = [];
  for (const ch of view.channels.e_service) {
    channels.push(clean({ '@type': 'ServiceChannel', name: text(ch.names, c), serviceUrl: text(ch.urls, c) }));
  }
  for (const ch of view.channels.phone) {
    for (const p of ch.phones.filter((p) => !p.lang || p.lang === c.lang || ch.phones.every((q) => q.lang !== c.lang)).slice(0, 1)) {
      channels.push(
        clean({
          '@type': 'ServiceChannel',
          name: text(ch.names, c),
          servicePhone: clean({ '@type': 'ContactPoint', telephone: p.number, hoursAvailable: openingHoursSpecification(ch.serviceHours) }),
        }),
      );
    }
  }
  for (const ch of view.channels.service_location) {
    channels.push(clean({ '@type': 'ServiceChannel', name: text(ch.names, c), serviceLocation: placeJsonLd(ch, c, false) }));
  }
  for (const ch of view.channels.web_page) {
    channels.push(clean({ '@type': 'ServiceChannel', name: text(ch.names, c), serviceUrl: text(ch.urls, c) }));
  }
  return clean({
    '@context': 'https://schema.org',
    '@type': 'GovernmentService',
    '@id': url,
    url,
    name: text(s.names, c),
    alternateName: s.alternativeNames[c.lang]?.length ? s.alternativeNames[c.lang] : undefined,
    description: text(s.summary, c) ?? text(s.description, c),
    serviceType: s.serviceClasses[0] ? text(s.serviceClasses[0].name, c) : undefined,
    audience: s.targetGroups.length ? s.targetGroups.map((g) => ({ '@type': 'Audience', audienceType: text(g.name, c) })) : undefined,
    provider: { '@type': 'GovernmentOrganization', name: text(view.organization?.names ?? c.tenantName, c) },
    availableChannel: channels.length ? channels : undefined,
    inLanguage: c.lang,
  });
}

/** A unit as a GovernmentOffice (a Place): address, coordinates, contact and opening hours. */
export function placeJsonLd(unit: Channel, c: LdContext, withContext = true): Json {
  const url = `${c.origin}/${c.lang}${residentPath.unit(unit.id)}`;
  const a = unit.address;
  return clean({
    '@context': withContext ? 'https://schema.org' : undefined,
    '@type': 'GovernmentOffice',
    '@id': url,
    url,
    name: text(unit.names, c),
    description: text(unit.summary, c) ?? text(unit.description, c),
    address: a
      ? clean({
          '@type': 'PostalAddress',
          streetAddress: [text(a.street, c), a.streetNumber].filter(Boolean).join(' ') || undefined,
          postalCode: a.postalCode ?? undefined,
          addressLocality: text(a.postOffice, c),
          addressCountry: 'FI',
        })
      : undefined,
    geo: unit.latitude !== null && unit.longitude !== null ? { '@type': 'GeoCoordinates', latitude: unit.latitude, longitude: unit.longitude } : undefined,
    telephone: unit.phones[0]?.number,
    email: unit.email ?? undefined,
    openingHoursSpecification: withContext ? openingHoursSpecification(unit.serviceHours) : undefined,
  });
}

/**
 * PTV hours as OpeningHoursSpecification. Regular rows carry their validity; an exceptional
 * day is one spec with validFrom/validThrough — closed days as opens = closes = 00:00, as
 * schema.org recommends.
 */
export function openingHoursSpecification(hours: ServiceHours[]): Json[] | undefined {
  const out: Json[] = [];
  for (const h of hours) {
    const validity = { validFrom: h.validFrom?.slice(0, 10) ?? undefined, validThrough: (h.validTo ?? (h.type === 'exceptional' ? h.validFrom : null))?.slice(0, 10) ?? undefined };
    if (h.type === 'exceptional' && (h.isClosed || !h.hours.length)) {
      out.push(clean({ '@type': 'OpeningHoursSpecification', opens: '00:00', closes: '00:00', ...validity }));
      continue;
    }
    if (h.isClosed) continue;
    for (const o of h.hours) {
      const days = WEEKDAYS.filter((d) => dayInRange(d, o.dayFrom, o.dayTo));
      const allDay = o.from === '00:00' && (o.to === '00:00' || o.to === '24:00' || o.to === '23:59');
      out.push(
        clean({
          '@type': 'OpeningHoursSpecification',
          dayOfWeek: h.type === 'exceptional' ? undefined : days.map((d) => `https://schema.org/${d}`),
          opens: o.from,
          closes: allDay ? '23:59' : o.to,
          ...validity,
        }),
      );
    }
  }
  return out.length ? out : undefined;
}

/** The JSON for a <script type="application/ld+json">: "<" escaped so no text can close the script. */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function clean(o: Json): Json {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === '') delete o[k];
  return o;
}
