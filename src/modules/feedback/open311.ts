import type { Actor, ApiToken } from '../identity/actor.ts';
import type { ApiTokenService } from '../identity/api-tokens.ts';
import type { Tenant, TenancyService } from '../tenancy/tenants.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { isLang, LANGUAGES, negotiateLanguage, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import type { FeedbackCaseService } from './cases.ts';
import type { FeedbackCategoryService } from './categories.ts';
import { isUuid } from './categories.ts';
import { FINISHED_STATUSES, open311Status, type AttributeDatatype, type CaseStatus, type Category } from './model.ts';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the feedback module:
 * categories are "services", cases are "service requests". Posting goes through
 * FeedbackCaseService.submit (the one case flow, with its validation, spam checks and
 * double-submission rules); reading shows only what may be public (see requestRows).
 *
 * Words: jurisdiction = tenant (jurisdiction_id is its slug or one of its host names);
 * service_request_id = the case number; token = the case's open311_token.
 */

export const OPEN311_SCOPE = 'open311';
export const OPEN311_SPEC = 'http://wiki.open311.org/GeoReport_v2';
/** GET requests without dates covers this many days, and no range may span more. */
export const WINDOW_DAYS = 90;
export const MAX_RESULTS = 1000;
const MAX_MEDIA_URL = 2000;
const MAX_CLIENT_ID = 200;

export type Format = 'json' | 'xml';

// ---------------------------------------------------------------- XML

/** Element names of list items, by the list's own element name (the spec's XML shapes). */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/F):
// they are dropped, since no escape makes them legal and a parser would reject the document.
const XML_ILLEGAL = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content safe in any XML element: every markup character escaped, illegal ones removed. */
export function xmlText(v: string): string {
  return v
    .replace(XML_ILLEGAL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [k: string]: XmlValue };

function writeElement(name: string, value: XmlValue, out: string[]): void {
  // Element names are ours (the spec's field names), never data; a bad one is a bug.
  if (!XML_NAME.test(name)) throw new Error(`not an XML name: ${name}`);
  if (value === null || value === undefined || value === '') {
    out.push(`<${name}/>`);
  } else if (Array.isArray(value)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`no item name for the list ${name}`);
    out.push(`<${name}>`);
    for (const v of value) writeElement(item, v, out);
    out.push(`</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) writeElement(k, v, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${xmlText(typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value))}</${name}>`);
  }
}

/** A whole document: the declaration the spec asks for, then the root element. */
export function toXml(root: string, value: XmlValue): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeElement(root, value, out);
  out.push('\n');
  return out.join('');
}

/**
 * JSON with "<", U+2028 and U+2029 escaped as well: the same bytes stay inert if a client
 * ever embeds the answer in an HTML page or a script.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function render(format: Format, root: string, value: XmlValue): { body: string; contentType: string } {
  return format === 'xml'
    ? { body: toXml(root, value), contentType: 'text/xml; charset=utf-8' }
    : { body: toJson(value), contentType: 'application/json; charset=utf-8' };
}

// ---------------------------------------------------------------- errors

export interface Open311Error {
  code: number;
  description: string;
}

/** Open311 names of the fields SubmissionInput calls differently. */
const FIELD_NAMES: Record<string, string> = {
  categoryCode: 'service_code',
  description: 'description',
  lat: 'lat',
  lon: 'long',
  location: 'lat/long, address_string or address_id',
  address: 'address_string',
  contactEmail: 'email',
  contactPhone: 'phone',
  contactName: 'first_name/last_name',
  lang: 'locale',
  _: 'request',
};

