import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Lang, Localized } from '../../platform/i18n.ts';
import type {
  Channel,
  ChannelKind,
  ChargeType,
  Classification,
  LocalizedList,
  OpeningHour,
  Service,
  ServiceHours,
  Weekday,
} from './model.ts';

/**
 * The PTV OUT API v11-shaped document Aukio imports (src/server/demo/ptv-catalog.json is a
 * sample): `organization`, `services[]`, `serviceChannels[]`. Objects are tolerant of fields we
 * do not read (PTV adds fields over time; unknown keys are dropped), and strict on the fields we
 * do read: a wrong type or value refuses the whole document with the exact path
 * (`services[3].serviceNames[0].language: expected one of fi, sv, en`).
 */

const LANGS = ['fi', 'sv', 'en'] as const;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const id = z.guid();
const lang = z.enum(LANGS);
const text = z.string().max(50_000);
const url = z.url({ protocol: /^https?$/ }).max(2000);
/** "YYYY-MM-DD", or a PTV date-time whose date part is kept. */
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected a date (YYYY-MM-DD)')
  .transform((v) => v.slice(0, 10));
/** "HH:MM" or "HH:MM:SS" (kept as HH:MM). */
const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$|^24:00(:00)?$/, 'expected a time (HH:MM)')
  .transform((v) => v.slice(0, 5));
/** PTV sends coordinates as strings; numbers are accepted too. */
const coordinate = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a number')])
  .transform((v) => Number(v));
const timestamp = z.iso.datetime({ offset: true });

const langValue = z.object({ language: lang, value: text });
const langValues = z.array(langValue);

const classification = z.object({ code: z.string().min(1).max(100), name: langValues.default([]) });

const ptvOrganization = z.object({ id, name: langValues.min(1) });

const ptvService = z.object({
  id,
  type: z.enum(['Service', 'PermitOrObligation']),
  serviceChargeType: z.enum(['Charged', 'FreeOfCharge', 'Other']).nullish(),
  publishingStatus: z.string().max(50).optional(),
  languages: z.array(lang).default([]),
  serviceNames: z
    .array(z.object({ language: lang, value: text.min(1), type: z.enum(['Name', 'AlternativeName']) }))
    .refine((names) => names.some((n) => n.type === 'Name'), 'at least one name of type Name is required'),
  // Description types we do not show (ValidityTime, ProcessingTime, …) are accepted and ignored.
  serviceDescriptions: z.array(z.object({ language: lang, type: z.string().max(100), value: text })).default([]),
  serviceClasses: z.array(classification).default([]),
  targetGroups: z.array(classification).default([]),
  keywords: langValues.default([]),
  organizations: z
    .array(z.object({ roleType: z.string().max(50).optional(), organization: z.object({ id, name: langValues.default([]) }) }))
    .default([]),
  serviceChannels: z.array(z.object({ serviceChannelId: id })).default([]),
  modified: timestamp.optional(),
});

const ptvServiceHours = z.object({
  serviceHourType: z.enum(['DaysOfTheWeek', 'Exceptional']),
  validFrom: date.nullish(),
  validTo: date.nullish(),
  isClosed: z.boolean().default(false),
  openingHour: z
    .array(z.object({ dayFrom: z.enum(WEEKDAYS), dayTo: z.enum(WEEKDAYS).nullish(), from: time, to: time }))
    .default([]),
  additionalInformation: langValues.default([]),
});

