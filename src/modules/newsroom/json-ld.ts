import { clean, type LdContext } from '../catalog/json-ld.ts';
import { pick } from '../../platform/i18n.ts';
import type { NewsPage } from './public-view.ts';

/**
 * schema.org JSON-LD of a public item, like the catalog's for services: NewsArticle for news
 * and press releases, Event (with its place and time) for event notices. The texts are the
 * page's; the publisher is the tenant.
 */
export function newsJsonLd(page: NewsPage, c: LdContext): Record<string, unknown> {
  const url = `${c.origin}${page.path}`;
  const tenant = pick(c.tenantName, c.lang, [c.fallback]).text;
  const organization = clean({ '@type': 'GovernmentOrganization', name: tenant, url: `${c.origin}/${c.lang}` });
  const images = page.images.map((m) => `${c.origin}${m.url}`);
  if (page.kind === 'event' && page.eventStartsAt) {
    return clean({
      '@context': 'https://schema.org',
      '@type': 'Event',
      name: page.title,
      description: page.lead || undefined,
      url,
      inLanguage: page.lang,
      startDate: page.eventStartsAt,
      endDate: page.eventEndsAt ?? undefined,
      eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
      eventStatus: 'https://schema.org/EventScheduled',
      location: page.eventLocation ? { '@type': 'Place', name: page.eventLocation, address: page.eventLocation } : undefined,
      image: images.length ? images : undefined,
      organizer: organization,
    });
  }
  return clean({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: page.title.slice(0, 110),
    description: page.lead || undefined,
    url,
    mainEntityOfPage: url,
    inLanguage: page.lang,
    datePublished: page.publishedAt,
    dateModified: page.updatedAt > page.publishedAt ? page.updatedAt : page.publishedAt,
    articleSection: page.topics.length ? page.topics.map((t) => t.name.text).filter(Boolean) : undefined,
    image: images.length ? images : undefined,
    author: organization,
    publisher: organization,
  });
}