/** What a field problem means, in the caller's language (the field name stays the spec's). */
const REASONS: Record<string, Record<Lang, string>> = {
  required: { fi: 'puuttuu', sv: 'saknas', en: 'is required' },
  not_found: { fi: 'tuntematon', sv: 'okänd', en: 'is not known' },
  too_long: { fi: 'on liian pitkä', sv: 'är för lång', en: 'is too long' },
  too_many: { fi: 'liian monta', sv: 'för många', en: 'too many' },
  too_many_links: { fi: 'sisältää liian monta linkkiä', sv: 'innehåller för många länkar', en: 'contains too many links' },
  invalid_value: { fi: 'ei ole sallittu arvo', sv: 'är inte ett tillåtet värde', en: 'is not one of the allowed values' },
  invalid_number: { fi: 'ei ole luku', sv: 'är inte ett tal', en: 'is not a number' },
  invalid_datetime: { fi: 'ei ole ISO 8601 -aika', sv: 'är inte en ISO 8601-tid', en: 'is not an ISO 8601 date and time' },
  invalid_email: { fi: 'ei ole sähköpostiosoite', sv: 'är inte en e-postadress', en: 'is not an e-mail address' },
  invalid_phone: { fi: 'ei ole puhelinnumero', sv: 'är inte ett telefonnummer', en: 'is not a phone number' },
  invalid_url: { fi: 'ei ole http(s)-osoite', sv: 'är inte en http(s)-adress', en: 'is not an http(s) URL' },
  out_of_range: { fi: 'on sallitun alueen ulkopuolella', sv: 'ligger utanför det tillåtna intervallet', en: 'is out of range' },
  incomplete: { fi: 'vaatii sekä lat- että long-arvon', sv: 'kräver både lat och long', en: 'needs both lat and long' },
  unknown: { fi: 'ei kuulu tähän palveluun', sv: 'hör inte till den här tjänsten', en: 'is not an attribute of this service' },
  invalid: { fi: 'on virheellinen', sv: 'är felaktig', en: 'is invalid' },
  invalid_type: { fi: 'on väärää tyyppiä', sv: 'har fel typ', en: 'has the wrong type' },
  range_too_long: { fi: `kattaa yli ${WINDOW_DAYS} päivää`, sv: `omfattar mer än ${WINDOW_DAYS} dagar`, en: `spans more than ${WINDOW_DAYS} days` },
  before_start: { fi: 'on ennen start_date-aikaa', sv: 'är före start_date', en: 'is before start_date' },
  honeypot: { fi: 'näyttää automaattiselta', sv: 'ser automatisk ut', en: 'looks automated' },
};

const API_KEY_TEXT: Record<Lang, string> = {
  fi: 'api_key puuttuu tai ei kelpaa tälle lainkäyttöalueelle (tarvitaan open311-oikeus)',
  sv: 'api_key saknas eller gäller inte för den här jurisdiktionen (open311-behörighet krävs)',
  en: 'api_key is missing or not valid for this jurisdiction (the open311 scope is needed)',
};
const JURISDICTION_TEXT: Record<Lang, string> = {
  fi: 'jurisdiction_id on tuntematon',
  sv: 'jurisdiction_id är okänt',
  en: 'jurisdiction_id is not known',
};

export function fieldName(field: string): string {
  const attr = /^attributes\.(.+)$/.exec(field);
  if (attr) return `attribute[${attr[1]}]`;
  return FIELD_NAMES[field] ?? field;
}

/**
 * Any error as the spec's list of {code, description} with its HTTP status. A validation
 * failure becomes one entry per field, each naming the field as the spec does.
 */
export function toOpen311Errors(err: AppError, lang: Lang): { status: number; errors: Open311Error[] } {
  const d = err.details ?? {};
  const fields = d.fields && typeof d.fields === 'object' ? (d.fields as Record<string, string>) : null;
  if (typeof d.open311 === 'string') return { status: err.status, errors: [{ code: err.status, description: d.open311 }] };
  if (fields && Object.keys(fields).length) {
    return {
      status: err.status,
      errors: Object.entries(fields).map(([f, reason]) => ({
        code: err.status,
        description: `${f === 'location' && reason === 'incomplete' ? 'lat/long' : fieldName(f)} ${REASONS[reason]?.[lang] ?? reason}`,
      })),
    };
  }
  return { status: err.status, errors: [{ code: err.status, description: errorMessage(err.code, lang) }] };
}

export function open311Error(status: number, description: string): AppError {
  const code = status === 403 ? 'forbidden' : status === 404 ? 'not_found' : 'validation_failed';
  return new AppError(code, status, { open311: description });
}

const fieldError = (field: string, reason: string) => new AppError('validation_failed', 400, { fields: { [field]: reason } });

// ---------------------------------------------------------------- input

/** A request's parameters (query string or body): every name with all its values. */
export type Params = Record<string, string[]>;