const ptvChannel = z.object({
  id,
  serviceChannelType: z.enum(['ServiceLocation', 'Phone', 'EChannel', 'WebPage', 'PrintableForm']),
  organizationId: id.nullish(),
  publishingStatus: z.string().max(50).optional(),
  languages: z.array(lang).default([]),
  serviceChannelNames: z.array(z.object({ language: lang, value: text.min(1), type: z.string().max(50).optional() })).min(1),
  serviceChannelDescriptions: z.array(z.object({ language: lang, type: z.string().max(100), value: text })).default([]),
  addresses: z
    .array(
      z.object({
        type: z.string().max(50).optional(),
        subType: z.string().max(50).optional(),
        streetAddress: z
          .object({
            street: langValues.default([]),
            streetNumber: z.string().max(50).nullish(),
            postalCode: z.string().max(20).nullish(),
            postOffice: langValues.default([]),
            latitude: coordinate.nullish(),
            longitude: coordinate.nullish(),
          })
          .nullish(),
      }),
    )
    .default([]),
  phoneNumbers: z
    .array(
      z.object({
        number: z.string().regex(/^[\d\s()-]{3,30}$/, 'expected a phone number (digits and spaces)'),
        prefixNumber: z
          .string()
          .regex(/^\+\d{1,4}$/, 'expected a country prefix such as +358')
          .nullish(),
        isFinnishServiceNumber: z.boolean().default(false),
        serviceChargeType: z.enum(['Charged', 'FreeOfCharge', 'Other']).nullish(),
        language: lang.nullish(),
        chargeDescription: text.nullish(),
      }),
    )
    .default([]),
  emails: langValues.default([]),
  webPages: z.array(z.object({ language: lang, url })).default([]),
  channelUrls: z.array(z.object({ language: lang, value: url })).default([]),
  formIdentifier: langValues.default([]),
  requiresAuthentication: z.boolean().default(false),
  requiresSignature: z.boolean().default(false),
  serviceHours: z.array(ptvServiceHours).default([]),
  modified: timestamp.optional(),
});

export const ptvDocumentSchema = z.object({
  source: z.string().max(500).optional(),
  organization: ptvOrganization,
  services: z.array(ptvService).max(100_000),
  serviceChannels: z.array(ptvChannel).max(100_000),
});

export type PtvDocument = z.output<typeof ptvDocumentSchema>;
export type PtvService = PtvDocument['services'][number];
export type PtvChannel = PtvDocument['serviceChannels'][number];

/**
 * Why an issue was raised, for pages to say it in the reader's language; `other` has only the
 * English `message` (a pattern rule or a fetch failure).
 */
export type ImportIssueCode =
  | 'required'
  | 'expected_type'
  | 'one_of'
  | 'format'
  | 'too_few'
  | 'too_long'
  | 'too_many'
  | 'empty'
  | 'expected_number'
  | 'expected_date'
  | 'expected_time'
  | 'expected_phone'
  | 'expected_prefix'
  | 'name_required'
  | 'not_object'
  | 'duplicate_id'
  | 'link_skipped'
  | 'other';

/**
 * One problem in a document: where (services[3].serviceNames[0].language) and what — `message`
 * in English for integrations, `code` and `params` for pages. Reports stored before codes
 * existed have only the message.
 */
export interface ImportIssue {
  path: string;
  message: string;
  code?: ImportIssueCode;
  params?: Record<string, string | number>;
}

type IssueReason = Omit<ImportIssue, 'path'>;
const reason = (code: ImportIssueCode, message: string, params?: Record<string, string | number>): IssueReason => ({ message, code, ...(params ? { params } : {}) });

/** At most this many errors are listed; a document of the wrong shape would list thousands. */
export const MAX_LISTED_ISSUES = 100;

/** `services[3].serviceNames[0].language` from zod's ['services', 3, 'serviceNames', 0, 'language']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(document)';
}

/** The schema's own messages (regex and refine rules above) and their codes. */
const OWN_MESSAGES: Record<string, ImportIssueCode> = {
  'expected a date (YYYY-MM-DD)': 'expected_date',
  'expected a time (HH:MM)': 'expected_time',
  'expected a number': 'expected_number',
  'expected a phone number (digits and spaces)': 'expected_phone',
  'expected a country prefix such as +358': 'expected_prefix',
  'at least one name of type Name is required': 'name_required',
};

