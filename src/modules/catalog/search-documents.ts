import type { Localized } from '../../platform/i18n.ts';
import type { SearchDocument } from '../routing/search-index.ts';
import type { Channel, ContentPage, LocalizedList, Service } from './model.ts';

/**
 * What the routing index knows of each catalog item. Every catalog write path (import,
 * staff edit, publish) rebuilds the item's document with these and stores it with
 * `searchIndex.put` in the same transaction, so search never shows a stale or rolled-back item.
 */

/** Resident URL paths (after /{lang}); pages and the routing API use the same ones. */
export const residentPath = {
  service: (id: string) => `/services/${id}`,
  unit: (id: string) => `/units/${id}`,
  page: (slug: string) => `/pages/${slug}`,
};

export function serviceDocument(s: Service): SearchDocument {
  return {
    kind: 'service',
    refId: s.id,
    externalId: s.externalId,
    path: residentPath.service(s.id),
    names: s.names,
    alternativeNames: s.alternativeNames,
    keywords: mergeLists(s.keywords, s.localKeywords),
    summary: s.summary,
    description: joinLocalized(s.description, s.userInstructions),
    classes: classNames([...s.serviceClasses, ...s.targetGroups]),
  };
}

/** A unit (service location) is found by its name, address and description. */
export function unitDocument(c: Channel): SearchDocument {
  const address: Localized = {};
  if (c.address) {
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const street = c.address.street[lang] ?? c.address.street.fi;
      const office = c.address.postOffice[lang] ?? c.address.postOffice.fi;
      if (street) address[lang] = [street, c.address.streetNumber, office].filter(Boolean).join(' ');
    }
  }
  return {
    kind: 'unit',
    refId: c.id,
    externalId: c.externalId,
    path: residentPath.unit(c.id),
    names: c.names,
    alternativeNames: {},
    keywords: Object.fromEntries(Object.entries(address).map(([l, v]) => [l, [v]])),
    summary: c.summary,
    description: c.description,
    classes: {},
  };
}

/** Only the published snapshot of a page is searchable. */
export function pageDocument(p: ContentPage): SearchDocument | null {
  if (!p.published) return null;
  return {
    kind: 'page',
    refId: p.id,
    externalId: null,
    path: residentPath.page(p.slug),
    names: p.published.title,
    alternativeNames: {},
    keywords: {},
    summary: p.published.summary,
    description: Object.fromEntries(Object.entries(p.published.body).map(([l, html]) => [l, htmlToText(html ?? '')])),
    classes: {},
  };
}

function mergeLists(a: LocalizedList, b: LocalizedList): LocalizedList {
  const out: LocalizedList = {};
  for (const lang of ['fi', 'sv', 'en'] as const) {
    const merged = [...new Set([...(a[lang] ?? []), ...(b[lang] ?? [])])];
    if (merged.length) out[lang] = merged;
  }
  return out;
}

function joinLocalized(...values: Localized[]): Localized {
  const out: Localized = {};
  for (const lang of ['fi', 'sv', 'en'] as const) {
    const text = values.map((v) => v[lang]).filter(Boolean).join('\n');
    if (text) out[lang] = text;
  }
  return out;
}

function classNames(list: { name: Localized }[]): LocalizedList {
  const out: LocalizedList = {};
  for (const c of list) for (const [lang, name] of Object.entries(c.name)) if (name) (out[lang as keyof LocalizedList] ??= []).push(name);
  return out;
}

/** Plain text of sanitized HTML, for indexing only (never rendered). */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