export function paramsFromSearch(search: URLSearchParams): Params {
  const out: Params = {};
  for (const [k, v] of search) (out[k] ??= []).push(v);
  return out;
}

/**
 * A JSON body in the same shape as a form: scalars become strings, lists stay lists and an
 * "attribute" object becomes attribute[code] (a list: attribute[code][]).
 */
export function paramsFromJson(body: unknown): Params {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('validation_failed', 400, { fields: { _: 'invalid_type' } });
  const out: Params = {};
  const scalar = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
  const put = (k: string, v: unknown) => {
    if (v === null || v === undefined) return;
    const list = Array.isArray(v) ? v : [v];
    for (const x of list) {
      const s = scalar(x);
      if (s === null) throw new AppError('validation_failed', 400, { fields: { [k]: 'invalid_type' } });
      (out[k] ??= []).push(s);
    }
  };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [code, av] of Object.entries(v as Record<string, unknown>)) put(Array.isArray(av) ? `attribute[${code}][]` : `attribute[${code}]`, av);
    } else put(k, v);
  }
  return out;
}

const one = (p: Params, name: string): string | undefined => {
  const v = p[name]?.[0];
  return v === undefined ? undefined : v.trim() === '' ? undefined : v;
};

/** attribute[code]=v and attribute[code][]=v1&attribute[code][]=v2 (the spec's multivaluelist form). */
export function attributesFrom(p: Params): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, values] of Object.entries(p)) {
    const m = /^attribute\[([^\]]{1,100})\](\[\])?$/.exec(k);
    if (!m) continue;
    const code = m[1];
    const prior = out[code];
    const all = [...(prior === undefined ? [] : Array.isArray(prior) ? prior : [prior]), ...values];
    out[code] = m[2] || all.length > 1 ? all : all[0];
  }
  return out;
}

const DECIMAL = /^\s*[-+]?\d{1,3}(\.\d{1,15})?\s*$/;

function coordinate(p: Params, name: 'lat' | 'long'): number | null {
  const v = one(p, name);
  if (v === undefined) return null;
  if (!DECIMAL.test(v)) throw fieldError(name === 'long' ? 'lon' : 'lat', 'invalid_number');
  return Number(v);
}

function clientText(p: Params, name: string, max: number): string | null {
  const v = one(p, name);
  if (v === undefined) return null;
  if (v.length > max) throw new AppError('validation_failed', 400, { fields: { [name]: 'too_long' } });
  return v.trim();
}

/** media_url is kept and shown, never fetched: only absolute http(s) URLs, so no client can be handed a javascript: link. */
export function mediaUrl(p: Params): string | null {
  const v = one(p, 'media_url');
  if (v === undefined) return null;
  if (v.length > MAX_MEDIA_URL) throw new AppError('validation_failed', 400, { fields: { media_url: 'too_long' } });
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    throw new AppError('validation_failed', 400, { fields: { media_url: 'invalid_url' } });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppError('validation_failed', 400, { fields: { media_url: 'invalid_url' } });
  return u.href;
}

/** A datetime parameter: ISO 8601 (the spec's w3 subset); anything Date cannot read is a 400. */
function dateParam(p: Params, name: string): Date | null {
  const v = one(p, name);
  if (v === undefined) return null;
  const t = v.length <= 40 ? Date.parse(v) : NaN;
  // Years outside 1900–9999 would overflow the window arithmetic and mean nothing here.
  if (Number.isNaN(t) || t < Date.UTC(1900, 0, 1) || t >= Date.UTC(10000, 0, 1)) throw new AppError('validation_failed', 400, { fields: { [name]: 'invalid_datetime' } });
  return new Date(t);
}