function issueReason(issue: z.core.$ZodIssue & { input?: unknown }): IssueReason {
  const own = OWN_MESSAGES[issue.message];
  if (own) return reason(own, issue.message);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? reason('required', 'required') : reason('expected_type', `expected ${issue.expected}`, { expected: issue.expected });
    case 'invalid_value': {
      const values = issue.values.map(String).join(', ');
      return reason('one_of', `expected one of ${values}`, { values });
    }
    case 'invalid_format':
      return issue.format === 'regex' || issue.message.startsWith('expected')
        ? reason('other', issue.message)
        : reason('format', `expected ${issue.format}`, { format: issue.format });
    case 'too_small':
      return issue.origin === 'array'
        ? reason('too_few', `expected at least ${issue.minimum} item(s)`, { min: Number(issue.minimum) })
        : issue.origin === 'string'
          ? reason('empty', 'must not be empty')
          : reason('other', issue.message);
    case 'too_big':
      return issue.origin === 'array'
        ? reason('too_many', `expected at most ${issue.maximum} items`, { max: Number(issue.maximum) })
        : reason('too_long', `too long (at most ${issue.maximum})`, { max: Number(issue.maximum) });
    case 'invalid_union':
      return reason('expected_number', 'expected a number');
    default:
      return reason('other', issue.message);
  }
}

export type ValidationResult =
  | { ok: true; document: PtvDocument; warnings: ImportIssue[] }
  | { ok: false; errors: ImportIssue[]; errorCount: number };

/**
 * Validates the whole document before anything is written. Beyond the shape: ids must be
 * unique within their list (an error). A service linking to a channel id that is not in the
 * document is a warning: the link is skipped and the rest imports (real PTV feeds link to other
 * organizations' channels, which an organization-scoped export does not contain).
 */
export function validatePtvDocument(input: unknown): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '(document)', ...reason('not_object', 'expected a JSON object with organization, services and serviceChannels') }], errorCount: 1 };
  }
  const parsed = ptvDocumentSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: formatPath(i.path), ...issueReason(i as z.core.$ZodIssue & { input?: unknown }) }));
    return { ok: false, errors: errors.slice(0, MAX_LISTED_ISSUES), errorCount: errors.length };
  }
  const doc = parsed.data;
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const duplicates = (list: { id: string }[], name: string) => {
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const key = item.id.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) errors.push({ path: `${name}[${i}].id`, ...reason('duplicate_id', `duplicate id (also ${name}[${first}])`, { first: `${name}[${first}]` }) });
      else seen.set(key, i);
    });
    return seen;
  };
  duplicates(doc.services, 'services');
  const channelIds = duplicates(doc.serviceChannels, 'serviceChannels');
  doc.services.forEach((s, i) =>
    s.serviceChannels.forEach((l, j) => {
      if (!channelIds.has(l.serviceChannelId.toLowerCase())) {
        warnings.push({ path: `services[${i}].serviceChannels[${j}].serviceChannelId`, ...reason('link_skipped', 'no channel with this id in the document; link skipped') });
      }
    }),
  );
  if (errors.length) return { ok: false, errors: errors.slice(0, MAX_LISTED_ISSUES), errorCount: errors.length };
  return { ok: true, document: doc, warnings: warnings.slice(0, MAX_LISTED_ISSUES) };
}

// ---------------------------------------------------------------------------------------------
// Mapping to the catalog model (src/modules/catalog/model.ts; columns in 0003_catalog.sql).

/** First non-empty value per language. */
export function localized(values: { language: Lang; value: string }[] | undefined): Localized {
  const out: Localized = {};
  for (const v of values ?? []) {
    const t = v.value.trim();
    if (t && out[v.language] === undefined) out[v.language] = t;
  }
  return out;
}

/** All non-empty values per language, without duplicates. */
export function localizedList(values: { language: Lang; value: string }[] | undefined): LocalizedList {
  const out: LocalizedList = {};
  for (const v of values ?? []) {
    const t = v.value.trim();
    if (!t) continue;
    const list = (out[v.language] ??= []);
    if (!list.includes(t)) list.push(t);
  }
  return out;
}

export function chargeType(v: 'Charged' | 'FreeOfCharge' | 'Other' | null | undefined): ChargeType | null {
  return v === 'FreeOfCharge' ? 'Free' : (v ?? null);
}

/**
 * "+358 9 4567 1000" from prefix "+358" and number "9 4567 1000" (a leading trunk 0 is dropped
 * after a prefix). Finnish service numbers (0800, 0100 …) are called without the country code
 * from Finland, so they keep the national form: "0800 98 765".
 */
