import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';

/**
 * Places: the tenant's address register (geo_addresses) behind the feedback form's
 * address field. `search` is the autocomplete and the no-JavaScript geocoder (prefix match
 * on "street number" in any of the municipality's languages, with or without Finnish and
 * Swedish letters, and pg_trgm word similarity for typos); `reverse` names the address
 * nearest to a map pin; `center` is where a map opens.
 */

export interface Place {
  id: string;
  /** "Hämeenkatu 12" in the asked language (falling back to the register's). */
  label: string;
  /** "00990 Esimerkkilä" */
  detail: string;
  /** The language of label's street name. */
  labelLang: Lang;
  street: Localized;
  houseNumber: string;
  postalCode: string | null;
  lat: number;
  lon: number;
}

/** The outcome of geocoding what a resident typed without JavaScript. */
export type GeocodeResult = { kind: 'found'; place: Place } | { kind: 'ambiguous'; places: Place[] } | { kind: 'not_found' };

/** Street names lose ä/ö/å/é so that "hameenkatu" finds Hämeenkatu. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The search_text of one address: "street number" per language, as typed and folded. */
export function addressSearchText(street: Localized, houseNumber: string): string {
  const parts = new Set<string>();
  for (const name of Object.values(street)) {
    if (!name?.trim()) continue;
    const s = `${name} ${houseNumber}`.toLowerCase().replace(/\s+/g, ' ').trim();
    parts.add(s);
    parts.add(fold(s));
  }
  return [...parts].join(' | ');
}

/** What a resident typed, down to "street number": the postal code and town after a comma go. */
export function normalizeQuery(q: string): string {
  return fold(String(q ?? '').split(',')[0]).replace(/[^\p{L}\p{N} .'-]/gu, '').slice(0, 100).trim();
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => '\\' + m);
const M_PER_DEG_LAT = 111_320;
export const REVERSE_MAX_METRES = 250;

interface Row {
  id: string;
  street: Localized;
  house_number: string;
  postal_code: string | null;
  post_office: Localized;
  lat: number;
  lon: number;
}

export class PlaceService {
  constructor(private db: Db) {}

  /** Addresses matching what was typed, best first: exact, then prefix, then typo-tolerant. */
  async search(tenantId: string, q: string, lang: Lang, limit = 8): Promise<Place[]> {
    const t = normalizeQuery(q);
    if (t.length < 2) return [];
    const n = Math.max(1, Math.min(20, Math.floor(limit) || 8));
    const esc = likeEscape(t);
    // A short query only prefix-matches: two letters would be similar to half the register.
    const fuzzy = t.length >= 4;
    const r = await this.db.query<Row & { exact: boolean; prefix: boolean; sim: number }>(
      `select id, street, house_number, postal_code, post_office, lat, lon,
         (' | ' || search_text || ' |') like '% | ' || $2 || ' |%' escape '\\' as exact,
         (' | ' || search_text) like '% | ' || $2 || '%' escape '\\' as prefix,
         word_similarity($3, search_text) as sim
       from geo_addresses
       where tenant_id = $1 and (search_text like '%' || $2 || '%' escape '\\' ${fuzzy ? 'or $3 <% search_text' : ''})
       order by exact desc, prefix desc, sim desc, street->>'fi', length(house_number), house_number
       limit ${n}`,
      [tenantId, esc, t],
    );
    return r.rows.map((row) => toPlace(row, lang));
  }

  /** The address nearest to a point, within REVERSE_MAX_METRES; null when none is that close. */
  async reverse(tenantId: string, lat: number, lon: number, lang: Lang): Promise<(Place & { distance: number }) | null> {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      throw new AppError('validation_failed', 400, { fields: { location: 'out_of_range' } });
    }
    const dLat = REVERSE_MAX_METRES / M_PER_DEG_LAT;
    const mPerDegLon = M_PER_DEG_LAT * Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    const dLon = REVERSE_MAX_METRES / mPerDegLon;
    const r = await this.db.query<Row & { d2: number }>(
      `select id, street, house_number, postal_code, post_office, lat, lon,
         power((lat - $2) * ${M_PER_DEG_LAT}, 2) + power((lon - $3) * $4, 2) as d2
       from geo_addresses
       where tenant_id = $1 and lat between $2 - $5 and $2 + $5 and lon between $3 - $6 and $3 + $6
       order by d2 limit 1`,
      [tenantId, lat, lon, mPerDegLon, dLat, dLon],
    );
    const row = r.rows[0];
    if (!row) return null;
    const distance = Math.round(Math.sqrt(Number(row.d2)));
    if (distance > REVERSE_MAX_METRES) return null;
    return { ...toPlace(row, lang), distance };
  }

  /** The middle of the register: where maps open. null when the tenant has no addresses. */
  async center(tenantId: string): Promise<{ lat: number; lon: number } | null> {
    const r = await this.db.query<{ lat: number | null; lon: number | null }>(
      'select avg(lat)::float8 as lat, avg(lon)::float8 as lon from geo_addresses where tenant_id = $1',
      [tenantId],
    );
    const c = r.rows[0];
    return c?.lat == null || c.lon == null ? null : { lat: Number(c.lat), lon: Number(c.lon) };
  }

  /**
   * Geocodes a typed address for the form without JavaScript: one exact match (or a single
   * candidate) is found; several → the resident chooses; none → not_found.
   */
  async geocode(tenantId: string, text: string, lang: Lang): Promise<GeocodeResult> {
    const t = normalizeQuery(text);
    if (!t) return { kind: 'not_found' };
    const places = await this.search(tenantId, text, lang, 8);
    if (!places.length) return { kind: 'not_found' };
    const exact = places.filter((p) => Object.values(p.street).some((s) => s && fold(`${s} ${p.houseNumber}`) === t));
    if (exact.length === 1) return { kind: 'found', place: exact[0] };
    if (places.length === 1) return { kind: 'found', place: places[0] };
    return { kind: 'ambiguous', places };
  }

  async byId(tenantId: string, id: string, lang: Lang): Promise<Place | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const r = await this.db.query<Row>(
      'select id, street, house_number, postal_code, post_office, lat, lon from geo_addresses where tenant_id = $1 and id = $2',
      [tenantId, id],
    );
    return r.rows[0] ? toPlace(r.rows[0], lang) : null;
  }
}

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase());
}

function toPlace(row: Row, lang: Lang): Place {
  const street = pick(row.street, lang, ['fi']);
  const office = pick(row.post_office, street.lang, ['fi']).text;
  return {
    id: row.id,
    label: `${street.text} ${row.house_number}`.trim(),
    detail: [row.postal_code, office ? titleCase(office) : ''].filter(Boolean).join(' '),
    labelLang: street.lang,
    street: row.street,
    houseNumber: row.house_number,
    postalCode: row.postal_code,
    lat: Number(row.lat),
    lon: Number(row.lon),
  };
}

/** The address as stored on a case: "Hämeenkatu 12, 00990 Esimerkkilä". */
export function placeAddress(p: Place): string {
  return p.detail ? `${p.label}, ${p.detail}` : p.label;
}
