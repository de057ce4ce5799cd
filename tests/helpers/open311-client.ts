import { XMLParser, XMLValidator } from 'fast-xml-parser';

/*
 * An Open311 GeoReport v2 client written from the specification
 * (http://wiki.open311.org/GeoReport_v2), not from Aukio's server code: it knows only the
 * spec's resources, parameters, field names and XML shapes. XML answers must be well-formed
 * (checked with a real parser's validator) and start with the XML declaration; JSON answers
 * must be JSON. Values are typed as the spec describes them, whichever format carried them.
 */

export type Format = 'json' | 'xml';
export type Transport = (path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<Response>;

export interface Service {
  service_code: string;
  service_name: string;
  description: string | null;
  metadata: boolean;
  type: string;
  keywords: string | null;
  group: string | null;
}

export interface AttributeValue {
  key: string;
  name: string;
}

export interface ServiceAttribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: AttributeValue[];
}

export interface ServiceDefinition {
  service_code: string;
  attributes: ServiceAttribute[];
}

export interface PostResult {
  service_request_id: string | null;
  token: string | null;
  service_notice: string | null;
  account_id: string | null;
}

export interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string | null;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface NewRequest {
  service_code: string;
  lat?: number;
  long?: number;
  address_string?: string;
  address_id?: string;
  email?: string;
  device_id?: string;
  account_id?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description?: string;
  media_url?: string;
  /** attribute[code]=value; an array is sent as attribute[code][]=… (multivaluelist). */
  attribute?: Record<string, string | string[]>;
}

export interface RequestFilter {
  service_request_id?: string[];
  service_code?: string[];
  start_date?: string;
  end_date?: string;
  status?: ('open' | 'closed')[];
}

/** A failed call: the HTTP status and the spec's error list. */
export class Open311ClientError extends Error {
  constructor(
    readonly status: number,
    readonly errors: { code: number; description: string }[],
    readonly headers: Headers,
  ) {
    super(`Open311 ${status}: ${errors.map((e) => `${e.code} ${e.description}`).join('; ')}`);
  }
}

// Elements that are lists in the spec's XML, so a one-item list is still a list.
const LIST_ITEMS = new Set(['service', 'attribute', 'value', 'request', 'error', 'endpoint', 'format']);

const parser = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => LIST_ITEMS.has(name),
});

/** Parses an XML answer; throws if it is not well-formed or lacks the declaration the spec requires. */
export function parseXml(text: string): Record<string, unknown> {
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error('XML answer without the UTF-8 XML declaration');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  return parser.parse(text) as Record<string, unknown>;
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));
const num = (v: unknown): number | null => (v === undefined || v === null || v === '' ? null : Number(v));
const bool = (v: unknown): boolean => v === true || v === 'true';
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]);

export class Open311Client {
  constructor(
    private transport: Transport,
    private opts: { base?: string; format: Format; jurisdictionId?: string; apiKey?: string },
  ) {}

  private get base() {
    return this.opts.base ?? '/open311/v2';
  }