export function formatPhone(p: { number: string; prefixNumber?: string | null; isFinnishServiceNumber?: boolean }): string {
  const number = p.number.trim().replace(/\s+/g, ' ');
  if (p.isFinnishServiceNumber) return number.startsWith('0') ? number : `0${number}`;
  if (!p.prefixNumber) return number;
  return `${p.prefixNumber} ${number.replace(/^0\s*/, '')}`;
}

/**
 * PTV service hours as Aukio keeps them. An exceptional entry with only validFrom is that one
 * day, so validTo is filled in with the same date; regular hours without dates are always valid.
 */
export function mapServiceHours(list: PtvChannel['serviceHours']): ServiceHours[] {
  return list.map((h) => {
    const exceptional = h.serviceHourType === 'Exceptional';
    const validFrom = h.validFrom ?? null;
    const hours: OpeningHour[] = h.openingHour.map((o) => ({
      dayFrom: o.dayFrom as Weekday,
      dayTo: (o.dayTo ?? null) as Weekday | null,
      from: o.from,
      to: o.to,
    }));
    return {
      type: exceptional ? 'exceptional' : 'regular',
      validFrom,
      validTo: h.validTo ?? (exceptional ? validFrom : null),
      isClosed: h.isClosed,
      hours,
      info: localized(h.additionalInformation),
    };
  });
}

function classifications(list: { code: string; name: { language: Lang; value: string }[] }[]): Classification[] {
  return list.map((c) => ({ code: c.code, name: localized(c.name) }));
}

function descriptions(list: { language: Lang; type: string; value: string }[], type: string): Localized {
  return localized(list.filter((d) => d.type === type));
}

const isPublished = (status: string | undefined) => status === undefined || status === 'Published';

/** The imported columns of a catalog_services row (everything else is Aukio's own). */
export interface MappedService extends Omit<Service, 'id' | 'tenantId' | 'externalId' | 'organizationId' | 'status' | 'localKeywords' | 'updatedAt'> {
  externalId: string;
  organizationExternalId: string | null;
  status: 'published' | 'archived';
  /** Channel PTV ids in document order (only those in the document). */
  channelExternalIds: string[];
  externalModified: string | null;
}

/** A PTV channel mapped to the stored channel's fields (the rows' ids, org unit and times are the importer's). */
export interface MappedChannel extends Omit<Channel, 'id' | 'tenantId' | 'externalId' | 'organizationId' | 'status' | 'orgUnitId' | 'updatedAt'> {
  externalId: string;
  organizationExternalId: string | null;
  status: 'published' | 'archived';
  externalModified: string | null;
}

export interface MappedOrganization {
  externalId: string;
  names: Localized;
}

const CHANNEL_KIND: Record<PtvChannel['serviceChannelType'], ChannelKind> = {
  ServiceLocation: 'service_location',
  Phone: 'phone',
  EChannel: 'e_service',
  WebPage: 'web_page',
  PrintableForm: 'printable_form',
};

export function mapService(s: PtvService, channelIds: Set<string>, defaultOrg: string): MappedService {
  const responsible = s.organizations.find((o) => o.roleType === 'Responsible') ?? s.organizations[0];
  return {
    externalId: s.id.toLowerCase(),
    organizationExternalId: (responsible?.organization.id ?? defaultOrg).toLowerCase(),
    type: s.type,
    status: isPublished(s.publishingStatus) ? 'published' : 'archived',
    names: localized(s.serviceNames.filter((n) => n.type === 'Name')),
    alternativeNames: localizedList(s.serviceNames.filter((n) => n.type === 'AlternativeName')),
    summary: descriptions(s.serviceDescriptions, 'Summary'),
    description: descriptions(s.serviceDescriptions, 'Description'),
    userInstructions: descriptions(s.serviceDescriptions, 'UserInstruction'),
    chargeType: chargeType(s.serviceChargeType),
    chargeDescription: descriptions(s.serviceDescriptions, 'ChargeTypeAdditionalInfo'),
    serviceClasses: classifications(s.serviceClasses),
    targetGroups: classifications(s.targetGroups),
    keywords: localizedList(s.keywords),
    languages: [...new Set(s.languages)],
    channelExternalIds: [...new Set(s.serviceChannels.map((l) => l.serviceChannelId.toLowerCase()))].filter((cid) => channelIds.has(cid)),
    externalModified: s.modified ?? null,
  };
}