/** Open311 datetimes: ISO 8601 in UTC, whole seconds (the common subset every client reads). */
export function w3cDate(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return new Date(v).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------- texts

const DATATYPE_HELP: Record<AttributeDatatype, Record<Lang, string>> = {
  string: { fi: 'Lyhyt teksti (enintään 200 merkkiä)', sv: 'Kort text (högst 200 tecken)', en: 'Short text (at most 200 characters)' },
  text: { fi: 'Teksti (enintään 2000 merkkiä)', sv: 'Text (högst 2000 tecken)', en: 'Text (at most 2,000 characters)' },
  number: { fi: 'Luku, esim. 12 tai 12.5', sv: 'Tal, t.ex. 12 eller 12.5', en: 'A number, e.g. 12 or 12.5' },
  datetime: {
    fi: 'Päivämäärä ja aika ISO 8601 -muodossa, esim. 2026-05-04T10:00:00+03:00',
    sv: 'Datum och tid i ISO 8601-format, t.ex. 2026-05-04T10:00:00+03:00',
    en: 'Date and time in ISO 8601, e.g. 2026-05-04T10:00:00+03:00',
  },
  singlevaluelist: { fi: 'Yksi values-luettelon avaimista', sv: 'En av nycklarna i values', en: 'One of the keys in values' },
  multivaluelist: {
    fi: 'Yksi tai useampi values-luettelon avaimista (attribute[koodi][]=…)',
    sv: 'En eller flera av nycklarna i values (attribute[kod][]=…)',
    en: 'One or more of the keys in values (attribute[code][]=…)',
  },
};

function notice(lang: Lang, days: number, number?: number): string {
  const n = number === undefined ? '' : { fi: `Palaute nro ${number} on vastaanotettu. `, sv: `Respons nr ${number} har tagits emot. `, en: `Request no. ${number} received. ` }[lang];
  const t = {
    fi: `Tavoitteellinen käsittelyaika on ${days} päivää.`,
    sv: `Målet är att behandla ärendet inom ${days} dagar.`,
    en: `We aim to handle it within ${days} days.`,
  }[lang];
  return n + t;
}

const KEY_SERVICE: Record<Lang, string> = {
  fi: 'API-avaimen (open311-oikeus) myöntää organisaation pääkäyttäjä henkilöstökonsolin API-avaimet-sivulla.',
  sv: 'API-nyckeln (open311-behörighet) utfärdas av organisationens huvudanvändare på sidan API-nycklar i personalkonsolen.',
  en: 'API keys (scope open311) are issued by the tenant’s administrators on the API tokens page of the staff console.',
};

// ---------------------------------------------------------------- service

export interface Open311Deps {
  db: Db;
  tenancy: TenancyService;
  feedbackCategories: FeedbackCategoryService;
  feedback: FeedbackCaseService;
  apiTokens: ApiTokenService;
}

export interface Open311Request {
  /** The tenant the Host header names, if any. */
  hostTenant: Tenant | null;
  params: Params;
  acceptLanguage?: string;
  ip?: string;
  /** The request's origin; used for links only when it is the jurisdiction's own host. */
  origin?: string;
}

export interface Jurisdiction {
  tenant: Tenant;
  lang: Lang;
}

interface RequestRow {
  number: string;
  status: CaseStatus;
  publication: string;
  public_description: string | null;
  public_answer: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  created_at: Date | string;
  updated_at: Date | string;
  due_at: Date | string;
  code: string;
  names: Localized;
  allow_public: boolean;
  sla_days: number;
  unit_names: Localized;
  media_url: string | null;
}

export class Open311Service {
  // jurisdiction_id → tenant, briefly: a busy client names it on every call.
  private jurisdictions = new Map<string, { tenant: Tenant | null; at: number }>();

  constructor(private d: Open311Deps) {}

  /**
   * The tenant a call is for: jurisdiction_id (a tenant's slug or one of its host names)
   * when given, else the tenant of the Host header. Unknown → 404.
   */
  async jurisdiction(req: Open311Request): Promise<Jurisdiction> {
    const jid = one(req.params, 'jurisdiction_id')?.trim().toLowerCase();
    let tenant: Tenant | null = req.hostTenant;
    if (jid !== undefined) {
      tenant = req.hostTenant && (req.hostTenant.slug === jid || req.hostTenant.hostnames.includes(jid)) ? req.hostTenant : await this.byJurisdictionId(jid);
    }
    if (!tenant) throw open311Error(404, JURISDICTION_TEXT[this.langFor(null, req)]);
    return { tenant, lang: this.langFor(tenant, req) };
  }

  private async byJurisdictionId(jid: string): Promise<Tenant | null> {
    if (jid.length > 253 || !/^[a-z0-9.-]+(:\d+)?$/.test(jid)) return null;
    const hit = this.jurisdictions.get(jid);
    if (hit && Date.now() - hit.at < 5000) return hit.tenant;
    const tenant = (await this.d.tenancy.getBySlug(jid)) ?? (await this.d.tenancy.resolveByHost(jid));
    if (this.jurisdictions.size > 1000) this.jurisdictions.clear();
    this.jurisdictions.set(jid, { tenant, at: Date.now() });
    return tenant;
  }

  /** locale (the v2.1 draft's parameter, e.g. sv_FI) or lang, then Accept-Language, then the tenant's default. */
  private langFor(tenant: Tenant | null, req: Open311Request): Lang {
    const allowed = tenant?.languages ?? [...LANGUAGES];
    const fallback = tenant?.defaultLanguage ?? 'fi';
    const asked = (one(req.params, 'locale') ?? one(req.params, 'lang'))?.toLowerCase().split(/[-_]/)[0];
    if (isLang(asked) && allowed.includes(asked)) return asked;
    return negotiateLanguage(req.acceptLanguage, allowed, fallback);
  }

  async discovery(req: Open311Request, endpointUrl: string) {
    const { tenant, lang } = await this.jurisdiction(req);
    const r = await this.d.db.query<{ changed: Date | null }>('select max(updated_at) as changed from feedback_categories where tenant_id = $1', [tenant.id]);
    const changeset = w3cDate(r.rows[0]?.changed ?? new Date('2026-01-01T00:00:00Z'));
    return {
      changeset,
      contact: [tenant.contact.email, tenant.contact.phone].filter(Boolean).join(', ') || null,
      key_service: KEY_SERVICE[lang],
      endpoints: [{ specification: OPEN311_SPEC, url: endpointUrl, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
    };
  }

  async services(req: Open311Request) {
    const { tenant, lang } = await this.jurisdiction(req);
    const categories = await this.d.feedbackCategories.listActive(tenant.id);
    return categories.map((c) => ({
      service_code: c.code,
      service_name: pick(c.names, lang).text,
      description: pick(c.descriptions, lang).text || null,
      metadata: c.attributes.length > 0,
      type: 'realtime',
      keywords: (c.keywords[lang] ?? []).join(', ') || null,
      group: pick(c.groupNames, lang).text || null,
    }));
  }

  async definition(req: Open311Request, code: string) {
    const { tenant, lang } = await this.jurisdiction(req);
    const c = await this.d.feedbackCategories.byCode(tenant.id, code);
    if (!c) throw open311Error(404, `service_code ${REASONS.not_found[lang]}`);
    return serviceDefinition(c, lang);
  }

  /** POST requests: authenticates the client, then the one case flow. */
  async post(req: Open311Request, idempotencyKey?: string) {
    const { tenant, lang } = await this.jurisdiction(req);
    const token = await this.authenticate(tenant, one(req.params, 'api_key'), lang);
    const p = req.params;
    const code = one(p, 'service_code');
    if (!code) throw fieldError('categoryCode', 'required');

    let lat = coordinate(p, 'lat');
    let lon = coordinate(p, 'long');
    let address = one(p, 'address_string') ?? null;
    const addressId = one(p, 'address_id');
    if (addressId !== undefined) {
      const a = await this.address(tenant.id, addressId, lang);
      if (!a) throw new AppError('validation_failed', 400, { fields: { address_id: 'not_found' } });
      address ??= a.text;
      if (lat === null && lon === null) [lat, lon] = [a.lat, a.lon];
    }
    const name = [clientText(p, 'first_name', 100), clientText(p, 'last_name', 100)].filter(Boolean).join(' ') || null;
    const accountId = clientText(p, 'account_id', MAX_CLIENT_ID);
    const deviceId = clientText(p, 'device_id', MAX_CLIENT_ID);
    const media = mediaUrl(p);
    const actor: Actor = { kind: 'api_token', token };
    const result = await this.d.feedback.submit(
      actor,
      tenant.id,
      {
        // submit() looks the category up (unknown → service_code not found) and validates against it.
        categoryCode: code,
        description: p.description?.[0] ?? '',
        attributes: attributesFrom(p),
        lat,
        lon,
        address,
        contactName: name,
        contactEmail: one(p, 'email') ?? null,
        contactPhone: one(p, 'phone') ?? null,
        lang,
        idempotencyKey: idempotencyKey ?? null,
      },
      {
        channel: 'open311',
        apiTokenId: token.id,
        ip: req.ip,
        origin: req.hostTenant?.id === tenant.id ? req.origin : undefined,
        // Kept in the case's "created" event: staff see them, GET shows media_url once published.
        createdData: { ...(media ? { mediaUrl: media } : {}), ...(accountId ? { accountId } : {}), ...(deviceId ? { deviceId } : {}) },
      },
    );
    const days = (await this.slaDays(tenant.id)).get(code) ?? 14;
    return [{ service_request_id: String(result.number), service_notice: notice(lang, days, result.number), account_id: accountId }];
  }

  // The notice's handling time per service_code, briefly cached: on the busy POST path the
  // case flow already reads the category once, and a notice a few seconds stale is harmless.
  private sla = new Map<string, { days: Map<string, number>; at: number }>();

  private async slaDays(tenantId: string): Promise<Map<string, number>> {
    const hit = this.sla.get(tenantId);
    if (hit && Date.now() - hit.at < 5000) return hit.days;
    const days = new Map((await this.d.feedbackCategories.listActive(tenantId)).map((c) => [c.code, c.slaDays]));
    if (this.sla.size > 1000) this.sla.clear();
    this.sla.set(tenantId, { days, at: Date.now() });
    return days;
  }

  /** api_key: an Aukio API token of this tenant with the open311 scope; anything else is a 403. */
  private async authenticate(tenant: Tenant, key: string | undefined, lang: Lang): Promise<ApiToken> {
    const token = key ? await this.d.apiTokens.authenticate(tenant.id, key.trim()) : null;
    if (!token || !token.scopes.includes(OPEN311_SCOPE)) throw open311Error(403, API_KEY_TEXT[lang]);
    return token;
  }

  private async address(tenantId: string, id: string, lang: Lang): Promise<{ text: string; lat: number; lon: number } | null> {
    if (!isUuid(id)) return null;
    const r = await this.d.db.query<{ street: Localized; house_number: string; lat: number; lon: number }>(
      'select street, house_number, lat, lon from geo_addresses where tenant_id = $1 and id = $2',
      [tenantId, id],
    );
    const a = r.rows[0];
    return a ? { text: `${pick(a.street, lang).text} ${a.house_number}`.trim(), lat: a.lat, lon: a.lon } : null;
  }

  /** GET requests with the spec's filters; see requestRows for what is shown. */
  async requests(req: Open311Request) {
    const { tenant, lang } = await this.jurisdiction(req);
    const p = req.params;
    const ids = one(p, 'service_request_id');
    if (ids !== undefined) {
      // The spec: service_request_id overrides every other argument.
      const list = ids.split(',').map((s) => s.trim()).filter(Boolean);
      if (list.length > MAX_RESULTS || list.some((s) => !/^\d{1,15}$/.test(s))) throw new AppError('validation_failed', 400, { fields: { service_request_id: 'invalid' } });
      return this.requestRows(tenant.id, lang, { numbers: list.map(Number) });
    }
    // Lists are comma-delimited (the spec); a parameter given more than once counts too.
    const many = (name: string) => {
      const v = (p[name] ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
      return v.length ? v : undefined;
    };
    const codes = many('service_code');
    const statuses = many('status')?.map((x) => x.toLowerCase());
    if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw new AppError('validation_failed', 400, { fields: { status: 'invalid_value' } });
    let start = dateParam(p, 'start_date');
    let end = dateParam(p, 'end_date');
    const span = WINDOW_DAYS * 86_400_000;
    if (start && end) {
      if (end < start) throw new AppError('validation_failed', 400, { fields: { end_date: 'before_start' } });
      if (end.getTime() - start.getTime() > span) throw new AppError('validation_failed', 400, { fields: { end_date: 'range_too_long' } });
    } else if (start) end = new Date(start.getTime() + span);
    else if (end) start = new Date(end.getTime() - span);
    else {
      end = new Date();
      start = new Date(end.getTime() - span);
    }
    return this.requestRows(tenant.id, lang, { codes, statuses: statuses as ('open' | 'closed')[] | undefined, start: start!, end: end! });
  }

  async request(req: Open311Request, id: string) {
    const { tenant, lang } = await this.jurisdiction(req);
    if (!/^\d{1,15}$/.test(id)) throw open311Error(404, `service_request_id ${REASONS.not_found[lang]}`);
    const rows = await this.requestRows(tenant.id, lang, { numbers: [Number(id)] });
    if (!rows.length) throw open311Error(404, `service_request_id ${REASONS.not_found[lang]}`);
    return rows;
  }

  async token(req: Open311Request, token: string) {
    const { tenant, lang } = await this.jurisdiction(req);
    const r =
      token.length <= 100
        ? await this.d.db.query<{ number: string }>('select number from feedback_cases where tenant_id = $1 and open311_token = $2', [tenant.id, token])
        : { rows: [] };
    if (!r.rows[0]) throw open311Error(404, `token ${REASONS.not_found[lang]}`);
    return [{ service_request_id: String(r.rows[0].number), token }];
  }

  /**
   * Service requests as the public may see them. Every case of the tenant is listed with
   * its service, open/closed status and dates; the resident's own words never are. The
   * description is the moderated public text and status_notes the public answer, both only
   * once published in a category that allows publishing; the location only in such a
   * category; media_url only once published; contact details never.
   */
  private async requestRows(
    tenantId: string,
    lang: Lang,
    f: { numbers?: number[]; codes?: string[]; statuses?: ('open' | 'closed')[]; start?: Date; end?: Date },
  ) {
    const where = ['c.tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (f.numbers) add('c.number = any(?::bigint[])', f.numbers);
    if (f.codes?.length) add('k.code = any(?::text[])', f.codes);
    if (f.statuses?.length === 1) add(`(c.status = any(?::text[])) = ${f.statuses[0] === 'closed' ? 'true' : 'false'}`, FINISHED_STATUSES);
    if (f.start) add('c.created_at >= ?', f.start.toISOString());
    if (f.end) add('c.created_at <= ?', f.end.toISOString());
    const r = await this.d.db.query<RequestRow>(
      `select c.number, c.status, c.publication, c.public_description, c.public_answer, c.address, c.lat, c.lon, c.created_at, c.updated_at,
         c.due_at, k.code, k.names, k.allow_public, k.sla_days, u.names as unit_names,
         case when c.publication = 'published' and k.allow_public then
           (select e.data->>'mediaUrl' from feedback_case_events e where e.case_id = c.id and e.kind = 'created' order by e.id limit 1) end as media_url
       from feedback_cases c join feedback_categories k on k.id = c.category_id join org_units u on u.id = c.org_unit_id
       where ${where.join(' and ')}
       order by c.created_at desc, c.number desc limit ${MAX_RESULTS}`,
      params,
    );
    return r.rows.map((row) => requestView(row, lang));
  }
}

export function serviceDefinition(c: Category, lang: Lang) {
  return {
    service_code: c.code,
    attributes: c.attributes.map((a) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: DATATYPE_HELP[a.datatype][lang],
      order: a.order,
      description: pick(a.description, lang).text,
      values: a.values.map((v) => ({ key: v.key, name: pick(v.name, lang).text })),
    })),
  };
}

function requestView(r: RequestRow, lang: Lang) {
  const published = r.publication === 'published' && r.allow_public;
  const status = open311Status(r.status);
  return {
    service_request_id: String(r.number),
    status,
    status_notes: published ? r.public_answer || null : null,
    service_name: pick(r.names, lang).text,
    service_code: r.code,
    description: published ? r.public_description || null : null,
    agency_responsible: pick(r.unit_names, lang).text,
    service_notice: status === 'open' ? notice(lang, r.sla_days) : null,
    requested_datetime: w3cDate(r.created_at),
    updated_datetime: w3cDate(r.updated_at),
    expected_datetime: status === 'open' ? w3cDate(r.due_at) : null,
    // The typed address may be someone's home ("outside Rantatie 5 B 12"): shown only once a
    // person has published the case; the coordinates of a public category show the place.
    address: published ? r.address : null,
    address_id: null,
    zipcode: null,
    lat: r.allow_public ? r.lat : null,
    long: r.allow_public ? r.lon : null,
    media_url: published ? r.media_url : null,
  };
}