  private query(extra: Record<string, string | undefined> = {}): string {
    const q = new URLSearchParams();
    if (this.opts.jurisdictionId) q.set('jurisdiction_id', this.opts.jurisdictionId);
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  /** One call; returns the parsed body (JSON value, or the XML root element's content). */
  async call(path: string, init: { method?: string; body?: string } = {}): Promise<{ root: string; value: unknown; status: number; headers: Headers }> {
    const f = this.opts.format;
    const res = await this.transport(`${this.base}/${path}`, {
      method: init.method ?? 'GET',
      headers: init.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      body: init.body,
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    let root = '';
    let value: unknown;
    if (f === 'xml') {
      if (!/^(text|application)\/xml\b/.test(type)) throw new Error(`expected XML, got ${type} (${res.status})`);
      const doc = parseXml(text);
      root = Object.keys(doc)[0];
      value = doc[root];
    } else {
      if (!type.startsWith('application/json')) throw new Error(`expected JSON, got ${type} (${res.status})`);
      value = JSON.parse(text);
    }
    if (res.status >= 400) {
      const errors = f === 'xml' ? list((value as { error?: unknown })?.error) : list(value);
      if (f === 'xml' && root !== 'errors') throw new Error(`error answer with root <${root}>`);
      throw new Open311ClientError(
        res.status,
        errors.map((e) => ({ code: Number((e as { code: unknown }).code), description: String((e as { description: unknown }).description ?? '') })),
        res.headers,
      );
    }
    return { root, value, status: res.status, headers: res.headers };
  }

  /** The list items of a list answer (<root><item/>…</root> in XML, an array in JSON). */
  private items(r: { root: string; value: unknown }, root: string, item: string): Record<string, unknown>[] {
    if (this.opts.format === 'json') {
      if (!Array.isArray(r.value)) throw new Error('expected a JSON array');
      return r.value as Record<string, unknown>[];
    }
    if (r.root !== root) throw new Error(`expected <${root}>, got <${r.root}>`);
    return list((r.value as Record<string, unknown> | '')?.[item as never]) as Record<string, unknown>[];
  }

  async services(): Promise<Service[]> {
    const r = await this.call(`services.${this.opts.format}${this.query()}`);
    return this.items(r, 'services', 'service').map((s) => ({
      service_code: String(s.service_code),
      service_name: String(s.service_name ?? ''),
      description: str(s.description),
      metadata: bool(s.metadata),
      type: String(s.type ?? ''),
      keywords: str(s.keywords),
      group: str(s.group),
    }));
  }

  async serviceDefinition(code: string): Promise<ServiceDefinition> {
    const r = await this.call(`services/${encodeURIComponent(code)}.${this.opts.format}${this.query()}`);
    if (this.opts.format === 'xml' && r.root !== 'service_definition') throw new Error(`expected <service_definition>, got <${r.root}>`);
    const d = r.value as Record<string, unknown>;
    const attrs = this.opts.format === 'xml' ? list((d.attributes as Record<string, unknown> | '')?.['attribute' as never]) : list(d.attributes);
    return {
      service_code: String(d.service_code),
      attributes: (attrs as Record<string, unknown>[]).map((a) => ({
        variable: bool(a.variable),
        code: String(a.code),
        datatype: String(a.datatype) as ServiceAttribute['datatype'],
        required: bool(a.required),
        datatype_description: str(a.datatype_description),
        order: Number(a.order),
        description: String(a.description ?? ''),
        values: (this.opts.format === 'xml' ? list((a.values as Record<string, unknown> | '')?.['value' as never]) : list(a.values)).map((v) => ({
          key: String((v as AttributeValue).key),
          name: String((v as AttributeValue).name),
        })),
      })),
    };
  }

  /** POST a service request as application/x-www-form-urlencoded, the spec's encoding. */
  async postRequest(req: NewRequest, extra: Record<string, string> = {}): Promise<PostResult[]> {
    const form = new URLSearchParams();
    if (this.opts.jurisdictionId) form.set('jurisdiction_id', this.opts.jurisdictionId);
    if (this.opts.apiKey) form.set('api_key', this.opts.apiKey);
    for (const [k, v] of Object.entries(req)) {
      if (v === undefined || k === 'attribute') continue;
      form.set(k, String(v));
    }
    for (const [code, v] of Object.entries(req.attribute ?? {})) {
      if (Array.isArray(v)) for (const x of v) form.append(`attribute[${code}][]`, x);
      else form.set(`attribute[${code}]`, v);
    }
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    const r = await this.call(`requests.${this.opts.format}`, { method: 'POST', body: form.toString() });
    return this.items(r, 'service_requests', 'request').map((x) => ({
      service_request_id: str(x.service_request_id),
      token: str(x.token),
      service_notice: str(x.service_notice),
      account_id: str(x.account_id),
    }));
  }

  async token(token: string): Promise<{ service_request_id: string | null; token: string }[]> {
    const r = await this.call(`tokens/${encodeURIComponent(token)}.${this.opts.format}${this.query()}`);
    return this.items(r, 'service_requests', 'request').map((x) => ({ service_request_id: str(x.service_request_id), token: String(x.token) }));
  }

  async requests(filter: RequestFilter = {}): Promise<ServiceRequest[]> {
    const r = await this.call(
      `requests.${this.opts.format}${this.query({
        service_request_id: filter.service_request_id?.join(','),
        service_code: filter.service_code?.join(','),
        start_date: filter.start_date,
        end_date: filter.end_date,
        status: filter.status?.join(','),
      })}`,
    );
    return this.items(r, 'service_requests', 'request').map(toRequest);
  }

  async request(id: string): Promise<ServiceRequest[]> {
    const r = await this.call(`requests/${encodeURIComponent(id)}.${this.opts.format}${this.query()}`);
    return this.items(r, 'service_requests', 'request').map(toRequest);
  }
}

function toRequest(x: Record<string, unknown>): ServiceRequest {
  return {
    service_request_id: String(x.service_request_id),
    status: String(x.status) as 'open' | 'closed',
    status_notes: str(x.status_notes),
    service_name: str(x.service_name),
    service_code: str(x.service_code),
    description: str(x.description),
    agency_responsible: str(x.agency_responsible),
    service_notice: str(x.service_notice),
    requested_datetime: str(x.requested_datetime),
    updated_datetime: str(x.updated_datetime),
    expected_datetime: str(x.expected_datetime),
    address: str(x.address),
    address_id: str(x.address_id),
    zipcode: str(x.zipcode),
    lat: num(x.lat),
    long: num(x.long),
    media_url: str(x.media_url),
  };
}
