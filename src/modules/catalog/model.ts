import type { Lang, Localized } from '../../platform/i18n.ts';

/**
 * The catalog's words, shaped after the Finnish Service Catalogue (PTV): a service is what the
 * municipality does for a resident; a service channel is one way to get it (a place to visit,
 * a phone line, an e-service, a web page, a printable form). A service location channel is
 * what residents call a unit. Tables: migrations/0003_catalog.sql.
 */

/** Localized lists, such as alternative names and keywords: {fi: [...], sv: [...]}. */
export type LocalizedList = Partial<Record<Lang, string[]>>;

export type ServiceType = 'Service' | 'PermitOrObligation';
export type ChargeType = 'Charged' | 'Free' | 'Other';
export type CatalogStatus = 'draft' | 'published' | 'archived';

/** A PTV classification entry (service class such as P3.4, target group such as KR1.2). */
export interface Classification {
  code: string;
  name: Localized;
}

export interface Service {
  id: string;
  tenantId: string;
  externalId: string | null;
  organizationId: string | null;
  type: ServiceType;
  status: CatalogStatus;
  names: Localized;
  alternativeNames: LocalizedList;
  summary: Localized;
  description: Localized;
  userInstructions: Localized;
  chargeType: ChargeType | null;
  chargeDescription: Localized;
  serviceClasses: Classification[];
  targetGroups: Classification[];
  keywords: LocalizedList;
  languages: Lang[];
  /** Local additions (extra synonyms/search words); imports never overwrite them. */
  localKeywords: LocalizedList;
  updatedAt: string;
}

export type ChannelKind = 'service_location' | 'phone' | 'e_service' | 'web_page' | 'printable_form';

export interface Address {
  street: Localized;
  streetNumber: string | null;
  postalCode: string | null;
  postOffice: Localized;
}

export interface PhoneNumber {
  /** Full number as dialled, e.g. "+358 9 4567 1000". */
  number: string;
  lang: Lang | null;
  chargeType: ChargeType | null;
  chargeDescription: string | null;
}

export type Weekday = 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday';

/** One opening-hour row: dayFrom..dayTo (inclusive; dayTo null = only dayFrom), from-to as "HH:MM" local time. */
export interface OpeningHour {
  dayFrom: Weekday;
  dayTo: Weekday | null;
  from: string;
  to: string;
}

/**
 * PTV service hours, kept as PTV models them. "regular" = DaysOfTheWeek, optionally limited
 * to validFrom..validTo (ISO dates, inclusive); "exceptional" = single days or a date range that
 * override the regular hours (closed, or other hours). Times are Europe/Helsinki local time.
 */
export interface ServiceHours {
  type: 'regular' | 'exceptional';
  validFrom: string | null;
  validTo: string | null;
  isClosed: boolean;
  hours: OpeningHour[];
  info: Localized;
}

export interface Channel {
  id: string;
  tenantId: string;
  externalId: string | null;
  organizationId: string | null;
  kind: ChannelKind;
  status: CatalogStatus;
  names: Localized;
  summary: Localized;
  description: Localized;
  address: Address | null;
  latitude: number | null;
  longitude: number | null;
  phones: PhoneNumber[];
  email: string | null;
  urls: Localized;
  formIdentifier: Localized;
  requiresAuthentication: boolean;
  requiresSignature: boolean;
  serviceHours: ServiceHours[];
  languages: Lang[];
  orgUnitId: string | null;
  updatedAt: string;
}

export interface Organization {
  id: string;
  tenantId: string;
  externalId: string | null;
  names: Localized;
}

export interface ContentPage {
  id: string;
  tenantId: string;
  slug: string;
  title: Localized;
  summary: Localized;
  /** Sanitized HTML per language. */
  body: Localized;
  topic: string | null;
  published: { title: Localized; summary: Localized; body: Localized; version: number } | null;
  publishedAt: string | null;
  version: number;
  updatedAt: string;
}

/** Row mappers: the one place that turns snake_case rows into the types above. */
export function serviceFromRow(r: Record<string, any>): Service {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    externalId: r.external_id,
    organizationId: r.organization_id,
    type: r.type,
    status: r.status,
    names: r.names,
    alternativeNames: r.alternative_names,
    summary: r.summary,
    description: r.description,
    userInstructions: r.user_instructions,
    chargeType: r.charge_type,
    chargeDescription: r.charge_description,
    serviceClasses: r.service_classes,
    targetGroups: r.target_groups,
    keywords: r.keywords,
    languages: r.languages,
    localKeywords: r.local_keywords,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function channelFromRow(r: Record<string, any>): Channel {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    externalId: r.external_id,
    organizationId: r.organization_id,
    kind: r.kind,
    status: r.status,
    names: r.names,
    summary: r.summary,
    description: r.description,
    address: r.address,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
    phones: r.phones,
    email: r.email,
    urls: r.urls,
    formIdentifier: r.form_identifier,
    requiresAuthentication: r.requires_authentication,
    requiresSignature: r.requires_signature,
    serviceHours: r.service_hours,
    languages: r.languages,
    orgUnitId: r.org_unit_id,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function contentPageFromRow(r: Record<string, any>): ContentPage {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    body: r.body,
    topic: r.topic,
    published: r.published,
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    version: r.version,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
