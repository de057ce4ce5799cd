import type { Lang, Localized } from '../src/platform/i18n.ts';
import type { LocalizedList } from '../src/modules/catalog/model.ts';
import type { SearchDocument } from '../src/modules/routing/search-index.ts';

/**
 * STAND-IN for the real PTV importer (src/modules/catalog/ptv-*.ts, branch catimport): maps a
 * PTV OUT API v11-shaped document straight to routing documents so the benchmark can run
 * before the importer lands. Same field mapping as src/modules/catalog/search-documents.ts.
 * The PTV ids are used as the items' ids (they are UUIDs).
 */
type PtvText = { language: string; value: string; type?: string };
type PtvClass = { code: string; name: PtvText[] };

interface PtvService {
  id: string;
  serviceNames: PtvText[];
  serviceDescriptions: PtvText[];
  serviceClasses?: PtvClass[];
  targetGroups?: PtvClass[];
  keywords?: PtvText[];
}

interface PtvChannel {
  id: string;
  serviceChannelType: string;
  serviceChannelNames: PtvText[];
  serviceChannelDescriptions?: PtvText[];
  addresses?: { streetAddress?: { street?: PtvText[]; streetNumber?: string; postOffice?: PtvText[] } }[];
}

export interface PtvCatalog {
  services: PtvService[];
  serviceChannels: PtvChannel[];
}

const langs: Lang[] = ['fi', 'sv', 'en'];

function one(list: PtvText[] | undefined, type?: string): Localized {
  const out: Localized = {};
  for (const t of list ?? []) if ((!type || t.type === type) && langs.includes(t.language as Lang)) out[t.language as Lang] ??= t.value;
  return out;
}

function many(list: PtvText[] | undefined, type?: string): LocalizedList {
  const out: LocalizedList = {};
  for (const t of list ?? []) if ((!type || t.type === type) && langs.includes(t.language as Lang)) (out[t.language as Lang] ??= []).push(t.value);
  return out;
}

function join(...values: Localized[]): Localized {
  const out: Localized = {};
  for (const l of langs) {
    const text = values.map((v) => v[l]).filter(Boolean).join('\n');
    if (text) out[l] = text;
  }
  return out;
}

export function ptvDocuments(catalog: PtvCatalog): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (const s of catalog.services) {
    const classes: LocalizedList = {};
    for (const c of [...(s.serviceClasses ?? []), ...(s.targetGroups ?? [])]) {
      for (const t of c.name) if (langs.includes(t.language as Lang)) (classes[t.language as Lang] ??= []).push(t.value);
    }
    docs.push({
      kind: 'service',
      refId: s.id,
      externalId: s.id,
      path: `/services/${s.id}`,
      names: one(s.serviceNames, 'Name'),
      alternativeNames: many(s.serviceNames, 'AlternativeName'),
      keywords: many(s.keywords),
      classes,
      summary: one(s.serviceDescriptions, 'Summary'),
      description: join(one(s.serviceDescriptions, 'Description'), one(s.serviceDescriptions, 'UserInstruction')),
    });
  }
  for (const c of catalog.serviceChannels) {
    if (c.serviceChannelType !== 'ServiceLocation') continue;
    const a = c.addresses?.[0]?.streetAddress;
    const street = one(a?.street);
    const office = one(a?.postOffice);
    const keywords: LocalizedList = {};
    for (const l of langs) {
      const st = street[l] ?? street.fi;
      if (st) keywords[l] = [[st, a?.streetNumber, office[l] ?? office.fi].filter(Boolean).join(' ')];
    }
    docs.push({
      kind: 'unit',
      refId: c.id,
      externalId: c.id,
      path: `/units/${c.id}`,
      names: one(c.serviceChannelNames),
      alternativeNames: {},
      keywords,
      classes: {},
      summary: one(c.serviceChannelDescriptions, 'Summary'),
      description: one(c.serviceChannelDescriptions, 'Description'),
    });
  }
  return docs;
}