export function mapChannel(c: PtvChannel, defaultOrg: string): MappedChannel {
  const kind = CHANNEL_KIND[c.serviceChannelType];
  // The visiting address; PTV also lists postal addresses, which residents do not walk to.
  const located = c.addresses.find((a) => a.streetAddress && (a.type === 'Location' || a.type === 'Visiting' || !a.type)) ?? c.addresses.find((a) => a.streetAddress);
  const sa = located?.streetAddress ?? null;
  const names = c.serviceChannelNames.filter((n) => !n.type || n.type === 'Name');
  const urls = kind === 'printable_form' && c.channelUrls.length ? c.channelUrls : c.webPages.map((w) => ({ language: w.language, value: w.url }));
  return {
    externalId: c.id.toLowerCase(),
    organizationExternalId: (c.organizationId ?? defaultOrg).toLowerCase(),
    kind,
    status: isPublished(c.publishingStatus) ? 'published' : 'archived',
    names: localized(names.length ? names : c.serviceChannelNames),
    summary: descriptions(c.serviceChannelDescriptions, 'Summary'),
    description: descriptions(c.serviceChannelDescriptions, 'Description'),
    address: sa
      ? { street: localized(sa.street), streetNumber: sa.streetNumber ?? null, postalCode: sa.postalCode ?? null, postOffice: localized(sa.postOffice) }
      : null,
    latitude: sa?.latitude ?? null,
    longitude: sa?.longitude ?? null,
    phones: c.phoneNumbers.map((p) => ({
      number: formatPhone(p),
      lang: p.language ?? null,
      chargeType: chargeType(p.serviceChargeType),
      chargeDescription: p.chargeDescription?.trim() || null,
    })),
    email: c.emails.find((e) => e.value.trim())?.value.trim() ?? null,
    urls: localized(urls),
    formIdentifier: localized(c.formIdentifier),
    requiresAuthentication: c.requiresAuthentication,
    requiresSignature: c.requiresSignature,
    serviceHours: mapServiceHours(c.serviceHours),
    languages: [...new Set(c.languages)],
    externalModified: c.modified ?? null,
  };
}

/** The document's organization plus every organization services name as theirs. */
export function mapOrganizations(doc: PtvDocument): MappedOrganization[] {
  const out = new Map<string, MappedOrganization>();
  out.set(doc.organization.id.toLowerCase(), { externalId: doc.organization.id.toLowerCase(), names: localized(doc.organization.name) });
  for (const s of doc.services) {
    for (const o of s.organizations) {
      const key = o.organization.id.toLowerCase();
      if (!out.has(key) && o.organization.name.length) out.set(key, { externalId: key, names: localized(o.organization.name) });
    }
  }
  return [...out.values()];
}

/** Everything the document says, mapped; the importer only writes. */
export function mapPtvDocument(doc: PtvDocument) {
  const defaultOrg = doc.organization.id;
  const channels = doc.serviceChannels.map((c) => mapChannel(c, defaultOrg));
  const channelIds = new Set(channels.map((c) => c.externalId));
  const organizations = mapOrganizations(doc);
  const orgIds = new Set(organizations.map((o) => o.externalId));
  const services = doc.services.map((s) => mapService(s, channelIds, defaultOrg));
  // A service may name an organization only by id (no names): it is not created, so no link.
  for (const s of services) if (s.organizationExternalId && !orgIds.has(s.organizationExternalId)) s.organizationExternalId = null;
  for (const c of channels) if (c.organizationExternalId && !orgIds.has(c.organizationExternalId)) c.organizationExternalId = null;
  return { organizations, services, channels };
}

/** Hash of the imported fields: equal hash = nothing to write. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
